"""Which parts each counselling type requires (Anhang 4), in one place, and the completeness check."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from integration_core.cases import parts
from integration_core.cases.parts import Part, missing_parts, required_parts, validate_plan
from integration_core.cases.services_parts import competences_save, goal_add
from integration_core.models import (
    ConsentPurposeKind,
    CounsellingType,
    GermanLevel,
    GoalArea,
    Housing,
    LabourStatus,
)
from tests.factories.cases import CaseFactory, GoalFactory, give_consent

pytestmark = pytest.mark.django_db

COMPLETE_A = {"german_level": GermanLevel.A2, "labour_status": LabourStatus.MEASURE, "housing": Housing.FOLLOW_UP,
              "household_size": 2, "first_language": "Dari"}


def test_required_parts_per_type():
    assert required_parts(CounsellingType.ONE_OFF) == (Part.FRAME,)
    assert required_parts(CounsellingType.SIMPLE) == (Part.FRAME, Part.PART_A)
    assert required_parts(CounsellingType.FULL) == (Part.FRAME, Part.PART_A, Part.PART_B)
    with pytest.raises(ValueError, match="unknown"):
        required_parts("weekly")


def test_one_off_enquiry_is_complete_with_frame_data_only(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.ONE_OFF, agreement_signed_on=None)
    assert missing_parts(case) == {}
    validate_plan(case)


def test_simple_counselling_needs_agreement_consent_and_part_a(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.SIMPLE, agreement_signed_on=None)
    missing = missing_parts(case)
    assert set(missing) == {Part.FRAME, Part.PART_A}
    frame = " ".join(missing[Part.FRAME])
    assert "Beratungsvereinbarung" in frame
    assert "Einwilligungs- und Datenschutzerklärung" in frame
    assert missing[Part.PART_A] == ["Teil A (Kompetenzerfassung) ist noch nicht ausgefüllt."]

    case.agreement_signed_on = case.first_contact_on
    case.save()
    give_consent(case, ConsentPurposeKind.COUNSELLING)
    competences_save(user=worker, case_id=case.pk, data={"german_level": GermanLevel.A2})
    case.refresh_from_db()
    assert list(missing_parts(case)) == [Part.PART_A]
    assert "die Stellung am Arbeitsmarkt" in missing_parts(case)[Part.PART_A][0]

    competences_save(user=worker, case_id=case.pk, data=COMPLETE_A)
    case.refresh_from_db()
    assert missing_parts(case) == {}  # Part B is not required for simple counselling


def test_full_case_management_needs_part_b(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL)
    give_consent(case)
    competences_save(user=worker, case_id=case.pk, data=COMPLETE_A)
    case.refresh_from_db()
    assert list(missing_parts(case)) == [Part.PART_B]
    with pytest.raises(ValidationError) as exc:
        validate_plan(case)
    assert exc.value.messages == ["Teil B (Zielvereinbarung) braucht mindestens ein Ziel."]
    GoalFactory(case=case)
    assert missing_parts(case) == {}


def test_withdrawn_counselling_consent_makes_the_frame_incomplete(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.SIMPLE)
    consent = give_consent(case, ConsentPurposeKind.COUNSELLING)
    assert Part.FRAME not in missing_parts(case)
    consent.purposes.update(withdrawn_on=timezone.localdate())
    assert Part.FRAME in missing_parts(case)


def test_one_off_enquiry_refuses_part_a_and_part_b(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.ONE_OFF)
    with pytest.raises(ValidationError, match=r"Einmalige Anfrage.*Teil A"):
        competences_save(user=worker, case_id=case.pk, data=COMPLETE_A)
    with pytest.raises(ValidationError, match="Teil B"):
        goal_add(user=worker, case_id=case.pk, area=GoalArea.WORK, goal="Arbeit finden",
                 agreed_on=timezone.localdate())
    assert not hasattr(case, "competences")
    assert not case.goals.exists()


def test_simple_counselling_may_keep_goals_voluntarily(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.SIMPLE, with_consent=True)
    goal_add(user=worker, case_id=case.pk, area=GoalArea.WORK, goal="Arbeit finden",
             agreed_on=timezone.localdate() - timedelta(days=1))
    assert parts.allows(CounsellingType.SIMPLE, Part.PART_B)
    assert case.goals.count() == 1
