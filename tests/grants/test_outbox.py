"""Side effects are never lost: written as outbox rows with the change, delivered once, re-driven after a
broker outage, retried with backoff after a failure.

"Broker down" is the project's real Celery app publishing (not eagerly) to a port where nothing listens, so
kombu raises its real OperationalError; "broker back" is the beat's re-drive task. The ``redis`` variant
brings the broker back as the real Redis (db 5) and runs the re-drive message a worker would take from it.
"""

import os
import smtplib
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from grants import outbox, tasks
from grants.models import Application, ApplicationEvent, Document, DocumentKind, OutboxMessage, SentMessage
from grants.states import State

from .journey import ACTIONS, application_in, make_cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_letter")]

# Port 9 (discard): nothing listens on it here, a connection is refused at once.
DEAD_BROKER = "redis://127.0.0.1:9/5"


@contextmanager
def broker(url: str):
    """The project's Celery app really publishing to ``url`` for the duration (the tests run it eagerly)."""
    from portal.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its own setting (CI sets it): hide it.
    environment = os.environ.pop("CELERY_BROKER_URL", None)
    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    app.conf.update(broker_url=url, task_always_eager=False)
    _drop_pools(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        _drop_pools(app)
        if environment is not None:
            os.environ["CELERY_BROKER_URL"] = environment


def _drop_pools(app):
    # The app keeps the producer pool of the broker URL it first published to (kombu keeps each URL's pool
    # for the process; closing one would close it for the later tests too): forget it, the next use takes
    # the pool of the URL now set.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def recommended(django_capture_on_commit_callbacks):
    """An application waiting for approval; the mails of the steps before it went out (and are cleared)."""
    cast = make_cast()
    with django_capture_on_commit_callbacks(execute=True):
        app = application_in(State.RECOMMENDED, cast)
    assert not OutboxMessage.objects.undelivered().exists()
    mail.outbox.clear()
    return app, cast


def _approve_with_broker_down(app, cast, capture):
    with broker(DEAD_BROKER), capture(execute=True):
        ACTIONS["approve"](cast.head, app.pk)  # no exception: the decision is saved, the user sees no error


def _approval_effects(app, fake_letter):
    mails = [m for m in mail.outbox if app.file_number in m.subject]
    return len(mails), Document.objects.filter(application=app, kind=DocumentKind.APPROVAL).count(), len(fake_letter)


# -- (a) broker down at commit ---------------------------------------------------------------------
def test_broker_down_at_commit_keeps_the_change_and_the_rerun_delivers_once(
    recommended, django_capture_on_commit_callbacks, fake_letter
):
    app, cast = recommended
    _approve_with_broker_down(app, cast, django_capture_on_commit_callbacks)
    assert Application.objects.get(pk=app.pk).state == State.APPROVED
    assert _approval_effects(app, fake_letter) == (0, 0, 0)  # nothing delivered
    pending = OutboxMessage.objects.undelivered().order_by("kind")
    assert [(m.kind, m.attempts, m.target) for m in pending] == [
        ("grants.tasks.generate_document", 0, app.file_number),
        ("grants.tasks.notify_event", 0, app.file_number),
    ]

    # The broker is back; the beat's re-drive delivers the letter and the e-mail …
    assert outbox.redrive() == 2
    assert _approval_effects(app, fake_letter) == (1, 1, 1)
    assert not OutboxMessage.objects.undelivered().exists()
    # … exactly once: running it again (or delivering a row again) does nothing more.
    assert outbox.redrive() == 0
    assert all(outbox.deliver_message(m.pk) is False for m in pending)
    assert _approval_effects(app, fake_letter) == (1, 1, 1)


def test_the_user_sees_no_error_when_the_broker_is_down(client, django_capture_on_commit_callbacks):
    cast = make_cast()
    app = application_in(State.SUBMITTED, cast)
    client.force_login(cast.staff)
    with broker(DEAD_BROKER), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("antraege:start_review", args=[app.pk]), follow=True)
    assert response.status_code == 200
    assert "Die Prüfung wurde begonnen." in response.content.decode()
    assert Application.objects.get(pk=app.pk).state == State.IN_REVIEW
    event = ApplicationEvent.objects.filter(application=app).latest("pk")
    message = OutboxMessage.objects.get(key=f"event:{event.pk}")
    assert (message.delivered_at, message.attempts) == (None, 0)
    assert mail.outbox == []


def test_a_rolled_back_change_leaves_no_row(recommended, django_capture_on_commit_callbacks):
    from django.db import transaction

    app, cast = recommended
    def approve_then_fail():
        with transaction.atomic():
            ACTIONS["approve"](cast.head, app.pk)
            raise RuntimeError("die umgebende Transaktion scheitert")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        approve_then_fail()
    assert not OutboxMessage.objects.undelivered().exists()


@pytest.mark.redis
def test_broker_down_then_the_real_redis_back(recommended, django_capture_on_commit_callbacks, fake_letter, redis_url):
    import redis

    app, cast = recommended
    _approve_with_broker_down(app, cast, django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.undelivered().count() == 2

    back = redis_url.rsplit("/", 1)[0] + "/5"  # our own Redis database
    queue = f"test-outbox-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(back)
    try:
        with broker(back) as celery_app:
            outbox.redrive.apply_async(queue=queue)  # what beat sends every minute
            assert client.llen(queue) == 1
            with celery_app.connection_for_read() as connection:
                assert _work_one(celery_app, connection, queue) == 2  # a worker takes it: both delivered
                assert _approval_effects(app, fake_letter) == (1, 1, 1)
                outbox.redrive.apply_async(queue=queue)  # a minute later
                assert _work_one(celery_app, connection, queue) == 0
        assert _approval_effects(app, fake_letter) == (1, 1, 1)
        assert not OutboxMessage.objects.undelivered().exists()
    finally:
        client.delete(queue, *client.scan_iter(match=f"_kombu.binding*{queue}*"))
        client.close()


def _work_one(celery_app, connection, queue):
    """What a worker does with the next message of ``queue``: run its task."""
    job = connection.SimpleQueue(queue, no_ack=True).get(timeout=2)
    args, kwargs, _embed = job.payload
    return celery_app.tasks[job.headers["task"]].apply(args=args, kwargs=kwargs).get()


# -- (d) eager mode: as before, right after the commit -------------------------------------------
def test_in_eager_mode_effects_happen_right_after_the_commit(recommended, django_capture_on_commit_callbacks,
                                                            fake_letter):
    app, cast = recommended
    before = OutboxMessage.objects.latest("pk").pk
    with django_capture_on_commit_callbacks(execute=True):
        ACTIONS["approve"](cast.head, app.pk)
    assert _approval_effects(app, fake_letter) == (1, 1, 1)
    rows = OutboxMessage.objects.filter(pk__gt=before).order_by("kind")
    assert [(m.kind, m.attempts, m.delivered_at is not None) for m in rows] == [
        ("grants.tasks.generate_document", 1, True), ("grants.tasks.notify_event", 1, True)]


def test_the_same_key_queues_once(recommended):
    app, _cast = recommended
    event = ApplicationEvent.objects.filter(application=app).latest("pk")
    first = outbox.enqueue(tasks.notify_event, key="test:once", event_id=event.pk)
    second = outbox.enqueue(tasks.notify_event, key="test:once", event_id=event.pk)
    assert (first[1], second[1], first[0].pk) == (True, False, second[0].pk)


def test_only_registered_handlers_are_queued():
    with pytest.raises(LookupError):
        outbox.enqueue(tasks.send_settlement_reminders, key="test:not-a-handler")


# -- (e) a failing handler: retried with backoff, its error kept -----------------------------------
def test_a_failing_handler_is_retried_with_backoff_and_its_error_kept(django_capture_on_commit_callbacks, monkeypatch):
    cast = make_cast()
    with django_capture_on_commit_callbacks(execute=True):
        app = application_in(State.SUBMITTED, cast)
    mail.outbox.clear()
    real_send, calls = tasks.send_mail, []

    def refuse(*args, **kwargs):
        calls.append(1)
        raise smtplib.SMTPServerDisconnected("Mailserver antwortet nicht")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            ACTIONS["start_review"](cast.staff, app.pk)
        message = OutboxMessage.objects.get(kind="grants.tasks.notify_event", delivered_at__isnull=True)
        assert (message.attempts, message.last_error) == (1, "SMTPServerDisconnected: Mailserver antwortet nicht")
        assert message.next_attempt_at == timezone.now() + timedelta(minutes=1)
        assert outbox.redrive() == 0  # waits out its backoff
        clock.shift(timedelta(minutes=1))
        assert outbox.redrive() == 0  # second failure: now two minutes
        message.refresh_from_db()
        assert (message.attempts, message.next_attempt_at) == (2, timezone.now() + timedelta(minutes=2))
        assert len(calls) == 2
        monkeypatch.setattr(tasks, "send_mail", real_send)  # the mail server is back
        clock.shift(timedelta(minutes=1))
        assert outbox.redrive() == 0
        clock.shift(timedelta(minutes=1))
        assert outbox.redrive() == 1
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert len(mail.outbox) == 1
    assert SentMessage.objects.filter(key=message.key).count() == 1


def test_backoff_doubles_up_to_an_hour():
    assert [outbox.backoff(n) for n in (1, 2, 3, 6, 7, 8, 50)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 32, 60, 60, 60)]


def test_a_worker_that_died_leaves_its_row_to_the_rerun_after_the_lease(recommended, fake_letter):
    app, cast = recommended
    ACTIONS["approve"](cast.head, app.pk)  # the test transaction never commits: the rows wait
    rows = list(OutboxMessage.objects.undelivered())
    claimed = outbox._claim(rows[0].pk)  # claimed, then the worker is killed before it finishes
    assert claimed is not None
    with time_machine.travel(timezone.now() + outbox.LEASE - timedelta(seconds=5)):
        assert outbox.redrive() == 1  # the other row only; the claimed one is still leased
    with time_machine.travel(timezone.now() + outbox.LEASE + timedelta(seconds=5)):
        assert outbox.redrive() == 1
    assert _approval_effects(app, fake_letter) == (1, 1, 1)


def test_the_beat_redrives_every_minute():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["outbox-redrive"] == {"task": "grants.outbox.redrive", "schedule": 60}
    from celery import current_app

    assert {"grants.outbox.redrive", "grants.outbox.deliver"} <= set(current_app.tasks)
