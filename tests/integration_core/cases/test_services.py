"""The writes: frame data, Part A with its rows, goal rows in one step, status at reporting dates."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from integration_core.cases.services import case_create, case_update
from integration_core.cases.services_parts import (
    competences_save,
    goal_add,
    goal_delete,
    goal_set_achieved,
    goal_update,
    reporting_status_record,
)
from integration_core.models import (
    Case,
    ChildCare,
    CounsellingType,
    GermanCourseKind,
    GermanLevel,
    Goal,
    GoalArea,
    PlanStatus,
    Referral,
    ReportingStatus,
)
from tests.factories import MunicipalityFactory
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_case_create_validates_in_german_and_saves_nothing(provider, worker):
    data = {"counselling_type": CounsellingType.SIMPLE, "first_contact_on": TODAY() + timedelta(days=3),
            "referral": Referral.OTHER, "municipality": MunicipalityFactory(), "country_of_origin": "Syrien"}
    with pytest.raises(ValidationError) as exc:
        case_create(user=worker, provider_id=provider.pk, data=data)
    assert exc.value.message_dict == {
        "first_contact_on": ["Der Erstkontakt darf nicht in der Zukunft liegen."],
        "referral_other": ["Bitte beschreiben Sie den sonstigen Zugang."],
        "country_of_origin": ["Bitte geben Sie das Herkunftsland als zweistelligen Ländercode an (z. B. SY)."],
    }
    assert not Case.objects.exists()


def test_birth_date_sets_birth_year(provider, worker):
    case = case_create(user=worker, provider_id=provider.pk, data={
        "counselling_type": CounsellingType.ONE_OFF, "first_contact_on": TODAY(), "referral": Referral.AUTHORITY,
        "municipality_id": MunicipalityFactory().pk, "birth_date": date(1987, 2, 3), "country_of_origin": "af"})
    assert (case.birth_year, case.country_of_origin) == (1987, "AF")


def test_type_cannot_drop_to_one_off_once_parts_exist(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.SIMPLE, with_consent=True)
    competences_save(user=worker, case_id=case.pk, data={"household_size": 2})
    with pytest.raises(ValidationError, match="weder Teil A noch Teil B"):
        case_update(user=worker, case_id=case.pk, data={"counselling_type": CounsellingType.ONE_OFF})


def test_part_a_with_rows_replaces_rows(worker):
    case = CaseFactory(case_worker=worker, with_consent=True)
    competences = competences_save(
        user=worker, case_id=case.pk,
        data={"german_level": GermanLevel.A2, "skill_areas": ["crafts", "it"], "gender": "m", "birth_year": 1985},
        children=[{"gender": "w", "birth_year": 2019, "care": ChildCare.KITA},
                  {"gender": "m", "birth_year": 2014, "care": ChildCare.SCHOOL, "extracurricular": True}],
        languages=[{"language": "Englisch", "level": "fluent"}],
        german_courses=[{"kind": GermanCourseKind.BAMF_INTEGRATION, "certificate": True}],
    )
    assert competences.skill_areas == ["crafts", "it"]
    assert [c.care for c in competences.children.all()] == ["school", "kita"]
    case.refresh_from_db()
    assert (case.gender, case.birth_year) == ("m", 1985)
    competences_save(user=worker, case_id=case.pk, data={"household_size": 4}, children=[])
    competences.refresh_from_db()
    assert competences.children.count() == 0
    assert competences.languages.count() == 1
    assert competences.german_level == GermanLevel.A2
    assert competences.household_size == 4


def test_part_a_rejects_bad_input(worker):
    case = CaseFactory(case_worker=worker, with_consent=True)
    with pytest.raises(ValidationError, match="Kenntnisse aus der Liste"):
        competences_save(user=worker, case_id=case.pk, data={"skill_areas": ["juggling"]})
    with pytest.raises(ValidationError, match="lateinischer"):
        competences_save(user=worker, case_id=case.pk, data={"literate": False, "literate_latin": True})
    assert not hasattr(Case.objects.get(pk=case.pk), "competences")


def test_goal_added_and_ticked_in_one_step_each(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL, with_consent=True)
    goal = goal_add(user=worker, case_id=case.pk, area=GoalArea.WORK, goal="Ausbildungsplatz finden",
                    agreed_on=TODAY(), steps=["Bewerbungsmappe", "Termin Agentur für Arbeit"],
                    due_by=TODAY() + timedelta(days=90), who="Klient und IntMan", services_involved="Agentur")
    assert (goal.achieved, goal.steps) == ("in_progress", ["Bewerbungsmappe", "Termin Agentur für Arbeit"])
    goal_set_achieved(user=worker, goal_id=goal.pk, achieved="partly")
    goal.refresh_from_db()
    assert (goal.achieved, goal.achieved_changed_on) == ("partly", TODAY())
    goal_update(user=worker, goal_id=goal.pk, data={"remarks": "Praktikum vereinbart"})
    assert Goal.objects.get(pk=goal.pk).remarks == "Praktikum vereinbart"
    goal_delete(user=worker, goal_id=goal.pk)
    assert not Goal.objects.exists()


def test_goal_validation(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL, with_consent=True)
    with pytest.raises(ValidationError, match="höchstens drei Arbeitsschritte"):
        goal_add(user=worker, case_id=case.pk, area=GoalArea.WORK, goal="x", agreed_on=TODAY(),
                 steps=["a", "b", "c", "d"])
    with pytest.raises(ValidationError) as exc:
        goal_add(user=worker, case_id=case.pk, area="sport", goal=" ", agreed_on=TODAY(),
                 due_by=TODAY() - timedelta(days=1))
    assert set(exc.value.message_dict) == {"area", "goal", "due_by"}
    assert not Goal.objects.exists()


def test_status_per_reporting_date_keeps_history(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL,
                       first_contact_on=TODAY() - timedelta(days=400))
    first, second = TODAY() - timedelta(days=200), TODAY() - timedelta(days=20)
    reporting_status_record(user=worker, case_id=case.pk, reporting_date=first, status=PlanStatus.IN_PROGRESS)
    reporting_status_record(user=worker, case_id=case.pk, reporting_date=second, status=PlanStatus.IN_PROGRESS)
    reporting_status_record(user=worker, case_id=case.pk, reporting_date=second, status=PlanStatus.NO_FURTHER_NEED)
    assert list(ReportingStatus.objects.filter(case=case).values_list("reporting_date", "status")) == [
        (second, "no_further_need"), (first, "in_progress")]
    with pytest.raises(ValidationError, match="vor dem Erstkontakt"):
        reporting_status_record(user=worker, case_id=case.pk, reporting_date=TODAY() - timedelta(days=500),
                                status=PlanStatus.IN_PROGRESS)
