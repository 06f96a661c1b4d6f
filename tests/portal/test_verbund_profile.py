"""A Kommunaler Verbund names its member municipalities in its profile; other types have none."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.organisations.models import Organisation
from portal.organisations.services import organisation_create, organisation_update
from programmes.choices import ApplicantType
from tests.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory, role_user

from .test_organisations import organisation_data

pytestmark = pytest.mark.django_db

REQUIRED = "Wählen Sie die Mitgliedskommunen Ihres Verbunds aus"


@pytest.fixture
def towns():
    return [MunicipalityFactory(name=name) for name in ("Oberried", "Unterried", "Birkenfeld")]


@pytest.fixture
def user_client(client):
    user = role_user("Antragsteller")
    client.force_login(user)
    client.user = user
    return client


def verbund_data(members, **overrides):
    return organisation_data(name="GVV Oberes Ried", legal_form="public",
                             applicant_type=ApplicantType.MUNICIPAL_ASSOCIATION,
                             member_municipalities=[str(m.pk) for m in members], **overrides)


def test_form_shows_the_members_as_checkboxes_in_a_fieldset(user_client, towns):
    html = user_client.get(reverse("portal:organisation_create")).content.decode()
    fieldset = html.split('id="id_member_municipalities"')[1].split("</fieldset>")[0]
    assert "<legend" in fieldset
    assert "Mitgliedskommunen (nur Kommunaler Verbund)" in fieldset
    assert fieldset.count('type="checkbox" class="kern-form-check__checkbox" name="member_municipalities"') >= 3


def test_verbund_saves_its_members(user_client, towns):
    response = user_client.post(reverse("portal:organisation_create"), verbund_data(towns[:2]))
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert set(organisation.member_municipalities.all()) == set(towns[:2])
    detail = user_client.get(reverse("portal:organisation_detail", args=[organisation.pk])).content.decode()
    assert "Oberried" in detail
    assert "Unterried" in detail


def test_verbund_without_members_is_refused_in_german(user_client, towns):
    response = user_client.post(reverse("portal:organisation_create"), verbund_data([]))
    html = response.content.decode()
    assert response.status_code == 200
    assert REQUIRED in html
    assert 'href="#id_member_municipalities"' in html
    assert not Organisation.objects.exists()


def test_other_types_ignore_ticked_members(user_client, towns):
    user_client.post(reverse("portal:organisation_create"),
                     organisation_data(member_municipalities=[str(towns[0].pk)]))
    assert Organisation.objects.get().member_municipalities.count() == 0


def test_changing_the_type_away_from_verbund_clears_the_members(user_client, towns):
    organisation = OrganisationFactory(applicant_type=ApplicantType.MUNICIPAL_ASSOCIATION)
    organisation.member_municipalities.set(towns)
    MembershipFactory(organisation=organisation, user=user_client.user)
    edit = reverse("portal:organisation_edit", args=[organisation.pk])
    page = user_client.get(edit).content.decode()
    assert page.count("checked") >= 3  # the stored members are ticked
    data = organisation_data(name=organisation.name, applicant_type=ApplicantType.MUNICIPALITY,
                             member_municipalities=[str(t.pk) for t in towns])
    assert user_client.post(edit, data).status_code == 302
    assert organisation.member_municipalities.count() == 0


def test_service_requires_members_for_a_verbund_and_keeps_them_when_not_given(towns):
    user = role_user("Antragsteller")
    data = {key: value for key, value in organisation_data().items() if key != "seat_municipality"}
    data.update(applicant_type=ApplicantType.MUNICIPAL_ASSOCIATION, seat_municipality=towns[0])
    with pytest.raises(ValidationError) as error:
        organisation_create(user=user, data={**data, "member_municipalities": []})
    assert REQUIRED in str(error.value)
    assert not Organisation.objects.exists()
    organisation = organisation_create(user=user, data={**data, "member_municipalities": towns})
    organisation_update(user=user, organisation_id=organisation.pk, data={"town": "Oberried"})
    assert organisation.member_municipalities.count() == 3


def test_outsider_cannot_edit_the_members(client, towns):
    organisation = OrganisationFactory(applicant_type=ApplicantType.MUNICIPAL_ASSOCIATION)
    organisation.member_municipalities.set(towns[:1])
    MembershipFactory(organisation=organisation)
    outsider = role_user("Antragsteller")
    MembershipFactory(user=outsider)
    client.force_login(outsider)
    edit = reverse("portal:organisation_edit", args=[organisation.pk])
    response = client.post(edit, verbund_data(towns))
    assert response.status_code == 404
    assert organisation.member_municipalities.count() == 1
