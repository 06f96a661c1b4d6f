"""A settlement is handed in once the project has ended: from its planned end (a Berlin date) on, or earlier only
when the applicant declares it ended early, with a plausible day; staff see that day."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.models import Application, Settlement
from grants.services.applications import CostLineData
from grants.services.settlements import settlement_save
from grants.states import State
from tests.factories import role_user

from .conftest import advance
from .test_settlement import settlement_data

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
NOT_YET = "Das Vorhaben endet laut Antrag am"


@pytest.fixture
def paid(member, application):
    return advance(application, member, State.PAID)


def plan(application, *, start: date, end: date) -> Application:
    Application.objects.filter(pk=application.pk).update(planned_start=start, planned_end=end)
    return Application.objects.get(pk=application.pk)


def submit(member, application, **kwargs):
    return settlement_save(user=member, application_id=application.pk, report="Fest mit 90 Gästen",
                           participants_reached=90, income=0, cost_lines=[CostLineData("Honorare", "700.00")],
                           submit=True, **kwargs)


def state(application) -> str:
    return Application.objects.get(pk=application.pk).state


def test_before_the_planned_end_the_settlement_is_refused_in_german(member_client, paid):
    today = timezone.localdate()
    paid = plan(paid, start=today - timedelta(days=10), end=today + timedelta(days=5))
    response = member_client.post(reverse("portal:settlement", args=[paid.pk]), settlement_data("submit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert NOT_YET in html
    assert (today + timedelta(days=5)).strftime("%d.%m.%Y") in html
    assert state(paid) == State.PAID
    assert not Settlement.objects.filter(application=paid, submitted_at__isnull=False).exists()


def test_a_draft_may_be_saved_before_the_end(member_client, paid):
    today = timezone.localdate()
    paid = plan(paid, start=today - timedelta(days=10), end=today + timedelta(days=5))
    response = member_client.post(reverse("portal:settlement", args=[paid.pk]), settlement_data("save"))
    assert response.status_code == 302
    assert Settlement.objects.get(application=paid).submitted_at is None


def test_declared_early_end_lets_it_in_and_staff_see_the_day(client, member_client, paid):
    today = timezone.localdate()
    paid = plan(paid, start=today - timedelta(days=10), end=today + timedelta(days=5))
    ended = today - timedelta(days=2)
    response = member_client.post(reverse("portal:settlement", args=[paid.pk]), settlement_data(
        "submit", ended_early="on", ended_early_on=ended.isoformat()))
    assert response.status_code == 302
    assert state(paid) == State.SETTLEMENT_SUBMITTED
    assert Settlement.objects.get(application=paid).ended_early_on == ended

    client.force_login(role_user("Sachbearbeitung"))
    html = client.get(reverse("antraege:detail", args=[paid.pk])).content.decode()
    assert "Vorhaben vorzeitig beendet am" in html
    assert ended.strftime("%d.%m.%Y") in html
    html = client.get(reverse("antraege:accept_settlement", args=[paid.pk])).content.decode()
    assert ended.strftime("%d.%m.%Y") in html


def test_early_end_ticked_without_a_day_asks_for_it(member_client, paid):
    today = timezone.localdate()
    paid = plan(paid, start=today - timedelta(days=10), end=today + timedelta(days=5))
    response = member_client.post(reverse("portal:settlement", args=[paid.pk]), settlement_data(
        "submit", ended_early="on", ended_early_on=""))
    assert response.status_code == 200
    assert "Bitte geben Sie an, an welchem Tag das Vorhaben beendet wurde." in response.content.decode()
    assert state(paid) == State.PAID


def test_a_day_without_the_tick_does_not_count(member_client, paid):
    today = timezone.localdate()
    paid = plan(paid, start=today - timedelta(days=10), end=today + timedelta(days=5))
    response = member_client.post(reverse("portal:settlement", args=[paid.pk]), settlement_data(
        "submit", ended_early_on=(today - timedelta(days=1)).isoformat()))
    assert NOT_YET in response.content.decode()
    assert state(paid) == State.PAID


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (-11, "Das Vorhaben kann nicht vor seinem Beginn am"),  # before the start
        (1, "Das Ende des Vorhabens kann nicht in der Zukunft liegen."),
        (6, "Ein vorzeitiges Ende liegt spätestens am geplanten Ende"),  # after the planned end (and future)
    ],
)
def test_implausible_early_end_days_are_refused(member_client, paid, offset, message):
    today = timezone.localdate()
    paid = plan(paid, start=today - timedelta(days=10), end=today + timedelta(days=5))
    response = member_client.post(reverse("portal:settlement", args=[paid.pk]), settlement_data(
        "submit", ended_early="on", ended_early_on=(today + timedelta(days=offset)).isoformat()))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert state(paid) == State.PAID
    assert not Settlement.objects.filter(application=paid).exists()


def test_service_refuses_before_the_end_for_any_caller(member, paid):
    today = timezone.localdate()
    paid = plan(paid, start=today - timedelta(days=10), end=today + timedelta(days=1))
    with pytest.raises(ValidationError, match="Das Vorhaben endet laut Antrag am"):
        submit(member, paid)
    assert state(paid) == State.PAID


def test_past_midnight_in_berlin_on_the_planned_end_it_may_be_handed_in(member, paid):
    # 00:30 in Berlin is still the day before in UTC: the planned end is a Berlin date.
    end = date(2027, 3, 28)  # the night the clocks change
    paid = plan(paid, start=date(2027, 1, 10), end=end)
    with time_machine.travel(datetime(2027, 3, 28, 0, 30, tzinfo=BERLIN), tick=False):
        assert timezone.now().date() == date(2027, 3, 27)
        submit(member, paid)
    assert state(paid) == State.SETTLEMENT_SUBMITTED


def test_late_in_the_evening_before_the_planned_end_it_is_refused(member, paid):
    paid = plan(paid, start=date(2027, 1, 10), end=date(2027, 3, 28))
    with time_machine.travel(datetime(2027, 3, 27, 23, 30, tzinfo=BERLIN), tick=False), \
            pytest.raises(ValidationError, match=r"28\.03\.2027"):
        submit(member, paid)
    assert state(paid) == State.PAID


def test_early_end_today_at_half_past_midnight_is_not_in_the_future(member, paid):
    paid = plan(paid, start=date(2027, 1, 10), end=date(2027, 6, 30))
    with time_machine.travel(datetime(2027, 3, 28, 0, 30, tzinfo=BERLIN), tick=False):
        submit(member, paid, ended_early_on=date(2027, 3, 28))
    assert Settlement.objects.get(application=paid).ended_early_on == date(2027, 3, 28)


def test_outsider_cannot_hand_in_anothers_settlement(outsider, paid):
    today = timezone.localdate()
    paid = plan(paid, start=today - timedelta(days=10), end=today - timedelta(days=1))
    with pytest.raises(PermissionDenied):
        submit(outsider, paid)
    assert state(paid) == State.PAID
