"""The status at a reporting date can be recorded after the end of counselling, so "left the country" or
"aborted" at the next reporting date is captured; from the end on only statuses that fit its reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from integration_core.cases.anonymise import case_anonymise
from integration_core.cases.services import case_end
from integration_core.cases.services_parts import reporting_status_record, statuses_after_end, suggested_status
from integration_core.models import Case, CounsellingType, EndReason, PlanStatus, ReportingStatus
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def ended(worker, reason, *, days_ago=20, **kwargs):
    kwargs.setdefault("counselling_type", CounsellingType.FULL)
    case = CaseFactory(case_worker=worker, first_contact_on=TODAY() - timedelta(days=400), **kwargs)
    case_end(user=worker, case_id=case.pk, ended_on=TODAY() - timedelta(days=days_ago), end_reason=reason)
    return Case.objects.get(pk=case.pk)


def record(worker, case, status, *, day=None):
    return reporting_status_record(user=worker, case_id=case.pk, reporting_date=day or TODAY(), status=status)


def test_left_the_country_is_recorded_at_the_next_reporting_date(worker):
    case = ended(worker, EndReason.LEFT_COUNTRY)
    row = record(worker, case, PlanStatus.LEFT_COUNTRY)
    assert (row.reporting_date, row.status) == (TODAY(), PlanStatus.LEFT_COUNTRY)


@pytest.mark.parametrize(("reason", "fits", "refused"), [
    (EndReason.LEFT_COUNTRY, PlanStatus.LEFT_COUNTRY, [PlanStatus.IN_PROGRESS, PlanStatus.ABORTED,
                                                       PlanStatus.NO_FURTHER_NEED]),
    (EndReason.ABORTED, PlanStatus.ABORTED, [PlanStatus.IN_PROGRESS, PlanStatus.LEFT_COUNTRY]),
    (EndReason.GOALS_REACHED, PlanStatus.NO_FURTHER_NEED, [PlanStatus.IN_PROGRESS, PlanStatus.ABORTED]),
    (EndReason.MOVED_AWAY, PlanStatus.ABORTED, [PlanStatus.IN_PROGRESS]),
])
def test_from_the_end_on_only_statuses_that_fit_the_reason(worker, reason, fits, refused):
    # A one-off enquiry is complete with its frame data, so it may end with any reason.
    case = ended(worker, reason, counselling_type=CounsellingType.ONE_OFF, agreement_signed_on=None)
    for status in refused:
        with pytest.raises(ValidationError) as exc:
            record(worker, case, status)
        message = exc.value.message_dict["status"][0]
        assert message.startswith(f"Die Beratung wurde am {case.ended_on:%d.%m.%Y} beendet")
        assert f"„{PlanStatus(fits).label}“" in message
    assert not ReportingStatus.objects.exists()
    assert record(worker, case, fits, day=case.ended_on).status == fits  # the day of the end counts as after


def test_earlier_reporting_dates_of_an_ended_case_can_be_completed(worker):
    case = ended(worker, EndReason.LEFT_COUNTRY, days_ago=20)
    row = record(worker, case, PlanStatus.IN_PROGRESS, day=case.ended_on - timedelta(days=1))
    assert row.status == PlanStatus.IN_PROGRESS


def test_no_reporting_date_in_the_future_or_on_an_anonymised_case(worker):
    case = ended(worker, EndReason.ABORTED)
    with pytest.raises(ValidationError, match="Zukunft"):
        record(worker, case, PlanStatus.ABORTED, day=TODAY() + timedelta(days=1))
    case_anonymise(case_id=case.pk)
    with pytest.raises(ValidationError, match="anonymisiert"):
        record(worker, case, PlanStatus.ABORTED)


def test_after_the_maximum_duration_the_status_follows_the_end(worker):
    """A case that ran out is ended at its permitted end; the next reporting date lies after that end."""
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL,
                       first_contact_on=TODAY() - timedelta(days=3 * 366 + 30))
    with pytest.raises(ValidationError, match="Höchstdauer"):
        record(worker, case, PlanStatus.IN_PROGRESS)  # lapsed, not ended: refused as before
    from integration_core.cases.duration import permitted_end

    case_end(user=worker, case_id=case.pk, ended_on=permitted_end(case), end_reason=EndReason.MOVED_AWAY)
    assert record(worker, case, PlanStatus.ABORTED).reporting_date == TODAY()


def test_suggested_status_comes_from_the_end_reason(worker):
    assert suggested_status(CaseFactory(case_worker=worker)) is None  # running
    assert suggested_status(ended(worker, EndReason.LEFT_COUNTRY)) == PlanStatus.LEFT_COUNTRY
    assert suggested_status(ended(worker, EndReason.ABORTED)) == PlanStatus.ABORTED
    assert suggested_status(ended(worker, EndReason.HANDED_OVER)) is None  # several fit: the case worker picks
    assert PlanStatus.IN_PROGRESS not in statuses_after_end(EndReason.OTHER)
