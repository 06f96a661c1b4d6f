"""A payout batch is marked executed on its execution date at the earliest, by the Berlin calendar."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.models import PayoutBatch
from grants.services import payouts
from grants.states import State
from tests.factories.people import reauthenticate

from .conftest import login

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def test_refused_before_the_date_and_allowed_just_after_berlin_midnight(client, people, application_in):
    # 28 March 2027 is the day the clocks change; 00:30 in Berlin is still 27 March in UTC.
    with time_machine.travel(datetime(2027, 3, 27, 10, 0, tzinfo=BERLIN), tick=False) as clock:
        application = application_in(State.APPROVED)
        other = application_in(State.APPROVED)
        batch = payouts.payout_batch_create(user=people.finance, application_ids=[application.pk, other.pk],
                                            execution_date=date(2027, 3, 28))

        clock.move_to(datetime(2027, 3, 27, 23, 59, tzinfo=BERLIN))
        with pytest.raises(ValidationError, match=r"für den 28\.03\.2027 angesetzt"):
            payouts.payout_batch_execute(user=people.finance, batch_id=batch.pk)
        reauthenticate(login(client, people.finance))
        page = client.get(reverse("zahlungslaeufe:detail", args=[batch.pk])).content.decode()
        assert reverse("zahlungslaeufe:execute", args=[batch.pk]) not in page
        assert "ab dem Ausführungsdatum (28.03.2027)" in page
        response = client.post(reverse("zahlungslaeufe:execute", args=[batch.pk]), follow=True)
        assert "kann erst ab diesem Tag als ausgeführt markiert werden" in response.content.decode()
        application.refresh_from_db()
        batch.refresh_from_db()
        assert (application.state, batch.status) == (State.APPROVED, PayoutBatch.Status.OPEN)

        clock.move_to(datetime(2027, 3, 28, 0, 30, tzinfo=BERLIN))
        assert timezone.now().astimezone(UTC).date() == date(2027, 3, 27)
        # 31 minutes later the staff session has ended (30 minutes idle): log in and confirm access again.
        reauthenticate(login(client, people.finance))
        response = client.post(reverse("zahlungslaeufe:execute", args=[batch.pk]), follow=True)
        assert "ist ausgeführt" in response.content.decode()
        application.refresh_from_db()
        batch.refresh_from_db()
        assert (application.state, batch.status) == (State.PAID, PayoutBatch.Status.EXECUTED)
