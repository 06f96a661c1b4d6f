"""A change of bank details is an event, mailed to every member, and waits for confirmation by staff.

The profile form and the services with several organisations and users; the admin screens are in
tests/admin/test_bank_detail_confirmation.py.
"""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.organisations.models import BankDetailsChange, Organisation, mask_iban
from portal.organisations.services import bank_details_confirm, bank_details_reject, organisation_update
from tests.factories import MembershipFactory, OrganisationFactory, role_user

pytestmark = pytest.mark.django_db
CONFIRMED = "DE89370400440532013000"
NEW = "DE75512108001245126199"
NEWER = "DE02120300000000202051"


@pytest.fixture
def org(db):
    """An organisation with confirmed details and two members, next to another organisation."""
    organisation = OrganisationFactory(name="Brücken e. V.")
    first, second = role_user("Antragsteller"), role_user("Antragsteller")
    MembershipFactory(organisation=organisation, user=first)
    MembershipFactory(organisation=organisation, user=second)
    organisation.first, organisation.second = first, second
    organisation.neighbour = MembershipFactory(user=role_user("Antragsteller")).organisation
    return organisation


def profile(organisation, **bank):
    return {
        "name": organisation.name, "legal_form": "ev", "applicant_type": "association",
        "street": "Lindenweg", "house_number": "3", "postcode": "76137", "town": "Musterstadt", "country": "DE",
        "contact_name": "Ayşe Demir", "contact_email": "kontakt@bruecken.example", "contact_phone": "0721 123",
        "seat_municipality": str(organisation.seat_municipality_id), "bic": "",
        "account_holder": organisation.account_holder, **bank,
    }


def enter(organisation, user, iban, holder=None):
    return organisation_update(user=user, organisation_id=organisation.pk, data={
        "iban": iban, "bic": "", "account_holder": holder or organisation.account_holder})


def test_profile_edit_records_a_masked_event_mails_every_member_and_keeps_paying_the_confirmed_account(
        client, org, django_capture_on_commit_callbacks):
    client.force_login(org.first)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:organisation_edit", args=[org.pk]),
                               profile(org, iban="DE75 5121 0800 1245 1261 99"), follow=True)
    assert "gilt für Auszahlungen erst, wenn die Verwaltung sie bestätigt hat" in response.content.decode()

    org.refresh_from_db()
    assert (org.iban, org.pending_iban) == (CONFIRMED, NEW)  # payouts still use the confirmed account
    change = BankDetailsChange.objects.get()
    assert (change.organisation, change.entered_by, change.status) == (org, org.first, "pending")
    assert (change.old_iban_masked, change.new_iban_masked) == ("**** 3000", "**** 6199")
    stored = [str(getattr(change, f.attname)) for f in BankDetailsChange._meta.concrete_fields]
    assert not any(CONFIRMED in value or NEW in value for value in stored)  # masked values only

    [message] = mail.outbox
    assert sorted(message.to) == sorted([org.first.email, org.second.email])
    assert org.neighbour.members.get().email not in message.to
    assert "**** 3000" in message.body
    assert "**** 6199" in message.body
    assert NEW not in message.body
    assert CONFIRMED not in message.body
    assert "Bankverbindung von Brücken e. V. geändert" in message.subject

    detail = client.get(reverse("portal:organisation_detail", args=[org.pk])).content.decode()
    assert "Neue Bankverbindung wartet auf Bestätigung" in detail
    edit = client.get(reverse("portal:organisation_edit", args=[org.pk])).content.decode()
    assert 'value="DE75 5121 0800 1245 1261 99"' in edit  # the member sees what was entered


def test_the_mail_goes_out_once_even_if_the_task_runs_twice(org, django_capture_on_commit_callbacks):
    from portal.organisations.tasks import notify_bank_details_change

    with django_capture_on_commit_callbacks(execute=True):
        enter(org, org.first, NEW)
    assert notify_bank_details_change(BankDetailsChange.objects.get().pk) is False
    assert len(mail.outbox) == 1


def test_saving_unchanged_details_records_nothing(client, org, django_capture_on_commit_callbacks):
    client.force_login(org.first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:organisation_edit", args=[org.pk]),
                    profile(org, iban="DE89 3704 0044 0532 0130 00"))
    assert not BankDetailsChange.objects.exists()
    assert mail.outbox == []


def test_a_newer_entry_replaces_the_waiting_one_and_going_back_withdraws_it(org):
    enter(org, org.first, NEW)
    enter(org, org.second, NEWER)
    first, second = BankDetailsChange.objects.order_by("pk")
    assert (first.status, second.status) == ("superseded", "pending")
    org.refresh_from_db()
    assert org.pending_iban == NEWER

    enter(org, org.first, CONFIRMED)  # back to the confirmed account: nothing left to confirm
    org.refresh_from_db()
    assert (org.iban, org.pending_iban) == (CONFIRMED, "")
    assert not BankDetailsChange.objects.filter(status="pending").exists()


def test_confirmation_makes_the_new_account_the_payout_account(org):
    finance = role_user("Finanzen")
    enter(org, org.first, NEW, holder="Brücken e. V. (neues Konto)")
    change = bank_details_confirm(user=finance, change_id=BankDetailsChange.objects.get().pk)
    org.refresh_from_db()
    assert (org.iban, org.account_holder, org.pending_iban) == (NEW, "Brücken e. V. (neues Konto)", "")
    assert (change.status, change.decided_by) == ("confirmed", finance)
    with pytest.raises(ValidationError, match="bereits bestätigt"):
        bank_details_confirm(user=role_user("Finanzen"), change_id=change.pk)


def test_rejection_keeps_the_confirmed_account(org):
    enter(org, org.first, NEW)
    bank_details_reject(user=role_user("Finanzen"), change_id=BankDetailsChange.objects.get().pk)
    org.refresh_from_db()
    assert (org.iban, org.pending_iban) == (CONFIRMED, "")


def test_a_superseded_change_cannot_be_confirmed(org):
    enter(org, org.first, NEW)
    enter(org, org.first, NEWER)
    older = BankDetailsChange.objects.order_by("pk").first()
    with pytest.raises(ValidationError, match="durch eine neuere ersetzt"):
        bank_details_confirm(user=role_user("Finanzen"), change_id=older.pk)
    org.refresh_from_db()
    assert org.iban == CONFIRMED


def test_four_eyes_the_person_who_entered_it_cannot_confirm_it(org):
    # A Kasse member who is also a member of the organisation enters the change: another person must confirm.
    cashier = role_user("Finanzen")
    MembershipFactory(organisation=org, user=cashier)
    enter(org, cashier, NEW)
    change = BankDetailsChange.objects.get()
    with pytest.raises(PermissionDenied, match="Vier-Augen-Prinzip"):
        bank_details_confirm(user=cashier, change_id=change.pk)
    org.refresh_from_db()
    assert org.iban == CONFIRMED
    bank_details_confirm(user=role_user("Finanzen"), change_id=change.pk)
    org.refresh_from_db()
    assert org.iban == NEW


def test_a_member_with_the_permission_cannot_confirm_their_own_organisation(org):
    enter(org, org.first, NEW)
    cashier = role_user("Finanzen")
    MembershipFactory(organisation=org, user=cashier)
    with pytest.raises(PermissionDenied, match="gehören dieser Organisation an"):
        bank_details_confirm(user=cashier, change_id=BankDetailsChange.objects.get().pk)


@pytest.mark.parametrize("role", ["Antragsteller", "Sachbearbeitung", "Leitung", "Ausschuss"])
def test_only_the_confirm_permission_confirms(org, role):
    enter(org, org.first, NEW)
    with pytest.raises(PermissionDenied):
        bank_details_confirm(user=role_user(role), change_id=BankDetailsChange.objects.get().pk)
    with pytest.raises(PermissionDenied):
        bank_details_confirm(user=org.second, change_id=BankDetailsChange.objects.get().pk)
    org.refresh_from_db()
    assert org.iban == CONFIRMED


def test_the_database_refuses_a_self_confirmation_even_in_bulk(org):
    enter(org, org.first, NEW)
    with pytest.raises(IntegrityError), transaction.atomic():
        BankDetailsChange.objects.update(status="confirmed", decided_by=org.first, decided_at="2026-12-01T10:00Z")


def test_another_organisations_member_can_neither_see_nor_change_the_details(client, org):
    outsider = org.neighbour.members.get()
    client.force_login(outsider)
    for name in ["portal:organisation_detail", "portal:organisation_edit"]:
        assert client.get(reverse(name, args=[org.pk])).status_code == 404
    assert client.post(reverse("portal:organisation_edit", args=[org.pk]), profile(org, iban=NEW)).status_code == 404
    with pytest.raises(PermissionDenied):
        enter(org, outsider, NEW)
    org.refresh_from_db()
    assert (org.iban, org.pending_iban) == (CONFIRMED, "")
    assert not BankDetailsChange.objects.exists()


def test_a_new_organisation_has_no_confirmed_details_until_staff_confirm(client, django_capture_on_commit_callbacks):
    user = role_user("Antragsteller")
    org = OrganisationFactory.build()
    client.force_login(user)
    data = profile(org, iban=NEW, account_holder="Neu e. V.")
    data["seat_municipality"] = str(OrganisationFactory().seat_municipality_id)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:organisation_create"), data)
    created = Organisation.objects.get(name=org.name)
    assert (created.iban, created.pending_iban, created.pending_account_holder) == ("", NEW, "Neu e. V.")
    change = BankDetailsChange.objects.get(organisation=created)
    assert (change.old_iban_masked, change.new_iban_masked, change.entered_by) == ("", "**** 6199", user)
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_mask_iban():
    assert mask_iban("DE89 3704 0044 0532 0130 00") == "**** 3000"
    assert mask_iban("") == ""
