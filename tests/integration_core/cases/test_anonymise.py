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
    ChildCare,
    ConsentPurpose,
    ConsentPurposeKind,
    CounsellingType,
    EndReason,
    GermanLevel,
    Goal,
    GoalArea,
    Housing,
    LabourStatus,
    ReportingStatus,
    ResidenceStatus,
    YesNo,
)
from integration_core.tasks import anonymise_expired_cases
from tests.factories.cases import CaseFactory, GoalFactory, give_consent

pytestmark = pytest.mark.django_db

PERSONAL = ["Amal", "Haddad", "0151 23456789", "Lindenstraße 4", "Termin immer dienstags", "1990-05-17",
            "Diabetes Typ 2", "Bäckerei Sonnenschein", "Deutschkurs B1 abschließen", "Anmeldung bei der VHS",
            "Frau Weber (VHS)", "Kinderbetreuung klären", "Sozialamt", "Umzug nach Lindenau",
            # free text of Part A rows and the consent, which no figure reads
            "Tigrinya", "Amharisch", "Hebamme Frau Okafor"]


def case_tables() -> set[str]:
    """Every integration_core table that holds rows of a case: Case and whatever points to it, transitively."""
    from django.apps import apps

    found = {Case}
    while True:
        more = {model for model in apps.get_app_config("integration_core").get_models() if model not in found
                and any(field.is_relation and field.concrete and field.related_model in found
                        for field in model._meta.get_fields())}
        if not more:
            return {model._meta.db_table for model in found}
        found |= more


def all_rows_text() -> str:
    """Every value of every table holding case data, as one string (the raw database, not the ORM)."""
    tables = case_tables()
    # Found by walking the relations; the ones named here must be among them, or the walk is broken.
    assert {"integration_core_case", "integration_core_competences", "integration_core_goal",
            "integration_core_casehandover", "integration_core_consent", "integration_core_consentpurpose",
            "integration_core_languageskill", "integration_core_child", "integration_core_germancourse",
            "integration_core_reportingstatus", "integration_core_casereadlog"} <= tables
    chunks = []
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return " | ".join(chunks)


@pytest.fixture
def full_case(worker):
    today = timezone.localdate()
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL, last_name="Haddad",
                       first_contact_on=today - timedelta(days=3 * 365), birth_date=date(1990, 5, 17))
    give_consent(case)
    give_consent(case, ConsentPurposeKind.DATA_EXCHANGE, recipient_name="Hebamme Frau Okafor")
    competences_save(user=worker, case_id=case.pk, data={
        "health_notes": "Diabetes Typ 2", "disability": YesNo.YES, "residence_status": ResidenceStatus.TOLERATION,
        "employer": "Bäckerei Sonnenschein", "first_language": "Tigrinya",
        "german_level": GermanLevel.B1, "labour_status": LabourStatus.EMPLOYED_PART_TIME,
        "housing": Housing.OWN_FLAT,
    }, languages=[{"language": "Amharisch", "level": "fluent"}],
        children=[{"gender": "w", "birth_year": 2019, "care": ChildCare.KITA}])
    GoalFactory(case=case, area=GoalArea.LANGUAGE, goal="Deutschkurs B1 abschließen",
                step_1="Anmeldung bei der VHS", step_2="Kinderbetreuung klären", who="Frau Weber (VHS)",
                services_involved="Sozialamt", remarks="Umzug nach Lindenau", achieved="yes")
    ReportingStatus.objects.create(case=case, reporting_date=today - timedelta(days=400), status="in_progress",
                                   recorded_by=worker)
    Case.objects.filter(pk=case.pk).update(ended_on=today - timedelta(days=800), end_reason=EndReason.GOALS_REACHED)
    return Case.objects.get(pk=case.pk)


def test_anonymisation_removes_personal_data_also_from_the_raw_database(full_case):
    before = all_rows_text()
    assert all(value in before for value in ("Amal", "Haddad", "Lindenstraße 4", "Deutschkurs B1 abschließen",
                                             "Tigrinya", "Amharisch", "Hebamme Frau Okafor"))

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
    # Special categories and languages: no figure reads them (encrypted, so checked through the ORM).
    assert (competences.residence_status, competences.disability, competences.first_language) == (None, None, "")
    assert list(competences.languages.values_list("language", "level")) == [("", "fluent")]
    # What statistics need stays: the indicators, the yearly table and the extract read these.
    assert (case.gender, case.country_of_origin, case.counselling_type, case.municipality_id) == (
        "w", "SY", CounsellingType.FULL, full_case.municipality_id)
    assert (competences.german_level, competences.labour_status, competences.housing) == (
        GermanLevel.B1, LabourStatus.EMPLOYED_PART_TIME, Housing.OWN_FLAT)
    assert list(competences.children.values_list("care", flat=True)) == [ChildCare.KITA]
    goal = Goal.objects.get(case=case)
    assert (goal.area, goal.achieved, goal.goal, goal.steps, goal.remarks) == ("language", "yes", "", [], "")
    assert case.reporting_statuses.count() == 1
    # The consent records stay (which purposes, when, withdrawn when), the named recipient does not.
    assert case.consents.count() == 2
    assert set(ConsentPurpose.objects.filter(consent__case=case).values_list("purpose", "recipient_name")) == {
        ("counselling", ""), ("statistics", ""), ("data_exchange", "anonymisiert")}


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
