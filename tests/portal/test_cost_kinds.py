"""The kind of each cost line (personnel or material costs), asked where the programme's settings make it matter
(share financing, grants.rules.cost_kinds_asked): the form, the service, the applicant's and the staff view."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants.models import Application, CostLine
from grants.services.applications import CostLineData, application_update
from programmes.choices import ApplicantType, CostKind
from tests.committee.builder import People, application, lotsen_programme
from tests.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory, ProgrammeFactory, role_user

from .test_cofinancing_application import error_summary, field_names, form_data, new_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return lotsen_programme()


@pytest.fixture
def town(db):
    return MunicipalityFactory(name="Adorf")


@pytest.fixture
def organisation(member, town):
    organisation = OrganisationFactory(name="Gemeinde Adorf", applicant_type=ApplicantType.MUNICIPALITY,
                                       seat_municipality=town)
    MembershipFactory(user=member, organisation=organisation)
    return organisation


def two_lines(town, **overrides):
    return form_data(town, **{
        "kosten-TOTAL_FORMS": "2", "kosten-0-description": "Aufwandsentschädigungen der Lotsen",
        "kosten-0-kind": "personnel", "kosten-0-amount": "14.000,00", "kosten-1-description": "Schulung und Fahrten",
        "kosten-1-kind": "material", "kosten-1-amount": "6.000,00", **overrides})


def test_the_form_asks_the_kind_only_where_the_programme_needs_it(member_client, programme, organisation):
    html = member_client.get(new_url(programme)).content.decode()
    assert "kosten-0-kind" in field_names(html)
    assert re.search(r'<option value="personnel">Personalkosten</option>', html)
    assert "Art der Kosten" in html
    plain = ProgrammeFactory()  # fixed-amount microfunding: a plain cost plan
    assert "kosten-0-kind" not in field_names(member_client.get(new_url(plain)).content.decode())


def test_each_line_keeps_its_kind_and_a_line_without_one_is_refused(member_client, programme, organisation, town):
    response = member_client.post(new_url(programme), two_lines(town, **{"kosten-1-kind": ""}))
    assert response.status_code == 200
    assert "Wählen Sie, ob diese Position Personal- oder Sachkosten sind." in error_summary(response.content.decode())
    assert not Application.objects.exists()

    response = member_client.post(new_url(programme), two_lines(town))
    assert response.status_code == 302
    application_ = Application.objects.get()
    assert [(line.description, line.kind) for line in application_.cost_lines.all()] == [
        ("Aufwandsentschädigungen der Lotsen", CostKind.PERSONNEL), ("Schulung und Fahrten", CostKind.MATERIAL)]
    edit = member_client.get(reverse("portal:application_edit", args=[application_.pk])).content.decode()
    assert re.search(r'<option value="material" selected>Sachkosten</option>', edit)


def test_adding_a_row_keeps_the_kinds(member_client, programme, organisation, town):
    html = member_client.post(new_url(programme), two_lines(town, action="add_line")).content.decode()
    assert 'name="kosten-2-kind"' in html
    assert re.search(r'name="kosten-1-kind"[^>]*>.*?<option value="material" selected>', html, re.S)


def test_the_service_refuses_lines_without_a_kind_all_or_nothing(programme):
    app = application(programme, People(), submit=False)
    member = app.created_by
    with pytest.raises(ValidationError) as error:
        application_update(user=member, application_id=app.pk, data={"title": "Neu"}, cost_lines=[
            CostLineData("Aufwandsentschädigungen", Decimal("14000"), CostKind.PERSONNEL),
            CostLineData("Schulung", Decimal("6000"))])
    assert "Position 2: Geben Sie an, ob es Personal- oder Sachkosten sind." in str(error.value)
    with pytest.raises(ValidationError, match=r"Position 1: Wählen Sie Personal- oder Sachkosten\."):
        application_update(user=member, application_id=app.pk, data={}, cost_lines=[
            CostLineData("Aufwandsentschädigungen", Decimal("14000"), "travel")])
    app.refresh_from_db()
    assert app.title != "Neu"
    assert app.cost_lines.count() == 1


def test_applicant_and_staff_see_the_kinds_and_their_sums(client, programme):
    app = application(programme, People(), costs="20000.00")
    CostLine.objects.filter(application=app).delete()
    CostLine.objects.create(application=app, description="Aufwandsentschädigungen", amount="14000.00",
                            kind=CostKind.PERSONNEL)
    CostLine.objects.create(application=app, description="Schulung", amount="6000.00", kind=CostKind.MATERIAL)
    client.force_login(app.created_by)
    html = client.get(reverse("portal:application_detail", args=[app.pk])).content.decode()
    assert '<th scope="col" class="kern-table__header">Art der Kosten</th>' in html
    assert re.search(r"Aufwandsentschädigungen</th><td class=\"kern-table__cell\">Personalkosten</td>", html)
    assert re.search(r"davon Personalkosten</th><td[^>]*>14\.000,00\s€</td>", html)
    assert re.search(r"davon Sachkosten</th><td[^>]*>6\.000,00\s€</td>", html)

    client.force_login(role_user("Sachbearbeitung"))
    html = client.get(reverse("antraege:detail", args=[app.pk])).content.decode()
    assert "<td>Aufwandsentschädigungen</td><td>Personalkosten</td>" in html
    assert "<td>Schulung</td><td>Sachkosten</td>" in html
    assert re.search(r"davon Personalkosten</th><td[^>]*>14\.000,00 €</td>", html)


def test_the_demo_pays_the_pilots_allowances_as_personnel_costs():
    from portal.demo.committee import PLANS, _cost_lines

    lines = _cost_lines(next(plan for plan in PLANS if plan.programme == "LOT"), lotsen=True)
    assert [(line.description, line.kind) for line in lines] == [
        ("Aufwandsentschädigungen und Koordination der Lotsen", CostKind.PERSONNEL),
        ("Schulung, Fahrtkosten und Material", CostKind.MATERIAL)]
