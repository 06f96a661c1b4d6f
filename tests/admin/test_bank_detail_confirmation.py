"""The staff screens for bank-detail changes: who may open and decide, re-authentication, four eyes, the list."""

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.test import RequestFactory
from django.urls import reverse

from portal.organisations.models import BankDetailsChange
from portal.organisations.services import organisation_update
from tests.factories import MembershipFactory, OrganisationFactory, role_user

pytestmark = pytest.mark.django_db
INDEX = reverse("bankverbindungen_index")
NEW = "DE75512108001245126199"


def reauthenticated(client, user):
    """Logged in, with a fresh password re-authentication recorded the way allauth's own view records it."""
    client.force_login(user)
    request = RequestFactory().get("/")
    request.user, request.session = user, client.session
    record_authentication(request, user, method="password", reauthenticated=True)
    request.session.save()
    return client


def pending_change(organisation=None, *, holder="Umleitung e. V."):
    organisation = organisation or OrganisationFactory()
    member = MembershipFactory(organisation=organisation, user=role_user("Antragsteller")).user
    organisation_update(user=member, organisation_id=organisation.pk,
                        data={"iban": NEW, "bic": "", "account_holder": holder})
    return BankDetailsChange.objects.get(organisation=organisation, status="pending")


def decide_url(change):
    return reverse("bankverbindungen_decide", args=[change.pk])


@pytest.mark.parametrize("role", ["Antragsteller", "Sachbearbeitung", "Leitung", "Ausschuss", "Statistik"])
def test_every_other_role_is_refused_on_get_and_post(client, role):
    change = pending_change()
    user = role_user(role)
    if role == "Antragsteller":
        MembershipFactory(organisation=change.organisation, user=user)  # even a member of that organisation
    reauthenticated(client, user)
    for url in [INDEX, decide_url(change)]:
        assert client.get(url).status_code in (302, 403), url
    response = client.post(decide_url(change), {"action": "confirm"})
    assert response.status_code in (302, 403)
    change.refresh_from_db()
    change.organisation.refresh_from_db()
    assert change.status == "pending"
    assert change.organisation.iban == "DE89370400440532013000"


def test_finance_lists_pending_changes_masked_with_who_and_when(client, django_assert_max_num_queries):
    changes = [pending_change(OrganisationFactory(name=f"Verein {n}")) for n in range(3)]
    confirmed = pending_change(OrganisationFactory(name="Schon bestätigt e. V."))
    BankDetailsChange.objects.filter(pk=confirmed.pk).update(status="superseded")
    finance = role_user("Finanzen")
    client.force_login(finance)  # the list needs no re-authentication; deciding does
    client.get(INDEX)
    with django_assert_max_num_queries(14):
        response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    for change in changes:
        assert change.organisation.name in html
        assert change.entered_by.email in html or change.entered_by.get_full_name() in html
        assert change.entered_at.astimezone().strftime("%d.%m.%Y") in html
        assert decide_url(change) in html
    assert "**** 3000" in html
    assert "**** 6199" in html
    assert NEW not in html
    assert "DE75 5121" not in html
    assert "Schon bestätigt" not in html
    assert list(response.context["changes"]) == changes


def test_deciding_needs_a_recent_login(client):
    change = pending_change()
    finance = role_user("Finanzen")
    client.force_login(finance)
    for response in [client.get(decide_url(change)), client.post(decide_url(change), {"action": "confirm"})]:
        assert response.status_code == 302
        # allauth asks for the second factor (or the password) again
        assert response["Location"].split("?")[0] in {reverse("account_reauthenticate"), reverse("mfa_reauthenticate")}
    change.refresh_from_db()
    assert change.status == "pending"


def test_finance_confirms_after_reauthentication(client):
    change = pending_change()
    other = pending_change()
    finance = role_user("Finanzen")
    reauthenticated(client, finance)
    page = client.get(decide_url(change))
    assert page.status_code == 200
    html = page.content.decode()
    assert "DE75 5121 0800 1245 1261 99" in html  # the full new IBAN, to check it with the organisation
    assert "Umleitung e. V." in html

    response = client.post(decide_url(change), {"action": "confirm"}, follow=True)
    assert "ist bestätigt und gilt ab jetzt für Auszahlungen" in response.content.decode()
    change.refresh_from_db()
    change.organisation.refresh_from_db()
    other.organisation.refresh_from_db()
    assert (change.status, change.decided_by, change.organisation.iban) == ("confirmed", finance, NEW)
    assert other.organisation.iban == "DE89370400440532013000"  # the other organisation's change still waits

    again = client.post(decide_url(change), {"action": "confirm"}, follow=True)
    assert "bereits bestätigt" in again.content.decode()
    assert BankDetailsChange.objects.filter(status="confirmed").count() == 1


def test_finance_rejects(client):
    change = pending_change()
    reauthenticated(client, role_user("Finanzen"))
    client.post(decide_url(change), {"action": "reject"})
    change.refresh_from_db()
    change.organisation.refresh_from_db()
    assert (change.status, change.organisation.iban, change.organisation.pending_iban) == (
        "rejected", "DE89370400440532013000", "")


def test_crafted_action_changes_nothing(client):
    change = pending_change()
    reauthenticated(client, role_user("Finanzen"))
    response = client.post(decide_url(change), {"action": "approve-all"}, follow=True)
    assert "Bitte wählen Sie" in response.content.decode()
    change.refresh_from_db()
    assert change.status == "pending"


def test_four_eyes_on_the_screen(client):
    organisation = OrganisationFactory()
    cashier = role_user("Finanzen")
    MembershipFactory(organisation=organisation, user=cashier)
    organisation_update(user=cashier, organisation_id=organisation.pk,
                        data={"iban": NEW, "bic": "", "account_holder": "Selbst e. V."})
    change = BankDetailsChange.objects.get()
    reauthenticated(client, cashier)
    page = client.get(decide_url(change)).content.decode()
    assert "Vier-Augen-Prinzip" in page
    assert 'value="confirm"' not in page
    response = client.post(decide_url(change), {"action": "confirm"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == "pending"


def test_unknown_change_is_404(client):
    reauthenticated(client, role_user("Finanzen"))
    assert client.get(reverse("bankverbindungen_decide", args=[999999])).status_code == 404
    assert client.post(reverse("bankverbindungen_decide", args=[999999]), {"action": "confirm"}).status_code == 404


def test_menu_item_only_for_those_who_may_confirm(client):
    client.force_login(role_user("Finanzen"))
    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(role_user("Sachbearbeitung"))
    assert INDEX not in client.get(reverse("wagtailadmin_home")).content.decode()
