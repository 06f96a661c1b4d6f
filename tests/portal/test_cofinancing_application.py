"""A co-financed programme (Integrationslotsen) in the applicant portal: the co-financing municipality, the
municipal contribution and the split per calendar year, the evidence attachment, the cap message, and the
committee's decision on the detail page."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.models import Application, Attachment, AttachmentKind, PlannedYearAmount
from grants.services.applications import YearAmountData, application_update, attachment_add
from grants.services.committee import Decision, agenda_add, agenda_freeze
from grants.services.committee_decisions import meeting_record_decisions
from grants.states import State
from programmes.choices import ApplicantType
from tests.committee.builder import People, application, lotsen_programme, meeting
from tests.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory, ProgrammeFactory

from .helpers import PDF_BYTES, stored_attachment, upload

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# A period over the turn of the year: the requested amount must be split per calendar year.
START, END = date(TODAY.year, 12, 1), date(TODAY.year + 1, 11, 30)
if START <= TODAY:  # December: start next month, still across a turn of the year
    START, END = TODAY + timedelta(days=7), date(TODAY.year + 2, 1, 31)
Y1, Y2 = START.year, END.year


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


def new_url(programme):
    return reverse("portal:application_create", args=[programme.code])


def form_data(town, *, action="save", costs="20.000,00", own="10.000,00", years=((Y1, "6.000,00"), (Y2, "4.000,00")),
              **overrides) -> dict:
    data = {
        "action": action, "title": "Integrationslotsen Adorf", "summary": "Lotsen begleiten Neuzugewanderte.",
        "goals": "Orientierung", "target_group": "Neuzugewanderte", "expected_participants": "60",
        "activity_type": "project", "funding_field": "integration",
        "planned_start": START.isoformat(), "planned_end": END.isoformat(), "place": str(town.pk),
        "cofinancing_municipality": str(town.pk), "own_funds": own, "third_party_funds": "0",
        "declaration_truthful": "on", "declaration_not_started": "on", "declaration_privacy": "on",
        "declaration_conditions": "on",
        "kosten-TOTAL_FORMS": "1", "kosten-INITIAL_FORMS": "0",
        "kosten-0-description": "Aufwandsentschädigungen der Lotsen", "kosten-0-kind": "personnel",
        "kosten-0-amount": costs,
        "jahre-TOTAL_FORMS": str(max(len(years), 2)), "jahre-INITIAL_FORMS": "0",
    }
    for i, (year, amount) in enumerate(years):
        data[f"jahre-{i}-year"], data[f"jahre-{i}-amount"] = str(year), amount
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def field_names(html: str) -> set[str]:
    form = html.split('class="form-stack"')[1].split("</form>")[0]
    return set(re.findall(r'name="([^"]+)"', form))


def error_summary(html: str) -> str:
    return html.split('id="error-summary"')[1].split("</ul>")[0]


def test_fields_and_rules_only_for_a_cofinanced_programme(member_client, programme, organisation, town):
    html = member_client.get(new_url(programme)).content.decode()
    names = field_names(html)
    assert {"cofinancing_municipality", "jahre-0-year", "jahre-0-amount", "jahre-TOTAL_FORMS"} <= names
    assert "Kommunaler Eigenanteil (Kofinanzierung)" in html
    assert "höchstens 50 % der zuwendungsfähigen Kosten" in html
    assert "Höchstens 25.000,00 € je Kommune und Kalenderjahr" in html
    assert "Sozialausschuss" in html
    # A municipality applies for itself: its seat is preselected.
    assert re.search(rf'<option value="{town.pk}" selected>Adorf</option>', html)

    plain = ProgrammeFactory()  # microfunding: nothing of it
    html = member_client.get(new_url(plain)).content.decode()
    assert not {"cofinancing_municipality", "jahre-TOTAL_FORMS"} & field_names(html)
    assert "Kommunaler Eigenanteil" not in html
    assert "Kofinanzierung" not in html


def test_a_welfare_association_names_the_municipality(member_client, programme, member, town):
    association = OrganisationFactory(name="Caritasverband", applicant_type=ApplicantType.ASSOCIATION)
    MembershipFactory(user=member, organisation=association)
    html = member_client.get(new_url(programme)).content.decode()
    assert "selected>Adorf" not in html  # nothing preselected: the association chooses
    member_client.post(new_url(programme), form_data(town))
    assert Application.objects.get(organisation=association).cofinancing_municipality == town


def test_saves_municipality_contribution_and_year_split(member_client, programme, organisation, town):
    response = member_client.post(new_url(programme), form_data(town))
    assert response.status_code == 302
    application = Application.objects.get(organisation=organisation)
    assert application.cofinancing_municipality == town
    assert application.own_funds.amount == Decimal("10000.00")
    assert application.requested_amount.amount == Decimal("10000.00")
    assert [(r.year, r.amount.amount) for r in application.year_amounts.all()] == [
        (Y1, Decimal("6000.00")), (Y2, Decimal("4000.00"))]
    html = member_client.get(reverse("portal:application_edit", args=[application.pk])).content.decode()
    assert 'value="6.000,00"' in html
    assert f'value="{Y2}"' in html


def test_the_split_must_add_up_and_nothing_is_saved(member_client, programme, organisation, town):
    response = member_client.post(new_url(programme), form_data(town, years=((Y1, "6.000,00"), (Y2, "3.000,00"))))
    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert ("Die Beträge je Kalenderjahr ergeben zusammen 9.000,00 €; sie müssen den beantragten Betrag von "
            "10.000,00 € ergeben.") in summary
    assert not Application.objects.exists()

    member_client.post(new_url(programme), form_data(town))
    application = Application.objects.get()
    edit = reverse("portal:application_edit", args=[application.pk])
    response = member_client.post(edit, form_data(town, title="Geändert", costs="30.000,00", own="15.000,00"))
    assert "sie müssen den beantragten Betrag von 15.000,00 € ergeben" in error_summary(response.content.decode())
    application.refresh_from_db()
    assert (application.title, application.requested_amount.amount) == ("Integrationslotsen Adorf",
                                                                        Decimal("10000.00"))
    assert PlannedYearAmount.objects.filter(application=application).count() == 2


def test_duplicate_years_and_a_year_without_amount(member_client, programme, organisation, town):
    response = member_client.post(new_url(programme), form_data(town, years=((Y1, "5.000,00"), (Y1, "5.000,00"))))
    assert "Jedes Kalenderjahr darf nur einmal vorkommen." in error_summary(response.content.decode())
    response = member_client.post(new_url(programme), form_data(town, years=(("", "10.000,00"),)))
    assert "Geben Sie das Kalenderjahr zu diesem Betrag an." in error_summary(response.content.decode())
    assert not Application.objects.exists()


def test_the_service_replaces_the_split_all_or_nothing(member, programme, organisation, town):
    member_client_data = {"title": "Lotsen", "planned_start": START, "planned_end": END, "own_funds": "10000"}
    app = application(programme, People(), municipality=town, submit=False, start=START, end=END)
    MembershipFactory(user=member, organisation=app.organisation)
    application_update(user=member, application_id=app.pk, data=member_client_data,
                       year_amounts=[YearAmountData(Y1, Decimal("7000")), YearAmountData(Y2, Decimal("3000"))])
    with pytest.raises(ValidationError) as error:
        application_update(user=member, application_id=app.pk, data={**member_client_data, "title": "Neu"},
                           year_amounts=[YearAmountData(Y1, Decimal("7000")), YearAmountData(Y2 + 1, Decimal("3000"))])
    assert f"Das Kalenderjahr {Y2 + 1} liegt nicht im geplanten Zeitraum" in str(error.value)
    app.refresh_from_db()
    assert app.title == "Lotsen"
    assert [(r.year, r.amount.amount) for r in app.year_amounts.all()] == [(Y1, Decimal("7000.00")),
                                                                           (Y2, Decimal("3000.00"))]


def test_evidence_upload_is_marked_as_cofinancing(member_client, member, programme, organisation, town):
    member_client.post(new_url(programme), form_data(town))
    application = Application.objects.get()
    url = reverse("portal:attachment_upload", args=[application.pk])
    page = member_client.get(url + "?art=cofinancing").content.decode()
    assert "Nachweis der Kofinanzierung (Gemeinderatsbeschluss oder Haushaltsstelle)" in page
    assert re.search(r'value="cofinancing" checked', page)
    member_client.post(url, {"kind": "cofinancing", "file": upload("Ratsbeschluss.pdf", PDF_BYTES)})
    member_client.post(url, {"kind": "application", "file": upload("Konzept.pdf", PDF_BYTES)})
    kinds = dict(Attachment.objects.values_list("original_name", "kind"))
    assert kinds == {"Ratsbeschluss.pdf": AttachmentKind.COFINANCING, "Konzept.pdf": AttachmentKind.APPLICATION}
    edit = member_client.get(reverse("portal:application_edit", args=[application.pk])).content.decode()
    assert "Ratsbeschluss.pdf" in edit
    assert "Konzept.pdf" in edit

    plain = ProgrammeFactory()
    other = Application.objects.create(programme=plain, organisation=organisation, created_by=member, title="X")
    page = member_client.get(reverse("portal:attachment_upload", args=[other.pk])).content.decode()
    assert 'name="kind"' not in page
    with pytest.raises(ValidationError, match="verlangt keinen Nachweis der Kofinanzierung"):
        attachment_add(user=member, application_id=other.pk, upload=upload("a.pdf", PDF_BYTES),
                       kind=AttachmentKind.COFINANCING)


def test_submit_works_when_complete_and_names_what_is_missing(member_client, member, programme, organisation, town):
    member_client.post(new_url(programme), form_data(town, years=()))
    application = Application.objects.get()
    edit = reverse("portal:application_edit", args=[application.pk])
    response = member_client.post(edit, form_data(town, action="submit", years=()), follow=True)
    summary = error_summary(response.content.decode())
    assert "Fügen Sie den Nachweis der Kofinanzierung bei" in summary
    assert f"Teilen Sie den beantragten Betrag auf die Kalenderjahre {Y1} bis {Y2} auf." in summary
    application.refresh_from_db()
    assert application.state == State.DRAFT

    stored_attachment(application, member, kind=AttachmentKind.COFINANCING, name="Beschluss.pdf")
    response = member_client.post(edit, form_data(town, action="submit"), follow=True)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    html = response.content.decode()
    assert "Kofinanzierende Kommune" in html
    assert "Adorf" in html
    assert f"{Y1}: 6.000,00 €" in html
    assert f"{Y2}: 4.000,00 €" in html


def test_cap_message_names_the_amount_already_approved(member_client, member, programme, organisation, town):
    people = People()
    earlier = application(programme, people, costs="40000.00", own="20000.00", municipality=town,
                          start=START, end=date(Y1, 12, 31))
    m = meeting(people, TODAY)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[earlier.pk])
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    item = m.items.get()
    meeting_record_decisions(user=people.staff, meeting_id=m.pk, resolution_date=TODAY,
                             decisions=[Decision(item.pk, "approved")])

    member_client.post(new_url(programme), form_data(town, years=((Y1, "8.000,00"), (Y2, "2.000,00"))))
    application_ = Application.objects.get(organisation=organisation)
    stored_attachment(application_, member, kind=AttachmentKind.COFINANCING)
    edit = reverse("portal:application_edit", args=[application_.pk])
    response = member_client.post(edit, form_data(town, action="submit", years=((Y1, "8.000,00"),
                                                                                (Y2, "2.000,00"))), follow=True)
    html = response.content.decode()
    expected = (f"Obergrenze von 25.000,00 € je Kommune und Kalenderjahr überschritten: Für Adorf sind {Y1} bereits "
                f"20.000,00 € bewilligt; mit 8.000,00 € wären es 28.000,00 €.")
    assert expected in error_summary(html)
    assert f"{Y1}: für Adorf bereits 20.000,00 € bewilligt, noch höchstens 5.000,00 € möglich" in html
    application_.refresh_from_db()
    assert application_.state == State.DRAFT

    # The earlier applicant sees the committee's decision on its detail page.
    earlier_client = member_client.__class__()
    earlier_client.force_login(earlier.created_by)
    detail = earlier_client.get(reverse("portal:application_detail", args=[earlier.pk])).content.decode()
    assert "Entscheidung des Ausschusses" in detail
    assert f"Sozialausschuss, Sitzung am {TODAY:%d.%m.%Y}, TOP 1: bewilligt wie empfohlen (20.000,00 €)" in detail


def test_adding_a_cost_row_keeps_the_year_split(member_client, programme, organisation, town):
    response = member_client.post(new_url(programme), form_data(town, action="add_line"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="kosten-1-description"' in html
    assert 'name="jahre-0-amount" value="6.000,00"' in html
    assert not Application.objects.exists()
