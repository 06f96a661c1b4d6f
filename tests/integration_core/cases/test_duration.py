"""The 3 + 1 year rule, the 60-day warning and the refusal of new activity after the end."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from integration_core.cases import duration
from integration_core.cases.services import case_end, case_extend
from integration_core.cases.services_parts import competences_save, goal_add, reporting_status_record
from integration_core.models import CounsellingType, EndReason, GoalArea, PlanStatus
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db
REASON = "Anerkennungsverfahren läuft noch, Abschluss der Ausbildung absehbar."


def started(worker, days_ago, **kwargs):
    return CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL, with_consent=True,
                       first_contact_on=timezone.localdate() - timedelta(days=days_ago), **kwargs)


def test_three_years_from_first_contact(worker):
    case = CaseFactory.build(first_contact_on=date(2023, 3, 1))
    assert duration.base_end(case) == date(2026, 2, 28)
    assert duration.latest_extension(case) == date(2027, 2, 28)
    leap = CaseFactory.build(first_contact_on=date(2024, 2, 29))
    assert duration.base_end(leap) == date(2027, 2, 27)


@pytest.mark.parametrize(("days_left", "warns"), [(61, False), (60, True), (1, True), (0, True), (-1, True)])
def test_warning_from_60_days_before_the_end(days_left, warns):
    case = CaseFactory.build(first_contact_on=date(2023, 3, 1))
    today = duration.base_end(case) - timedelta(days=days_left)
    warning = duration.duration_warning(case, today=today)
    assert (warning is not None) is warns
    if days_left == 60:
        assert warning.startswith("Die Beratung endet am 28.02.2026, in 60 Tagen.")
        assert "Verlängerung um höchstens ein Jahr" in warning
    if days_left == 1:
        assert "in 1 Tag." in warning
    if days_left == -1:
        assert "Höchstdauer von drei Jahren ist am 28.02.2026 abgelaufen" in warning


def test_no_warning_for_ended_case():
    case = CaseFactory.build(first_contact_on=date(2023, 3, 1), ended_on=date(2024, 1, 1))
    assert duration.duration_warning(case, today=date(2026, 2, 1)) is None


def test_new_activity_refused_after_three_years(worker):
    case = started(worker, days_ago=3 * 366)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="Höchstdauer von drei Jahren"):
        goal_add(user=worker, case_id=case.pk, area=GoalArea.WORK, goal="Arbeit", agreed_on=today)
    with pytest.raises(ValidationError, match="Höchstdauer"):
        competences_save(user=worker, case_id=case.pk, data={"household_size": 2})
    with pytest.raises(ValidationError, match="Höchstdauer"):
        reporting_status_record(user=worker, case_id=case.pk, reporting_date=today, status=PlanStatus.IN_PROGRESS)
    assert not case.goals.exists()
    assert not case.reporting_statuses.exists()


def test_activity_allowed_on_the_last_day(worker):
    case = started(worker, days_ago=0)
    case.first_contact_on = duration.add_years(timezone.localdate(), -3) + timedelta(days=1)
    case.save()
    assert duration.permitted_end(case) == timezone.localdate()
    goal_add(user=worker, case_id=case.pk, area=GoalArea.WORK, goal="Arbeit", agreed_on=timezone.localdate())


def test_lead_extends_once_by_at_most_a_year_with_reason(worker, lead):
    case = started(worker, days_ago=3 * 365 - 30)
    base = duration.base_end(case)
    with pytest.raises(ValidationError) as exc:
        case_extend(user=lead, case_id=case.pk, until=base + timedelta(days=400), reason="kurz")
    assert exc.value.message_dict["until"] == [
        f"Die Beratung kann höchstens um ein Jahr, also bis zum {duration.latest_extension(case):%d.%m.%Y}, "
        "verlängert werden."]
    assert "mindestens 20 Zeichen" in exc.value.message_dict["reason"][0]
    case.refresh_from_db()
    assert case.extended_until is None

    case_extend(user=lead, case_id=case.pk, until=duration.latest_extension(case), reason=REASON)
    case.refresh_from_db()
    assert case.extended_until == duration.latest_extension(case)
    assert case.extended_by == lead
    assert case.extended_at
    assert case.extension_reason == REASON
    assert duration.permitted_end(case) == duration.latest_extension(case)

    with pytest.raises(ValidationError, match="zweite Verlängerung ist nicht möglich"):
        case_extend(user=lead, case_id=case.pk, until=duration.latest_extension(case), reason=REASON)


def test_extension_must_go_beyond_the_regular_end(worker, lead):
    case = started(worker, days_ago=100)
    with pytest.raises(ValidationError, match="nach dem regulären Ende"):
        case_extend(user=lead, case_id=case.pk, until=duration.base_end(case), reason=REASON)


def test_case_worker_may_not_extend(worker):
    case = started(worker, days_ago=3 * 365 - 30)
    with pytest.raises(PermissionDenied):
        case_extend(user=worker, case_id=case.pk, until=duration.latest_extension(case), reason=REASON)


def test_extended_case_accepts_activity_after_three_years(worker, lead):
    case = started(worker, days_ago=3 * 365 + 10)
    case_extend(user=lead, case_id=case.pk, until=duration.latest_extension(case), reason=REASON)
    goal = goal_add(user=worker, case_id=case.pk, area=GoalArea.HOUSING, goal="Wohnung finden",
                    agreed_on=timezone.localdate())
    assert goal.pk
    case.refresh_from_db()
    warning = duration.duration_warning(case, today=duration.latest_extension(case) - timedelta(days=5))
    assert "weitere Verlängerung ist nicht möglich" in warning


def test_ended_case_refuses_new_activity(worker):
    case = started(worker, days_ago=100)
    case_end(user=worker, case_id=case.pk, ended_on=timezone.localdate() - timedelta(days=1),
             end_reason=EndReason.ABORTED)
    with pytest.raises(ValidationError, match="beendet"):
        goal_add(user=worker, case_id=case.pk, area=GoalArea.WORK, goal="Arbeit", agreed_on=timezone.localdate())


def test_end_needs_reason_and_a_date_within_the_duration(worker):
    case = started(worker, days_ago=100)
    with pytest.raises(ValidationError) as exc:
        case_end(user=worker, case_id=case.pk, ended_on=timezone.localdate() + timedelta(days=1), end_reason="")
    assert set(exc.value.message_dict) == {"ended_on", "end_reason"}
    case.refresh_from_db()
    assert case.ended_on is None


def test_database_filters_agree_with_the_rule_on_every_day(worker):
    """ending_soon_q / past_end_q select exactly what days_left says, around 29 February too."""
    from integration_core.models import Case

    municipality = CaseFactory(case_worker=worker).municipality
    Case.objects.all().delete()
    first = date(2023, 1, 1)
    Case.objects.bulk_create([
        CaseFactory.build(case_worker=worker, municipality=municipality, first_contact_on=first + timedelta(days=i),
                          agreement_signed_on=None)
        for i in range(800)
    ])
    extended = CaseFactory(case_worker=worker, municipality=municipality, first_contact_on=date(2023, 1, 1),
                           extended_until=date(2026, 12, 31), extension_reason=REASON)
    for today in (date(2026, 2, 27), date(2026, 2, 28), date(2027, 2, 28), date(2027, 3, 1), date(2027, 1, 1)):
        soon = set(Case.objects.filter(duration.ending_soon_q(today=today)).values_list("pk", flat=True))
        past = set(Case.objects.filter(duration.past_end_q(today=today)).values_list("pk", flat=True))
        for case in Case.objects.all():
            left = duration.days_left(case, today=today)
            assert (case.pk in soon) is (0 <= left <= duration.WARNING_DAYS), (today, case.first_contact_on)
            assert (case.pk in past) is (left < 0), (today, case.first_contact_on)
    assert extended.pk in set(Case.objects.filter(duration.past_end_q(today=date(2027, 1, 1))).values_list(
        "pk", flat=True))
    case = Case.objects.get(pk=extended.pk)
    case.ended_on, case.end_reason = date(2026, 1, 1), EndReason.GOALS_REACHED
    case.save()
    assert not Case.objects.filter(duration.past_end_q(today=date(2027, 1, 1)), pk=extended.pk).exists()
