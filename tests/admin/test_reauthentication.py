"""Money and programme rules: confirm access (password or second-factor code) within the last 5 minutes first."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import PayoutBatch
from grants.states import State
from tests.factories.people import reauthenticate, totp_code

from .conftest import login
from .test_programmes_admin import programme_data

pytestmark = pytest.mark.django_db
ADD = reverse("zahlungslaeufe:add")
CONFIRM_BY_CODE = reverse("mfa_reauthenticate")
PASSWORD_PAGE = reverse("account_reauthenticate")


def today() -> str:
    return timezone.localdate().strftime("%d.%m.%Y")


def asks_to_confirm(response, path: str) -> bool:
    """Redirected to allauth's confirmation, which leads back to ``path`` afterwards."""
    if response.status_code != 302:
        return False
    url = urlsplit(response["Location"])
    return url.path == CONFIRM_BY_CODE and parse_qs(url.query).get("next") == [path]


@pytest.fixture
def open_batch(client, people, application_in):
    application = application_in(State.APPROVED, amount="1200.00")
    login(client, people.finance)
    reauthenticate(client)
    client.post(ADD, {"applications": [application.pk], "execution_date": today()})
    client.logout()
    return PayoutBatch.objects.get()


def test_payout_steps_ask_to_confirm_access_first(client, people, application_in, open_batch):
    waiting = application_in(State.APPROVED, amount="500.00")
    login(client, people.finance)
    assert client.get(ADD).status_code == 200  # the form opens
    assert asks_to_confirm(client.post(ADD, {"applications": [waiting.pk], "execution_date": today()}), ADD)
    assert PayoutBatch.objects.count() == 1

    sepa = reverse("zahlungslaeufe:sepa", args=[open_batch.pk])
    assert asks_to_confirm(client.get(sepa), sepa)

    execute = reverse("zahlungslaeufe:execute", args=[open_batch.pk])
    assert client.get(execute).status_code == 200  # the confirmation page opens
    assert asks_to_confirm(client.post(execute), execute)
    open_batch.refresh_from_db()
    assert open_batch.status == PayoutBatch.Status.OPEN


def test_confirming_with_the_code_carries_out_the_waiting_step(client, people, application_in):
    application = application_in(State.APPROVED, amount="1200.00")
    login(client, people.finance)
    response = client.post(ADD, {"applications": [application.pk], "execution_date": today()})
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Zugriff bestätigen" in page.content.decode()

    wrong = client.post(response["Location"], {"code": "000000" if totp_code(people.finance) != "000000" else "1"})
    assert wrong.status_code == 200
    assert not PayoutBatch.objects.exists()

    done = client.post(response["Location"], {"code": totp_code(people.finance)})
    batch = PayoutBatch.objects.get()  # the suspended POST ran once the code was right
    assert done["Location"] == reverse("zahlungslaeufe:detail", args=[batch.pk])
    assert list(batch.items.values_list("application_id", flat=True)) == [application.pk]


def test_the_password_is_offered_as_well(client, people, open_batch):
    login(client, people.finance)
    execute = reverse("zahlungslaeufe:execute", args=[open_batch.pk])
    client.post(execute)
    page = lxml.html.fromstring(client.get(f"{CONFIRM_BY_CODE}?next={execute}").content)
    by_password = next(href for href in page.xpath("//main//a/@href") if href.startswith(PASSWORD_PAGE))
    assert parse_qs(urlsplit(by_password).query)["next"] == [execute]
    assert client.post(by_password, {"password": "falsch"}).status_code == 200
    open_batch.refresh_from_db()
    assert open_batch.status == PayoutBatch.Status.OPEN
    assert client.post(by_password, {"password": "demo-pass-123"}).status_code == 302
    open_batch.refresh_from_db()
    assert open_batch.status == PayoutBatch.Status.EXECUTED


def test_a_confirmation_holds_for_five_minutes(client, people, application_in, time_machine):
    time_machine.move_to("2026-03-02 10:00:00+01:00", tick=False)
    first, second = application_in(State.APPROVED), application_in(State.APPROVED)
    login(client, people.finance)
    reauthenticate(client)
    time_machine.shift(timedelta(minutes=4))
    assert client.post(ADD, {"applications": [first.pk], "execution_date": today()})["Location"] != ADD
    assert PayoutBatch.objects.count() == 1
    time_machine.shift(timedelta(minutes=2))  # 6 minutes after confirming
    assert asks_to_confirm(client.post(ADD, {"applications": [second.pk], "execution_date": today()}), ADD)
    assert PayoutBatch.objects.count() == 1


def test_saving_programme_rules_asks_to_confirm_access(client, people):
    from tests.factories import ProgrammeFactory

    programme = ProgrammeFactory(code="ALT")
    edit = reverse("foerderprogramme:edit", args=[programme.pk])
    login(client, people.staff)
    assert client.get(edit).status_code == 200
    assert asks_to_confirm(client.post(edit, programme_data(code="NEU")), edit)
    programme.refresh_from_db()
    assert programme.code == "ALT"

    reauthenticate(client)
    assert client.post(edit, programme_data(code="NEU")).status_code == 302
    programme.refresh_from_db()
    assert programme.code == "NEU"


def test_roles_without_the_permission_still_get_403_not_a_confirmation(client, people, open_batch):
    login(client, people.committee)
    assert client.post(ADD, {"execution_date": today()}).status_code == 403
    assert client.get(reverse("zahlungslaeufe:sepa", args=[open_batch.pk])).status_code == 403
