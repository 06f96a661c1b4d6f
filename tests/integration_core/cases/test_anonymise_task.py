"""The daily anonymisation over a mix of due cases: extended ones too, one that fails is reported, the rest go on.

Dates of anonymised cases are coarsened to the first of their month; running the task again is harmless.
"""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError

from integration_core.cases import anonymise
from integration_core.models import (
    AnonymisationFailure,
    Case,
    CaseHandover,
    Consent,
    ConsentPurpose,
    EndReason,
    Goal,
    ReportingStatus,
)
from integration_core.tasks import anonymise_expired_cases
from portal.accounts.roles import DATA_PROTECTION, STAFF
from tests.factories import UserFactory, role_user
from tests.factories.cases import CaseFactory, GoalFactory, give_consent

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
# Long past the retention period whenever the suite runs; none of these days is the first of a month.
START = date(2019, 3, 17)


def _case(worker, **kwargs) -> Case:
    case = CaseFactory(case_worker=worker, first_contact_on=START, agreement_signed_on=date(2019, 3, 20), **kwargs)
    consent = give_consent(case, given_on=date(2019, 3, 18))
    ConsentPurpose.objects.filter(consent=consent, purpose="statistics").update(withdrawn_on=date(2020, 2, 11))
    GoalFactory(case=case, agreed_on=date(2019, 4, 9), due_by=date(2019, 9, 30), achieved_changed_on=date(2020, 1, 15))
    for day in (date(2019, 6, 30), date(2019, 12, 31)):
        ReportingStatus.objects.create(case=case, reporting_date=day, status="in_progress", recorded_by=worker)
    return case


@pytest.fixture
def mix(worker):
    """Due: ended, extended and ended, extended and never closed, lapsed (never closed); not due: running."""
    extended_at = datetime(2022, 2, 10, 0, 30, tzinfo=BERLIN)
    extension = {"extended_until": date(2023, 3, 10), "extension_reason": "Ausbildung bei Bäckerei Sonnenschein",
                 "extended_by": worker, "extended_at": extended_at}
    return {
        "ended": _case(worker, ended_on=date(2021, 5, 20), end_reason=EndReason.GOALS_REACHED),
        "extended_ended": _case(worker, ended_on=date(2022, 11, 3), end_reason=EndReason.NO_FURTHER_NEED,
                                **extension),
        "extended_open": _case(worker, **extension),
        "extended_open_2": _case(worker, **extension),
        "lapsed": _case(worker),
        "failing": _case(worker, **extension),
        "running": CaseFactory(case_worker=worker),
    }


@pytest.fixture
def failing_case(mix, monkeypatch):
    """Makes one case fail the way a database refusal does: the DETAIL line holds the row, names and all."""
    real = anonymise._coarsen_dates
    target = mix["failing"]

    def coarsen(case):
        if case.pk == target.pk:
            raise IntegrityError('new row for relation "integration_core_goal" violates check constraint "x"\n'
                                 f"DETAIL:  Failing row contains ({case.pk}, Amal, {target.last_name}).")
        real(case)

    monkeypatch.setattr(anonymise, "_coarsen_dates", coarsen)
    return target


@pytest.fixture
def sentry(monkeypatch):
    sent = []
    monkeypatch.setattr(anonymise.sentry_sdk, "capture_exception", sent.append)
    return sent


def _first_of_month(*days) -> bool:
    return all(day is None or day.day == 1 for day in days)


def test_every_due_case_is_anonymised_and_the_failing_one_reported(mix, failing_case, sentry, caplog):
    due = {name for name in mix if name != "running"}
    assert set(anonymise.cases_due_for_anonymisation()) == {mix[name] for name in due}
    with caplog.at_level(logging.ERROR, logger="integration_core.cases.anonymise"):
        assert anonymise_expired_cases.delay().get() == len(due) - 1

    cases = {name: Case.objects.get(pk=case.pk) for name, case in mix.items()}
    assert {name for name, case in cases.items() if case.anonymised_at} == due - {"failing"}
    assert cases["running"].anonymised_at is None
    # The failing case is untouched (its transaction rolled back), not half anonymised.
    failed = cases["failing"]
    assert (failed.anonymised_at, failed.last_name, failed.first_contact_on) == (None, failing_case.last_name, START)
    assert Goal.objects.get(case=failed).goal == "Deutschkurs B1 abschließen"
    # Reported: the admin's row, the log, Sentry — with the case number and the error, never the row's names.
    failure = AnonymisationFailure.objects.get()
    assert failure.case_id == failed.pk
    assert failure.error.startswith('IntegrityError: new row for relation "integration_core_goal"')
    assert (failure.attempts, len(sentry)) == (1, 1)
    assert failed.number in str(sentry[0])
    records = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(records) == 1
    assert failed.number in records[0].getMessage()
    for text in (failure.error, str(sentry[0]), records[0].getMessage()):
        assert failing_case.last_name not in text
        assert "Amal" not in text
    # The extended ones keep their extension, its reason replaced by a neutral word (the constraint holds).
    for name in ("extended_ended", "extended_open", "extended_open_2"):
        assert (cases[name].extended_until, cases[name].extension_reason) == (date(2023, 3, 1), "anonymisiert")


def test_anonymised_cases_keep_their_dates_coarsened_to_the_month(mix, sentry):
    anonymise_expired_cases.delay().get()
    case = Case.objects.get(pk=mix["extended_ended"].pk)
    assert (case.first_contact_on, case.agreement_signed_on, case.ended_on, case.extended_until) == (
        date(2019, 3, 1), date(2019, 3, 1), date(2022, 11, 1), date(2023, 3, 1))
    assert case.birth_date is None  # removed, the year stays
    assert case.birth_year == 1990
    assert case.extended_at == datetime(2022, 2, 1, tzinfo=BERLIN)
    goal = Goal.objects.get(case=case)
    assert (goal.agreed_on, goal.due_by, goal.achieved_changed_on) == (
        date(2019, 4, 1), date(2019, 9, 1), date(2020, 1, 1))
    assert sorted(ReportingStatus.objects.filter(case=case).values_list("reporting_date", flat=True)) == [
        date(2019, 6, 1), date(2019, 12, 1)]
    consent = Consent.objects.get(case=case)
    assert consent.given_on == date(2019, 3, 1)
    assert ConsentPurpose.objects.get(consent=consent, purpose="statistics").withdrawn_on == date(2020, 2, 1)
    for anonymised in Case.objects.filter(anonymised_at__isnull=False):
        assert _first_of_month(anonymised.first_contact_on, anonymised.ended_on, anonymised.extended_until)
        assert anonymised.created_at.astimezone(BERLIN).day == 1
        for goal in anonymised.goals.all():
            assert _first_of_month(goal.agreed_on, goal.due_by, goal.achieved_changed_on)
            assert goal.created_at.astimezone(BERLIN).day == 1
        for status in anonymised.reporting_statuses.all():
            assert _first_of_month(status.reporting_date)
            assert status.recorded_at.astimezone(BERLIN).day == 1
        for consent in anonymised.consents.all():
            assert _first_of_month(consent.given_on, *(p.withdrawn_on for p in consent.purposes.all()))
    running = Case.objects.get(pk=mix["running"].pk)
    assert running.first_contact_on == mix["running"].first_contact_on  # not due: untouched


def test_running_twice_is_harmless_and_a_fixed_case_is_done_on_the_next_run(mix, failing_case, sentry, monkeypatch):
    assert anonymise_expired_cases.delay().get() == 5
    stamps = dict(Case.objects.filter(anonymised_at__isnull=False).values_list("pk", "anonymised_at"))
    dates = list(Case.objects.order_by("pk").values_list("first_contact_on", "ended_on", "extended_until"))
    assert anonymise_expired_cases.delay().get() == 0
    assert dict(Case.objects.filter(anonymised_at__isnull=False).values_list("pk", "anonymised_at")) == stamps
    assert list(Case.objects.order_by("pk").values_list("first_contact_on", "ended_on", "extended_until")) == dates
    failure = AnonymisationFailure.objects.get()
    assert (failure.attempts, len(sentry)) == (2, 2)  # one row per case, counting the attempts
    assert failure.last_failed_at > failure.first_failed_at
    # The cause is gone: the next run anonymises it and the notice disappears.
    monkeypatch.undo()
    monkeypatch.setattr(anonymise.sentry_sdk, "capture_exception", sentry.append)
    assert anonymise_expired_cases.delay().get() == 1
    assert Case.objects.get(pk=failing_case.pk).anonymised_at is not None
    assert not AnonymisationFailure.objects.exists()
    assert len(sentry) == 2


def test_two_reporting_statuses_in_one_month_become_the_later_one(worker):
    case = _case(worker, ended_on=date(2021, 5, 20), end_reason=EndReason.GOALS_REACHED)
    ReportingStatus.objects.create(case=case, reporting_date=date(2019, 12, 15), status="aborted", recorded_by=worker)
    assert anonymise.case_anonymise(case_id=case.pk) is True
    assert list(ReportingStatus.objects.filter(case=case).order_by("reporting_date").values_list(
        "reporting_date", "status")) == [(date(2019, 6, 1), "in_progress"), (date(2019, 12, 1), "in_progress")]


def test_handover_time_is_coarsened_too(worker):
    case = _case(worker, ended_on=date(2021, 5, 20), end_reason=EndReason.GOALS_REACHED)
    CaseHandover.objects.create(case=case, from_provider=case.provider, from_case_worker=worker,
                                to_provider=case.provider, to_case_worker=worker, handed_over_by=worker,
                                note="Umzug nach Lindenau")
    CaseHandover.objects.filter(case=case).update(handed_over_at=datetime(2020, 7, 14, 9, 0, tzinfo=BERLIN))
    anonymise.case_anonymise(case_id=case.pk)
    assert CaseHandover.objects.get(case=case).handed_over_at == datetime(2020, 7, 1, tzinfo=BERLIN)


@pytest.mark.parametrize(("role", "sees"), [(DATA_PROTECTION, True), ("admin", True), (STAFF, False)])
def test_failures_are_listed_on_the_admin_home_page(client, mix, failing_case, sentry, role, sees):
    user = UserFactory(is_superuser=True, is_staff=True) if role == "admin" else role_user(role)
    client.force_login(user)
    assert "Anonymisierung fehlgeschlagen" not in client.get("/admin/").content.decode()
    anonymise_expired_cases.delay().get()
    html = client.get("/admin/").content.decode()
    assert ("Anonymisierung fehlgeschlagen" in html) is sees
    assert (failing_case.number in html) is sees
    assert ("violates check constraint" in html) is sees
    assert failing_case.last_name not in html


def test_the_demo_district_has_no_due_case_left_personal_after_one_run(sentry):
    """The demo holds extended cases among the due ones (the run once stopped at the first of them)."""
    from portal.demo.build import build_district
    from portal.demo.casework import build_casework

    build_casework(build_district())
    due = anonymise.cases_due_for_anonymisation()
    extended = due.filter(extended_until__isnull=False).count()
    total = due.count()
    assert total > extended > 0
    assert anonymise_expired_cases.delay().get() == total
    assert not anonymise.cases_due_for_anonymisation().exists()
    assert not AnonymisationFailure.objects.exists()
    assert sentry == []
    assert not Case.objects.filter(anonymised_at__isnull=False).exclude(first_name="", last_name="").exists()
