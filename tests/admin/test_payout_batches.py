"""Finance's payout batches through the admin views: create, show, download, execute once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from grants.models import PayoutBatch
from grants.states import State
from programmes.models import ProgrammeBudget
from tests.factories.people import reauthenticate

from .conftest import login

pytestmark = pytest.mark.django_db
INDEX, ADD = reverse("zahlungslaeufe:index"), reverse("zahlungslaeufe:add")


def batch_url(name, batch):
    return reverse(f"zahlungslaeufe:{name}", args=[batch.pk])


def today() -> str:
    return timezone.localdate().strftime("%d.%m.%Y")


@pytest.mark.parametrize("role", ["staff", "head", "committee"])
def test_only_finance_may_open_payout_screens(client, people, application_in, role):
    application = application_in(State.PAID)
    batch = application.grant_payout.batch
    login(client, getattr(people, role))
    for target in [INDEX, ADD, batch_url("detail", batch), batch_url("sepa", batch), batch_url("execute", batch)]:
        assert client.get(target).status_code == 403, target
    assert client.post(ADD, {"applications": [application.pk], "execution_date": today()}).status_code == 403
    assert client.post(batch_url("execute", batch)).status_code == 403


def test_finance_creates_a_batch_from_the_checked_applications(client, people, application_in):
    first = application_in(State.APPROVED, amount="1200.00")
    second = application_in(State.APPROVED, amount="800.00")
    waiting = application_in(State.APPROVED, amount="500.00")
    application_in(State.RECOMMENDED)
    reauthenticate(login(client, people.finance))
    page = client.get(ADD)
    assert page.status_code == 200
    listed = {a.pk for a, _checked in page.context["rows"]}
    assert listed == {first.pk, second.pk, waiting.pk}  # approved and in no batch only

    response = client.post(ADD, {"applications": [first.pk, second.pk], "execution_date": today()}, follow=True)
    batch = PayoutBatch.objects.get()
    assert response.redirect_chain[-1][0] == batch_url("detail", batch)
    assert sorted(batch.items.values_list("application_id", flat=True)) == sorted([first.pk, second.pk])
    html = response.content.decode()
    assert "2.000,00 €" in html
    assert first.file_number in html
    assert {a.pk for a, _c in client.get(ADD).context["rows"]} == {waiting.pk}

    index = client.get(INDEX).content.decode()
    assert batch.number in index
    assert "2.000,00 €" in index


def test_create_without_selection_or_with_past_date_is_refused(client, people, application_in):
    application = application_in(State.APPROVED)
    reauthenticate(login(client, people.finance))
    response = client.post(ADD, {"execution_date": today()})
    assert "Wählen Sie mindestens einen bewilligten Antrag." in response.content.decode()
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%d.%m.%Y")
    response = client.post(ADD, {"applications": [application.pk], "execution_date": yesterday})
    assert "Das Ausführungsdatum darf nicht in der Vergangenheit liegen." in response.content.decode()
    recommended = application_in(State.RECOMMENDED)
    response = client.post(ADD, {"applications": [recommended.pk], "execution_date": today()})
    assert "kann nicht mehr ausgezahlt werden" in response.content.decode()
    assert not PayoutBatch.objects.exists()


def test_execute_asks_first_then_pays_each_application_once(client, people, application_in):
    application = application_in(State.APPROVED, amount="1200.00")
    reauthenticate(login(client, people.finance))
    client.post(ADD, {"applications": [application.pk], "execution_date": today()})
    batch = PayoutBatch.objects.get()

    confirm = client.get(batch_url("execute", batch))
    assert confirm.status_code == 200
    assert "1.200,00 €" in confirm.content.decode()
    application.refresh_from_db()
    assert application.state == State.APPROVED  # GET changes nothing

    response = client.post(batch_url("execute", batch), follow=True)
    assert "ist ausgeführt" in response.content.decode()
    application.refresh_from_db()
    batch.refresh_from_db()
    assert application.state == State.PAID
    assert batch.status == PayoutBatch.Status.EXECUTED
    budget = ProgrammeBudget.objects.get(programme=application.programme)
    assert budget.paid == Money("1200.00", "EUR")

    response = client.post(batch_url("execute", batch), follow=True)
    assert "bereits ausgeführt" in response.content.decode()
    budget.refresh_from_db()
    assert budget.paid == Money("1200.00", "EUR")
    assert application.events.filter(action="record_payout").count() == 1


def test_sepa_download_is_the_stored_file_as_an_attachment(client, people, application_in):
    application = application_in(State.PAID)
    batch = application.grant_payout.batch
    with batch.sepa_file.open("rb") as handle:
        stored = handle.read()
    response = reauthenticate(login(client, people.finance)).get(batch_url("sepa", batch))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == f'attachment; filename="SEPA-{batch.number}-{batch.execution_date}.xml"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == stored


def test_sepa_download_of_a_tampered_file_is_refused(client, people, application_in):
    application = application_in(State.PAID)
    batch = application.grant_payout.batch
    with batch.sepa_file.storage.open(batch.sepa_file.name, "wb") as handle:
        handle.write(b"<Document>umgeleitet</Document>")
    response = reauthenticate(login(client, people.finance)).get(batch_url("sepa", batch), follow=True)
    assert response.redirect_chain[-1][0] == batch_url("detail", batch)
    assert "stimmt nicht mehr mit ihrer Prüfsumme überein" in response.content.decode()


def test_unknown_batch_is_404_for_finance(client, people):
    reauthenticate(login(client, people.finance))
    assert client.get(reverse("zahlungslaeufe:detail", args=[9999])).status_code == 404


def test_sepa_download_with_the_real_builder_names_every_application(client, people, application_in):
    application = application_in(State.PAID, amount="1200.00")
    batch = application.grant_payout.batch
    response = reauthenticate(login(client, people.finance)).get(batch_url("sepa", batch))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="')
    xml = response.content.decode()
    assert "pain.001.001.09" in xml
    assert f"<EndToEndId>{application.file_number}</EndToEndId>" in xml
    assert "1200.00" in xml
