"""Two re-drives (or a re-drive and the dispatch after commit) at the same moment deliver a row once.

PostgreSQL, one connection per thread, a barrier (run with DATABASE_URL on PostgreSQL; skipped on SQLite).
The ``postgres`` marker makes these transactional tests, so the rows are committed and both threads see them.
"""

import threading
import time

import pytest
from django.core import mail
from django.db import connection

from grants import outbox, tasks
from grants.models import Document, OutboxMessage, SentMessage
from grants.states import State

from .journey import ACTIONS, application_in, make_cast

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("require_postgres", "fake_letter")]


def together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def work(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:  # the test judges every outcome
            outcomes[index] = exc
        finally:
            connection.close()  # this thread's connection, not the test's

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def slow_mail(monkeypatch):
    """The mail server takes its time, so the second re-drive runs while the first still sends."""
    real = tasks.send_mail

    def send(*args, **kwargs):
        time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(tasks, "send_mail", send)


@pytest.fixture
def approved_while_broker_down():
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast)
    assert not OutboxMessage.objects.undelivered().exists()  # the steps before went out after their commits
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outbox, "dispatch", lambda message_id: None)  # nothing reaches a worker
        ACTIONS["approve"](cast.head, app.pk)
    mail.outbox.clear()
    assert OutboxMessage.objects.undelivered().count() == 2
    return app


def test_two_redrives_at_once_deliver_each_row_once(approved_while_broker_down, slow_mail, fake_letter):
    app = approved_while_broker_down
    outcomes = together(outbox.redrive, outbox.redrive)
    assert sorted(outcomes) == [0, 2] or sorted(outcomes) == [1, 1], outcomes  # every row by one of them
    event_row = OutboxMessage.objects.get(kind="grants.tasks.notify_event", target=app.file_number,
                                          payload__event_id=app.events.latest("pk").pk)
    assert len(mail.outbox) == 1
    assert SentMessage.objects.filter(key=event_row.key).count() == 1
    assert Document.objects.filter(application=app).count() == 1
    assert len(fake_letter) == 1
    assert not OutboxMessage.objects.undelivered().exists()
    assert OutboxMessage.objects.filter(attempts__gt=1).count() == 0  # none was run twice


def test_the_same_row_delivered_by_two_workers_at_once_runs_once(approved_while_broker_down, slow_mail):
    row = OutboxMessage.objects.undelivered().get(kind="grants.tasks.notify_event")
    outcomes = together(lambda: outbox.deliver_message(row.pk), lambda: outbox.deliver_message(row.pk))
    assert sorted(outcomes) == [False, True]
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.attempts, row.delivered_at is not None) == (1, True)
