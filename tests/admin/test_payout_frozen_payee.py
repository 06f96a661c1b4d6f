"""Bank details cannot be redirected: the payee is frozen per item, the SEPA file written once and stored.

Several organisations and users in each test; the applicant's profile edit goes through the real service.
"""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from grants.models import PayoutBatch, PayoutItem
from grants.services import payouts
from grants.states import State
from portal.organisations.models import BankDetailsChange
from portal.organisations.services import bank_details_confirm, organisation_update
from tests.factories import role_user
from tests.factories.people import reauthenticate

from .conftest import login

pytestmark = pytest.mark.django_db
NEW_IBAN = "DE75512108001245126199"  # the account an attacker would like to be paid to
CONFIRMED_IBAN = "DE89370400440532013000"  # the factory's confirmed account


def _redirect(organisation, user, iban=NEW_IBAN):
    """The applicant enters another account in the profile, as the form does."""
    return organisation_update(user=user, organisation_id=organisation.pk,
                               data={"iban": iban, "bic": "", "account_holder": "Umleitung GmbH"})


def _download(client, user, batch) -> bytes:
    response = reauthenticate(login(client, user)).get(reverse("zahlungslaeufe:sepa", args=[batch.pk]))
    assert response.status_code == 200
    return response.content


def test_confirmed_change_after_creation_leaves_file_and_hash_unchanged(client, people, application_in):
    application = application_in(State.APPROVED)
    other = application_in(State.APPROVED, amount="500.00")
    batch = payouts.payout_batch_create(user=people.finance, application_ids=[application.pk, other.pk])
    first = _download(client, people.finance, batch)
    assert hashlib.sha256(first).hexdigest() == batch.sepa_sha256
    assert CONFIRMED_IBAN.encode() in first

    # The account changes the proper way (entered by a member, confirmed by the Kasse) and the address too.
    organisation = application.organisation
    _redirect(organisation, people.applicant)
    bank_details_confirm(user=people.finance,
                         change_id=BankDetailsChange.objects.get(organisation=organisation).pk)
    organisation.refresh_from_db()
    assert organisation.iban == NEW_IBAN
    organisation.town = "Anderswo"
    organisation.save()

    second = _download(client, people.finance, batch)
    batch.refresh_from_db()
    assert second == first
    assert hashlib.sha256(second).hexdigest() == batch.sepa_sha256
    assert NEW_IBAN.encode() not in second
    item = batch.items.get(application=application)
    assert (item.payee_iban, item.payee_town) == (CONFIRMED_IBAN, "Musterstadt")
    page = login(client, people.finance).get(reverse("zahlungslaeufe:detail", args=[batch.pk])).content.decode()
    assert batch.sepa_sha256 in page
    assert "DE89 3704 0044 0532 0130 00" in page
    assert "DE75 5121" not in page


def test_unconfirmed_edit_after_approval_pays_the_confirmed_account(client, people, application_in):
    application = application_in(State.APPROVED)
    _redirect(application.organisation, people.applicant)  # after approval, before the batch

    batch = payouts.payout_batch_create(user=people.finance, application_ids=[application.pk])

    assert batch.items.get().payee_iban == CONFIRMED_IBAN
    content = _download(client, people.finance, batch)
    assert CONFIRMED_IBAN.encode() in content
    assert NEW_IBAN.encode() not in content
    assert b"Umleitung" not in content


def test_edit_after_batch_creation_changes_nothing_in_the_file(client, people, application_in):
    application = application_in(State.APPROVED)
    batch = payouts.payout_batch_create(user=people.finance, application_ids=[application.pk])
    before = _download(client, people.finance, batch)
    _redirect(application.organisation, people.applicant)
    assert _download(client, people.finance, batch) == before


def test_export_command_writes_the_stored_bytes(people, application_in, tmp_path):
    application = application_in(State.APPROVED)
    batch = payouts.payout_batch_create(user=people.finance, application_ids=[application.pk])
    application.organisation.iban = NEW_IBAN  # even a change behind the services' back
    application.organisation.save()
    target = tmp_path / "lauf.xml"
    out = StringIO()
    call_command("export_payout_batch", str(batch.pk), output=str(target), stdout=out)
    with batch.sepa_file.open("rb") as handle:
        assert target.read_bytes() == handle.read()
    assert batch.sepa_sha256 in out.getvalue()


def test_a_batch_from_before_stored_files_gets_its_file_once(client, people, application_in):
    application = application_in(State.APPROVED)
    batch = payouts.payout_batch_create(user=people.finance, application_ids=[application.pk])
    with connection.cursor() as cursor:  # as before stored files (PostgreSQL's trigger would refuse it)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        PayoutBatch.objects.filter(pk=batch.pk).update(sepa_file="", sepa_sha256="")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    first = _download(client, people.finance, batch)
    batch.refresh_from_db()
    assert batch.sepa_sha256 == hashlib.sha256(first).hexdigest()
    assert _download(client, people.finance, batch) == first


def test_no_confirmed_details_leaves_the_item_out_and_the_rest_goes_on(client, people, application_in):
    paid = application_in(State.APPROVED, amount="700.00")
    unconfirmed = application_in(State.APPROVED, amount="300.00", organisation__iban="",
                                 organisation__pending_iban=NEW_IBAN, organisation__name="Neuer Verein e. V.")
    reauthenticate(login(client, people.finance))
    form = client.get(reverse("zahlungslaeufe:add")).content.decode()
    assert f'value="{unconfirmed.pk}"' in form
    assert f'disabled aria-describedby="unpayable_{unconfirmed.pk}"' in form
    assert "Keine bestätigte Bankverbindung" in form

    response = client.post(reverse("zahlungslaeufe:add"), {
        "applications": [paid.pk, unconfirmed.pk], "execution_date": timezone.localdate().strftime("%d.%m.%Y"),
    }, follow=True)
    batch = PayoutBatch.objects.get()
    assert list(batch.items.values_list("application_id", flat=True)) == [paid.pk]
    assert batch.skipped[0]["number"] == unconfirmed.file_number
    html = response.content.decode()
    assert "nicht aufgenommen" in html
    assert f"{unconfirmed.file_number} (Neuer Verein e. V.): Keine bestätigte Bankverbindung" in html
    # It waits for the next batch, once its bank details are confirmed.
    assert unconfirmed.pk in {a.pk for a, _c in client.get(reverse("zahlungslaeufe:add")).context["rows"]}


def test_only_unconfirmed_organisations_refuse_the_batch(people, application_in):
    unconfirmed = application_in(State.APPROVED, organisation__iban="")
    with pytest.raises(ValidationError, match="Keine bestätigte Bankverbindung"):
        payouts.payout_batch_create(user=people.finance, application_ids=[unconfirmed.pk])
    assert not PayoutBatch.objects.exists()


def test_too_long_fields_are_cut_and_the_batch_page_says_which(client, people, application_in):
    long_name = "Förderverein für Begegnung, Bildung und Teilhabe im ländlichen Raum Südwest e. V."
    assert len(long_name) <= 100
    cut = application_in(State.APPROVED, organisation__account_holder=long_name[:70],
                         organisation__town="Überlingen-Öhningen-Äpfelbäumenstäd")  # 35, longer as SEPA text
    fine = application_in(State.APPROVED, organisation__account_holder="Kurz e. V.", organisation__town="Ulm")
    batch = payouts.payout_batch_create(user=people.finance, application_ids=[cut.pk, fine.pk])

    item = batch.items.get(application=cut)
    assert item.shortened == ["name", "town"]
    assert len(item.payee_name) == 70
    assert len(item.payee_town) == 35
    assert batch.items.get(application=fine).shortened == []
    page = login(client, people.finance).get(reverse("zahlungslaeufe:detail", args=[batch.pk])).content.decode()
    assert "Gekürzte Angaben" in page
    assert f"{cut.file_number}: Name, Ort" in page
    assert f"{fine.file_number}: " not in page


def test_batch_page_warns_for_accounts_changed_in_the_last_30_days(client, people, application_in):
    recent = application_in(State.APPROVED)
    old = application_in(State.APPROVED)
    quiet = application_in(State.APPROVED)
    clerk = role_user("Antragsteller")
    BankDetailsChange.objects.create(organisation=recent.organisation, new_iban_masked="**** 3000",
                                     entered_by=clerk, entered_at=timezone.now() - timedelta(days=29),
                                     status=BankDetailsChange.Status.CONFIRMED, decided_by=people.finance,
                                     decided_at=timezone.now() - timedelta(days=28))
    BankDetailsChange.objects.create(organisation=old.organisation, new_iban_masked="**** 3000",
                                     entered_by=clerk, entered_at=timezone.now() - timedelta(days=31),
                                     status=BankDetailsChange.Status.CONFIRMED, decided_by=people.finance,
                                     decided_at=timezone.now() - timedelta(days=31))
    batch = payouts.payout_batch_create(user=people.finance, application_ids=[recent.pk, old.pk, quiet.pk])
    page = login(client, people.finance).get(reverse("zahlungslaeufe:detail", args=[batch.pk]))
    flagged = {item.application_id for item in page.context["recent_changes"]}
    assert flagged == {recent.pk}
    assert "Bankverbindung kürzlich geändert" in page.content.decode()

    # A change entered after the batch was made is flagged too (it is pending; the batch pays the old account).
    _redirect(quiet.organisation, people.applicant)
    page = login(client, people.finance).get(reverse("zahlungslaeufe:detail", args=[batch.pk]))
    assert {item.application_id for item in page.context["recent_changes"]} == {recent.pk, quiet.pk}


def test_batch_page_queries_do_not_grow_with_items(client, people, application_in, django_assert_max_num_queries):
    applications = [application_in(State.APPROVED) for _ in range(4)]
    batch = payouts.payout_batch_create(user=people.finance, application_ids=[a.pk for a in applications])
    login(client, people.finance)
    url = reverse("zahlungslaeufe:detail", args=[batch.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    assert PayoutItem.objects.filter(batch=batch).count() == 4
