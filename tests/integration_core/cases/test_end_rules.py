"""Ending counselling: a reason saying it took place needs every part the type requires; an interruption
from outside (aborted, left the country, moved away, handed over, other) may end an incomplete plan."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from integration_core.cases.parts import END_REASONS_NEEDING_COMPLETE_PLAN
from integration_core.cases.services import case_end
from integration_core.models import (
    Case,
    ConsentPurposeKind,
    CounsellingType,
    EndReason,
    GermanLevel,
    Housing,
    LabourStatus,
)
from tests.factories.cases import CaseFactory, CompetencesFactory, GoalFactory, give_consent

pytestmark = pytest.mark.django_db
YESTERDAY = lambda: timezone.localdate() - timedelta(days=1)  # noqa: E731
INTERRUPTIONS = sorted(set(EndReason.values) - set(END_REASONS_NEEDING_COMPLETE_PLAN))


def complete_part_a(case):
    return CompetencesFactory(case=case, german_level=GermanLevel.A2, labour_status=LabourStatus.MEASURE,
                              housing=Housing.FOLLOW_UP)


def test_the_reasons_that_need_a_complete_plan():
    assert set(END_REASONS_NEEDING_COMPLETE_PLAN) == {
        EndReason.GOALS_REACHED, EndReason.NO_FURTHER_NEED, EndReason.MAX_DURATION}
    assert EndReason.ABORTED in INTERRUPTIONS
    assert EndReason.LEFT_COUNTRY in INTERRUPTIONS


@pytest.mark.parametrize("reason", END_REASONS_NEEDING_COMPLETE_PLAN)
def test_full_case_without_consent_part_a_and_goals_cannot_end_as_completed(worker, reason):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL)
    with pytest.raises(ValidationError) as exc:
        case_end(user=worker, case_id=case.pk, ended_on=YESTERDAY(), end_reason=reason)
    messages = exc.value.messages
    assert messages[0].startswith(f"Mit dem Grund „{EndReason(reason).label}“ kann die Beratung erst beendet "
                                  "werden, wenn alle Teile vollständig sind")
    assert "„Abbruch / kam nicht zustande“" in messages[0]
    assert messages[1:] == ["Bitte erfassen Sie die Einwilligungs- und Datenschutzerklärung.",
                            "Teil A (Kompetenzerfassung) ist noch nicht ausgefüllt.",
                            "Teil B (Zielvereinbarung) braucht mindestens ein Ziel."]
    case.refresh_from_db()
    assert (case.ended_on, case.end_reason) == (None, "")


@pytest.mark.parametrize("reason", INTERRUPTIONS)
def test_interrupted_counselling_ends_without_the_missing_parts(worker, reason):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL)
    case_end(user=worker, case_id=case.pk, ended_on=YESTERDAY(), end_reason=reason)
    case.refresh_from_db()
    assert (case.ended_on, case.end_reason) == (YESTERDAY(), reason)


def test_complete_full_plan_ends_as_completed(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL)
    give_consent(case, ConsentPurposeKind.COUNSELLING)
    complete_part_a(case)
    with pytest.raises(ValidationError) as exc:  # Part B still missing
        case_end(user=worker, case_id=case.pk, ended_on=YESTERDAY(), end_reason=EndReason.GOALS_REACHED)
    assert exc.value.messages[1:] == ["Teil B (Zielvereinbarung) braucht mindestens ein Ziel."]
    GoalFactory(case=case)
    case_end(user=worker, case_id=case.pk, ended_on=YESTERDAY(), end_reason=EndReason.GOALS_REACHED)
    assert Case.objects.get(pk=case.pk).end_reason == EndReason.GOALS_REACHED


def test_simple_counselling_needs_part_a_but_no_goals(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.SIMPLE, with_consent=True)
    with pytest.raises(ValidationError, match="Teil A"):
        case_end(user=worker, case_id=case.pk, ended_on=YESTERDAY(), end_reason=EndReason.NO_FURTHER_NEED)
    complete_part_a(case)
    case_end(user=worker, case_id=case.pk, ended_on=YESTERDAY(), end_reason=EndReason.NO_FURTHER_NEED)
    assert Case.objects.get(pk=case.pk).ended_on == YESTERDAY()


def test_one_off_enquiry_needs_its_frame_data_only(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.ONE_OFF, agreement_signed_on=None,
                       gender="")
    with pytest.raises(ValidationError) as exc:
        case_end(user=worker, case_id=case.pk, ended_on=YESTERDAY(), end_reason=EndReason.NO_FURTHER_NEED)
    assert exc.value.messages[1:] == ["Bitte geben Sie Geschlecht und Geburtsjahr an (für die Auswertung)."]
    Case.objects.filter(pk=case.pk).update(gender="w")
    case_end(user=worker, case_id=case.pk, ended_on=YESTERDAY(), end_reason=EndReason.NO_FURTHER_NEED)
    assert Case.objects.get(pk=case.pk).end_reason == EndReason.NO_FURTHER_NEED


def test_withdrawn_counselling_consent_cannot_end_as_completed(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.SIMPLE)
    consent = give_consent(case, ConsentPurposeKind.COUNSELLING)
    complete_part_a(case)
    consent.purposes.update(withdrawn_on=timezone.localdate() - timedelta(days=2))
    with pytest.raises(ValidationError, match="Einwilligungs- und Datenschutzerklärung"):
        case_end(user=worker, case_id=case.pk, ended_on=YESTERDAY(), end_reason=EndReason.GOALS_REACHED)
    case_end(user=worker, case_id=case.pk, ended_on=YESTERDAY(), end_reason=EndReason.ABORTED)
    assert Case.objects.get(pk=case.pk).end_reason == EndReason.ABORTED
