"""Without a valid consent to counselling and documentation, Part A and Part B take no new entries;
a withdrawal stops them from its day on. Deleting a goal and the status at reporting dates stay possible."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from integration_core.cases.consent import counselling_consent_refusal, ensure_counselling_consent
from integration_core.cases.services_parts import (
    competences_save,
    goal_add,
    goal_delete,
    goal_set_achieved,
    goal_update,
    reporting_status_record,
)
from integration_core.models import (
    Competences,
    ConsentPurposeKind,
    CounsellingType,
    Goal,
    GoalArea,
    PlanStatus,
    ResidenceStatus,
    YesNo,
)
from tests.factories.cases import CaseFactory, GoalFactory, give_consent

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
NO_CONSENT = "braucht es eine gültige Einwilligung in Beratung und Dokumentation"
SPECIAL = {"health_notes": "Asthma", "disability": YesNo.YES, "residence_status": ResidenceStatus.TOLERATION}


@pytest.fixture
def case(worker):
    return CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL)


def _goal(worker, case):
    return goal_add(user=worker, case_id=case.pk, area=GoalArea.WORK, goal="Arbeit finden", agreed_on=TODAY())


def test_part_a_with_special_categories_is_refused_before_any_consent(worker, case):
    with pytest.raises(ValidationError, match=NO_CONSENT):
        competences_save(user=worker, case_id=case.pk, data={**SPECIAL, "household_size": 2})
    assert not Competences.objects.exists()


def test_goals_are_refused_before_any_consent(worker, case):
    with pytest.raises(ValidationError, match=NO_CONSENT):
        _goal(worker, case)
    assert not Goal.objects.exists()


def test_statistics_or_handover_consent_alone_does_not_open_the_plan(worker, case, provider):
    give_consent(case, ConsentPurposeKind.STATISTICS)
    give_consent(case, ConsentPurposeKind.HANDOVER, recipient_provider=provider)
    with pytest.raises(ValidationError, match=NO_CONSENT):
        _goal(worker, case)


def test_with_consent_part_a_and_goals_are_taken(worker, case):
    give_consent(case, ConsentPurposeKind.COUNSELLING)
    competences_save(user=worker, case_id=case.pk, data=SPECIAL)
    assert _goal(worker, case).pk
    assert Competences.objects.get(case=case).residence_status == ResidenceStatus.TOLERATION


def test_withdrawal_stops_part_a_and_part_b_from_its_day_on(worker, case):
    consent = give_consent(case, ConsentPurposeKind.COUNSELLING, ConsentPurposeKind.STATISTICS)
    competences_save(user=worker, case_id=case.pk, data={"household_size": 2})
    goal = _goal(worker, case)
    kept = GoalFactory(case=case)
    consent.purposes.filter(purpose=ConsentPurposeKind.COUNSELLING).update(withdrawn_on=TODAY())
    message = f"am {TODAY():%d.%m.%Y} widerrufen; in Teil A und Teil B sind keine neuen Einträge mehr möglich"
    with pytest.raises(ValidationError, match=message):
        competences_save(user=worker, case_id=case.pk, data={"household_size": 3})
    with pytest.raises(ValidationError, match=message):
        _goal(worker, case)
    with pytest.raises(ValidationError, match=message):
        goal_set_achieved(user=worker, goal_id=goal.pk, achieved="yes")
    with pytest.raises(ValidationError, match=message):
        goal_update(user=worker, goal_id=goal.pk, data={"remarks": "neu"})
    assert Competences.objects.get(case=case).household_size == 2
    assert Goal.objects.get(pk=goal.pk).achieved == "in_progress"
    # Removing data and the reporting obligation stay possible.
    goal_delete(user=worker, goal_id=kept.pk)
    assert not Goal.objects.filter(pk=kept.pk).exists()
    reporting_status_record(user=worker, case_id=case.pk, reporting_date=TODAY(), status=PlanStatus.ABORTED)
    assert case.reporting_statuses.get().status == PlanStatus.ABORTED


def test_a_withdrawal_counts_from_its_day_and_a_new_consent_reopens(worker, case):
    consent = give_consent(case, ConsentPurposeKind.COUNSELLING)
    consent.purposes.update(withdrawn_on=TODAY() - timedelta(days=3))
    assert counselling_consent_refusal(case, on=TODAY() - timedelta(days=4)) is None  # valid the day before
    assert "widerrufen" in counselling_consent_refusal(case, on=TODAY() - timedelta(days=3))
    give_consent(case, ConsentPurposeKind.COUNSELLING, given_on=TODAY() - timedelta(days=1))
    ensure_counselling_consent(case)
    assert _goal(worker, case).pk


def test_one_off_enquiry_still_names_the_missing_part_not_the_consent(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.ONE_OFF)
    with pytest.raises(ValidationError, match="Einmalige Anfrage"):
        _goal(worker, case)
