"""Two people at the same moment, for real: PostgreSQL, one connection per thread, a barrier.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/fp_grants; skipped on SQLite
(no row locks). The ``postgres`` marker makes these transactional tests, so every
service call commits and the other thread sees it.
"""

import re
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grants.models import Application, ApplicationEvent, FileNumberCounter, PayoutBatch, PayoutItem
from grants.services import applications, payouts
from grants.states import State
from programmes.models import ProgrammeBudget

from .journey import ACTIONS, application_in, eur, make_cast

# Threads need committed data: the concurrent tests are marked ``postgres`` (transactional);
# the lock-order tests only read the SQL and run inside the usual test transaction.
pytestmark = pytest.mark.usefixtures("require_postgres", "fake_letter")
concurrent = pytest.mark.postgres


def run_together(*calls, behind=None, waiting=0):
    """Start all calls at once, each in its own thread with its own database connection.

    ``behind``: a queryset the test locks first (select_for_update) and holds until
    ``waiting`` threads are blocked behind it in PostgreSQL. Then all of them have
    read what they read before the lock, so the race is forced, not left to timing.
    """
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
    try:
        with transaction.atomic():
            if behind is not None:
                list(behind.select_for_update())
            for thread in threads:
                thread.start()
            if behind is not None:
                _wait_until_blocked(waiting)
    finally:  # also when waiting failed: no thread may outlive the test (the flush would hang)
        for thread in threads:
            if thread.ident is not None:
                thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "ein Thread hängt (Deadlock?)"
    return outcomes


def _wait_until_blocked(count: int, limit: float = 10.0) -> None:
    """Poll PostgreSQL until ``count`` sessions of this test database wait for a lock.

    Not only those blocked by this session: the second waiter for a row queues behind the first.
    """
    deadline = time.monotonic() + limit
    with connection.cursor() as cursor:
        while True:
            # Statistics views are snapshotted per transaction, and this one is open: drop the snapshot.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0"
            )
            if cursor.fetchone()[0] >= count:
                return
            assert time.monotonic() < deadline, f"nach {limit} s warten keine {count} Sitzungen auf die Sperre"
            time.sleep(0.005)  # a poll for a condition, not a fixed wait


def _errors(outcomes):
    return [o for o in outcomes if isinstance(o, Exception)]


@concurrent
def test_two_approvals_at_once_cannot_overdraw_the_budget():
    cast = make_cast()
    first = application_in(State.RECOMMENDED, cast, amount="3000.00", budget="5000.00")
    second = application_in(State.RECOMMENDED, cast, amount="3000.00")
    outcomes = run_together(
        lambda: ACTIONS["approve"](cast.head, first.pk), lambda: ACTIONS["approve"](cast.approver, second.pk),
        behind=ProgrammeBudget.objects.filter(programme=first.programme), waiting=2,
    )
    errors = _errors(outcomes)
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ValidationError)  # the locked check refused it, not the constraint
    assert "übersteigt die verbleibenden Haushaltsmittel von 2.000,00 €" in str(errors[0])
    budget = ProgrammeBudget.objects.get(programme=first.programme)
    assert (budget.committed, budget.remaining) == (eur("3000.00"), eur("2000.00"))
    states = sorted(Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == [State.APPROVED, State.RECOMMENDED]
    assert ApplicationEvent.objects.filter(action="approve").count() == 1


@concurrent
def test_the_same_batch_executed_twice_at_once_pays_once():
    cast = make_cast()
    apps = [application_in(State.APPROVED, cast, amount=amount) for amount in ("1000.00", "2000.00")]
    batch = payouts.payout_batch_create(user=cast.finance, application_ids=[a.pk for a in apps])
    outcomes = run_together(
        *[lambda: payouts.payout_batch_execute(user=cast.finance, batch_id=batch.pk) for _ in range(2)],
        behind=PayoutBatch.objects.filter(pk=batch.pk), waiting=2,
    )
    assert _errors(outcomes) == []
    for app in apps:
        assert ApplicationEvent.objects.filter(application=app, action="record_payout").count() == 1
        assert Application.objects.get(pk=app.pk).state == State.PAID
    assert ProgrammeBudget.objects.get(programme=apps[0].programme).paid == eur("3000.00")
    assert PayoutBatch.objects.get(pk=batch.pk).status == PayoutBatch.Status.EXECUTED


@concurrent
def test_two_batches_at_once_cannot_take_the_same_application():
    cast = make_cast()
    app = application_in(State.APPROVED, cast)
    outcomes = run_together(
        *[lambda: payouts.payout_batch_create(user=cast.finance, application_ids=[app.pk]) for _ in range(2)],
        behind=Application.objects.filter(pk=app.pk), waiting=2,
    )
    errors = _errors(outcomes)
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ValidationError)
    assert (PayoutBatch.objects.count(), PayoutItem.objects.count()) == (1, 1)


@concurrent
def test_withdrawal_and_approval_at_once_one_wins_and_the_budget_agrees():
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast, amount="1000.00", budget="5000.00")
    outcomes = run_together(
        lambda: ACTIONS["withdraw"](cast.member, app.pk), lambda: ACTIONS["approve"](cast.head, app.pk),
        behind=Application.objects.filter(pk=app.pk), waiting=2,
    )
    assert len(_errors(outcomes)) == 1, outcomes
    app.refresh_from_db()
    committed = ProgrammeBudget.objects.get(programme=app.programme).committed
    assert (app.state, committed) in [(State.WITHDRAWN, eur("0.00")), (State.APPROVED, eur("1000.00"))]
    assert ApplicationEvent.objects.filter(application=app, action__in=["withdraw", "approve"]).count() == 1


@concurrent
def test_submissions_at_once_get_distinct_file_numbers():
    cast = make_cast()
    drafts = [application_in(State.DRAFT, cast) for _ in range(3)]
    # This year's counter exists (an earlier submission); all three queue up behind its row lock.
    FileNumberCounter.objects.create(programme=drafts[0].programme, year=timezone.localdate().year, last_number=7)
    outcomes = run_together(
        *[lambda pk=app.pk: applications.application_submit(user=cast.member, application_id=pk) for app in drafts],
        behind=FileNumberCounter.objects.all(), waiting=3,
    )
    assert _errors(outcomes) == []
    numbers = sorted(Application.objects.values_list("file_number", flat=True))
    assert [n[-4:] for n in numbers] == ["0008", "0009", "0010"]


@concurrent
def test_the_first_submissions_of_a_year_create_one_counter():
    """No counter row yet: both insert it, the unique constraint makes the second one wait and re-read."""
    cast = make_cast()
    drafts = [application_in(State.DRAFT, cast) for _ in range(2)]
    outcomes = run_together(
        *[lambda pk=app.pk: applications.application_submit(user=cast.member, application_id=pk) for app in drafts]
    )
    assert _errors(outcomes) == []
    assert FileNumberCounter.objects.get().last_number == 2
    numbers = sorted(Application.objects.values_list("file_number", flat=True))
    assert [n[-4:] for n in numbers] == ["0001", "0002"]


# -- the documented lock order (grants/locks.py) -------------------------------------------------
def _locked_tables(run) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run()
    return [re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in queries if "FOR UPDATE" in q["sql"]]


@pytest.mark.django_db
def test_approval_locks_the_application_then_the_budget():
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast)
    assert _locked_tables(lambda: ACTIONS["approve"](cast.head, app.pk)) == [
        "grants_application", "programmes_programmebudget"]


@pytest.mark.django_db
def test_submission_locks_the_application_then_the_counter():
    cast = make_cast()
    app = application_in(State.DRAFT, cast)
    tables = _locked_tables(lambda: ACTIONS["submit"](cast.member, app.pk))
    assert tables == ["grants_application", "grants_filenumbercounter"]


@pytest.mark.django_db
def test_payout_locks_the_batch_then_applications_then_budgets():
    cast = make_cast()
    apps = [application_in(State.APPROVED, cast) for _ in range(2)]
    batch = payouts.payout_batch_create(user=cast.finance, application_ids=[a.pk for a in apps])
    tables = _locked_tables(lambda: payouts.payout_batch_execute(user=cast.finance, batch_id=batch.pk))
    assert tables == ["grants_payoutbatch", "grants_application", "programmes_programmebudget"]
