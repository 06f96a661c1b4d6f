"""Organisation profile: create (creator becomes member), edit, add members; IBAN checked with schwifty."""

import pytest
from django.urls import reverse

from portal.organisations.models import Membership, Organisation
from portal.organisations.services import organisation_create
from tests.factories import MembershipFactory, MunicipalityFactory, role_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer_client(client):
    user = role_user("Antragsteller")
    client.force_login(user)
    client.user = user
    return client


def organisation_data(**overrides):
    data = {
        "name": "Brücken bauen e. V.", "legal_form": "ev", "applicant_type": "association",
        "street": "Lindenweg", "house_number": "3", "postcode": "76137", "town": "Musterstadt", "country": "DE",
        "contact_name": "Ayşe Demir", "contact_email": "kontakt@bruecken.example", "contact_phone": "0721 123",
        "seat_municipality": str(MunicipalityFactory().pk), "iban": "DE89 3704 0044 0532 0130 00", "bic": "",
        "account_holder": "Brücken bauen e. V.",
    }
    data.update(overrides)
    return data


def test_creating_makes_the_user_a_member(newcomer_client):
    response = newcomer_client.post(reverse("portal:organisation_create"), organisation_data())
    organisation = Organisation.objects.get()
    assert response["Location"] == reverse("portal:dashboard")
    # Entered, not yet confirmed: nothing can be paid to it until staff confirm (tests/portal/test_bank_details.py).
    assert (organisation.iban, organisation.pending_iban) == ("", "DE89370400440532013000")
    assert list(organisation.members.all()) == [newcomer_client.user]


def test_create_returns_to_next(newcomer_client):
    next_url = reverse("portal:application_create", args=["IMP"])
    response = newcomer_client.post(
        f"{reverse('portal:organisation_create')}?next={next_url}", {**organisation_data(), "next": next_url}
    )
    assert response["Location"] == next_url


def test_create_ignores_foreign_next(newcomer_client):
    response = newcomer_client.post(reverse("portal:organisation_create"),
                                    {**organisation_data(), "next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:dashboard")


def test_bad_iban_shows_german_error_and_saves_nothing(newcomer_client):
    response = newcomer_client.post(reverse("portal:organisation_create"),
                                    organisation_data(iban="DE89 3704 0044 0532 0130 01"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Die IBAN ist ungültig (Prüfziffer oder Länge stimmen nicht)" in html
    assert 'href="#id_iban"' in html
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_german_postcode_needs_five_digits(newcomer_client):
    response = newcomer_client.post(reverse("portal:organisation_create"), organisation_data(postcode="7613"))
    assert "genau fünf Ziffern" in response.content.decode()
    assert not Organisation.objects.exists()


def test_profile_shows_iban_formatted(client, member):
    organisation = MembershipFactory(user=member).organisation
    client.force_login(member)
    html = client.get(reverse("portal:organisation_detail", args=[organisation.pk])).content.decode()
    assert "DE89 3704 0044 0532 0130 00" in html
    edit = client.get(reverse("portal:organisation_edit", args=[organisation.pk])).content.decode()
    assert 'value="DE89 3704 0044 0532 0130 00"' in edit


def test_member_edits_the_profile(client, member):
    organisation = MembershipFactory(user=member).organisation
    client.force_login(member)
    data = organisation_data(name="Neuer Name e. V.", seat_municipality=str(organisation.seat_municipality_id))
    client.post(reverse("portal:organisation_edit", args=[organisation.pk]), data)
    organisation.refresh_from_db()
    assert organisation.name == "Neuer Name e. V."


def test_organisation_create_service_is_atomic(member):
    from django.core.exceptions import ValidationError

    data = {"name": "X", "iban": "DE00"}
    with pytest.raises(ValidationError):
        organisation_create(user=member, data=data)
    assert not Organisation.objects.exists()
