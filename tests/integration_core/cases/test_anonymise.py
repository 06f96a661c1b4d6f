"""Retention: after the end of counselling plus CASE_RETENTION_MONTHS a case is anonymised, idempotently."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from integration_core.cases.anonymise import case_anonymise, cases_due_for_anonymisation, retention_cutoff
from integration_core.cases.duration import add_years
from integration_core.cases.services_parts import competences_save
from integration_core.models import (
    Case,
    CaseHandover,
    CounsellingType,
    EndReason,
    GermanLevel,
    Goal,
    GoalArea,
    Housing,
    LabourStatus,
    ReportingStatus,
    YesNo,
)
from integration_core.tasks import anonymise_expired_cases
from tests.factories.cases import CaseFactory, GoalFactory, give_consent

pytestmark = pytest.mark.django_db

PERSONAL = ["Amal", "Haddad", "0151 23456789", "Lindenstraße 4", "Termin immer dienstags", "1990-05-17",
            "Diabetes Typ 2", "Bäckerei Sonnenschein", "Deutschkurs B1 abschließen", "Anmeldung bei der VHS",
            "Frau Weber (VHS)", "Kinderbetreuung klären", "Sozialamt", "Umzug nach Lindenau"]


def all_rows_text() -> str:
    """Every value of every table holding case data, as one string (the raw database, not the ORM)."""
    tables = ["integration_core_case", "integration_core_competences", "integration_core_goal",
              "integration_core_casehandover"]
    chunks = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return " | ".join(chunks)


@pytest.fixture
def full_case(worker):
    today = timezone.localdate()
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL, last_name="Haddad",
                       first_contact_on=today - timedelta(days=3 * 365), birth_date=date(1990, 5, 17))
    competences_save(user=worker, case_id=case.pk, data={
        "health_notes": "Diabetes Typ 2", "disability": YesNo.YES, "employer": "Bäckerei Sonnenschein",
        "german_level": GermanLevel.B1, "labour_status": LabourStatus.EMPLOYED_PART_TIME,
        "housing": Housing.OWN_FLAT,
    })
    GoalFactory(case=case, area=GoalArea.LANGUAGE, goal="Deutschkurs B1 abschließen",
                step_1="Anmeldung bei der VHS", step_2="Kinderbetreuung klären", who="Frau Weber (VHS)",
                services_involved="Sozialamt", remarks="Umzug nach Lindenau", achieved="yes")
    ReportingStatus.objects.create(case=case, reporting_date=today - timedelta(days=400), status="in_progress",
                                   recorded_by=worker)
    give_consent(case)
    Case.objects.filter(pk=case.pk).update(ended_on=today - timedelta(days=800), end_reason=EndReason.GOALS_REACHED)
    return Case.objects.get(pk=case.pk)


def test_anonymisation_removes_personal_data_also_from_the_raw_database(full_case):
    before = all_rows_text()
    assert all(value in before for value in ("Amal", "Haddad", "Lindenstraße 4", "Deutschkurs B1 abschließen"))

    assert case_anonymise(case_id=full_case.pk) is True
    after = all_rows_text()
    for value in PERSONAL:
        assert value not in after, value
    case = Case.objects.get(pk=full_case.pk)
    assert (case.first_name, case.last_name, case.phone, case.email, case.address, case.notes) == ("",) * 6
    assert case.birth_date is None
    assert case.birth_year == 1990
    assert case.anonymised_at is not None
    assert case.display_name == "anonymisiert"
    competences = case.competences
    assert competences.health_notes is None
    assert competences.employer == ""
    # What statistics need stays.
    assert (case.gender, case.country_of_origin, case.counselling_type, case.municipality_id) == (
        "w", "SY", CounsellingType.FULL, full_case.municipality_id)
    assert (competences.german_level, competences.labour_status, competences.housing, competences.disability) == (
        GermanLevel.B1, LabourStatus.EMPLOYED_PART_TIME, Housing.OWN_FLAT, YesNo.YES)
    goal = Goal.objects.get(case=case)
    assert (goal.area, goal.achieved, goal.goal, goal.steps, goal.remarks) == ("language", "yes", "", [], "")
    assert case.reporting_statuses.count() == 1
    assert case.consents.count() == 1


def test_anonymisation_is_idempotent(full_case):
    assert case_anonymise(case_id=full_case.pk) is True
    stamp = Case.objects.get(pk=full_case.pk).anonymised_at
    assert case_anonymise(case_id=full_case.pk) is False
    assert Case.objects.get(pk=full_case.pk).anonymised_at == stamp


def test_due_after_end_plus_retention_period(worker, settings):
    settings.CASE_RETENTION_MONTHS = 24
    today = timezone.localdate()
    cutoff = retention_cutoff(today)
    ended = lambda day: CaseFactory(case_worker=worker, first_contact_on=day - timedelta(days=30),  # noqa: E731
                                    ended_on=day, end_reason=EndReason.NO_FURTHER_NEED)
    due = ended(cutoff)
    not_yet = ended(cutoff + timedelta(days=1))
    running = CaseFactory(case_worker=worker)
    # Never closed: counts from the end of the three years.
    lapsed = CaseFactory(case_worker=worker, first_contact_on=add_years(cutoff + timedelta(days=1), -3))
    lapsed_later = CaseFactory(case_worker=worker, first_contact_on=add_years(cutoff + timedelta(days=2), -3))
    assert set(cases_due_for_anonymisation(today=today)) == {due, lapsed}
    assert not_yet
    assert running
    assert lapsed_later
    settings.CASE_RETENTION_MONTHS = 0
    assert not_yet in set(cases_due_for_anonymisation(today=today))


def test_retention_task_anonymises_due_cases_and_is_idempotent(full_case, worker):
    running = CaseFactory(case_worker=worker)
    CaseHandover.objects.create(case=full_case, from_provider=full_case.provider, from_case_worker=worker,
                                to_provider=full_case.provider, to_case_worker=worker, handed_over_by=worker,
                                note="Übergabe wegen Umzug nach Lindenau")
    assert anonymise_expired_cases.delay().get() == 1
    assert anonymise_expired_cases.delay().get() == 0
    assert Case.objects.get(pk=full_case.pk).anonymised_at is not None
    assert Case.objects.get(pk=running.pk).anonymised_at is None
    assert CaseHandover.objects.get().note == ""


def test_beat_schedule_runs_the_task_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["case-retention"]
    assert entry == {"task": "integration_core.tasks.anonymise_expired_cases", "schedule": 24 * 60 * 60}
    from celery import current_app

    assert "integration_core.tasks.anonymise_expired_cases" in current_app.tasks


def test_anonymised_case_refuses_further_work(full_case, worker):
    from django.core.exceptions import ValidationError

    from integration_core.cases.services import case_update

    case_anonymise(case_id=full_case.pk)
    with pytest.raises(ValidationError, match="anonymisiert"):
        case_update(user=worker, case_id=full_case.pk, data={"first_name": "Amal"})
