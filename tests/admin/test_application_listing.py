"""The staff listing of applications: columns, filters, order, exports and a constant query count."""

import csv
import io
import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from djmoney.money import Money
from openpyxl import load_workbook

from grants.models import Application
from grants.states import State
from programmes.choices import ApplicantType
from tests.factories import (
    ApplicationFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
)

from .conftest import login

pytestmark = pytest.mark.django_db
INDEX = reverse("antraege:index")
NUMBERS = itertools.count(1)


def submitted(n, *, days_ago=0, programme=None, organisation=None, place=None, state=State.SUBMITTED, **kwargs):
    """``n`` submitted applications built directly (fast), sharing programme, organisation and place."""
    programme = programme or ProgrammeFactory()
    organisation = organisation or OrganisationFactory()
    place = place or MunicipalityFactory()
    creator = UserFactory()
    when = timezone.now() - timedelta(days=days_ago)
    return [
        ApplicationFactory(
            programme=programme, organisation=organisation, place=place, created_by=creator, state=state,
            submitted_at=when - timedelta(minutes=i),
            file_number=f"II-{programme.code}-{when.year}-{next(NUMBERS):04d}",
            requested_amount=Money(Decimal("1234.50"), "EUR"), **kwargs,
        )
        for i in range(n)
    ]


def titles(response) -> list[str]:
    return [a.title for a in response.context["object_list"]]


def test_listing_shows_columns_in_german_format(client, people, application_in):
    application = application_in(State.RECOMMENDED, amount="1234.50")
    response = login(client, people.staff).get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    for text in [application.title, application.organisation.name, application.file_number, "1.234,50 €",
                 "Zur Bewilligung empfohlen", "Alter (Tage)", reverse("antraege:detail", args=[application.pk])]:
        assert escape(text) in html


def test_drafts_are_not_listed_for_staff(client, people, application_in):
    draft = application_in(State.DRAFT)
    visible = application_in(State.SUBMITTED)
    response = login(client, people.staff).get(INDEX)
    assert titles(response) == [visible.title]
    assert client.get(reverse("antraege:detail", args=[draft.pk])).status_code == 404


def test_default_order_is_newest_submission_first_and_columns_sort(client, people):
    old = submitted(1, days_ago=10, title="Aaa alt")[0]
    new = submitted(1, days_ago=1, title="Zzz neu")[0]
    login(client, people.staff)
    assert titles(client.get(INDEX)) == [new.title, old.title]
    assert titles(client.get(INDEX, {"ordering": "submitted_at"})) == [old.title, new.title]
    assert titles(client.get(INDEX, {"ordering": "title"})) == [old.title, new.title]
    assert titles(client.get(INDEX, {"ordering": "-title"})) == [new.title, old.title]


def test_filters_by_state_programme_place_applicant_type_and_year(client, people):
    imp, other = ProgrammeFactory(), ProgrammeFactory(code="PRJ", name="Integrationsprojekte")
    town = MunicipalityFactory(name="Neustadt")
    municipality_org = OrganisationFactory(applicant_type=ApplicantType.MUNICIPALITY)
    a = submitted(1, programme=imp, title="A eingereicht")[0]
    b = submitted(1, programme=other, title="B anderes Programm", state=State.IN_REVIEW)[0]
    c = submitted(1, programme=imp, place=town, organisation=municipality_org, title="C Neustadt")[0]
    d = submitted(1, programme=imp, days_ago=400, title="D voriges Jahr")[0]
    login(client, people.staff)

    assert set(titles(client.get(INDEX, {"state": State.IN_REVIEW}))) == {b.title}
    assert set(titles(client.get(INDEX, {"state": [State.IN_REVIEW, State.SUBMITTED]}))) == {
        a.title, b.title, c.title, d.title}
    assert set(titles(client.get(INDEX, {"programme": other.pk}))) == {b.title}
    assert set(titles(client.get(INDEX, {"place": town.pk}))) == {c.title}
    assert set(titles(client.get(INDEX, {"applicant_type": ApplicantType.MUNICIPALITY}))) == {c.title}
    year = timezone.localtime(d.submitted_at).year
    assert titles(client.get(INDEX, {"year": year})) == [d.title]
    assert d.title not in titles(client.get(INDEX, {"year": timezone.localdate().year}))


def test_csv_export_is_utf8_bom_semicolon_decimal_comma_and_filtered(client, people):
    imp, other = ProgrammeFactory(), ProgrammeFactory(code="PRJ", name="Integrationsprojekte")
    submitted(2, programme=imp, title="=HYPERLINK(\"http://böse\")")
    submitted(1, programme=other, title="Nicht im Filter")
    response = login(client, people.staff).get(INDEX, {"export": "csv", "programme": imp.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Aktenzeichen", "Titel des Vorhabens", "Antragstellerin"]
    assert len(rows) == 3  # heading + the two applications of programme 1
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Beantragter Betrag (EUR)"] == "1234,50"
    assert first["Status"] == "Eingereicht"
    assert first["Eingereicht am"] == timezone.localdate().strftime("%d.%m.%Y")
    assert first["Alter (Tage)"] == "0"
    assert first["Titel des Vorhabens"].startswith("'=")  # no formula from applicant text


def test_xlsx_export_has_numbers_dates_and_same_rows_as_the_filter(client, people, application_in):
    approved = application_in(State.APPROVED, amount="2500.00")
    application_in(State.SUBMITTED)
    response = login(client, people.staff).get(INDEX, {"export": "xlsx", "state": State.APPROVED})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="antraege-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Aktenzeichen"] == approved.file_number
    assert record["Titel des Vorhabens"] == approved.title
    assert record["Status"] == "Bewilligt"
    assert Decimal(str(record["Bewilligter Betrag (EUR)"])) == Decimal("2500.00")
    assert Decimal(str(record["Beantragter Betrag (EUR)"])) == Decimal("2500.00")
    assert record["Eingereicht am"].date() == timezone.localdate()
    assert sheet.cell(row=2, column=11).number_format == '#,##0.00 "€"'


@pytest.mark.parametrize("count", [10, 200])
def test_listing_and_export_run_a_constant_number_of_queries(client, people, count, django_assert_max_num_queries):
    submitted(count)
    login(client, people.staff)
    client.get(INDEX)  # warm caches (content types, permissions) outside the measured request
    with django_assert_max_num_queries(13):  # one of them: the formula programmes for their header buttons
        response = client.get(INDEX)
    assert len(response.context["object_list"]) == min(count, 50)
    with django_assert_max_num_queries(8):
        response = client.get(INDEX, {"export": "csv"})
        rows = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(rows) == count + 1


def test_applicant_and_users_without_view_permission_cannot_list(client, people):
    submitted(1)
    response = login(client, people.applicant).get(INDEX)
    assert response.status_code == 302
    assert response["Location"] == "/portal/"  # logged in, but the admin is for staff: their own start page
    assert Application.objects.count() == 1


def test_search_finds_by_title_file_number_and_applicant(client, people):
    hit = submitted(1, title="Sprachcafé am Markt")[0]
    submitted(1, title="Anderes Vorhaben")
    login(client, people.staff)
    assert titles(client.get(INDEX, {"q": "Sprachcafé"})) == [hit.title]
    assert titles(client.get(INDEX, {"q": hit.file_number})) == [hit.title]


def test_filter_finds_overdue_settlements(client, people):
    late = submitted(1, state=State.PAID, title="Überfällig", settlement_overdue=True)[0]
    on_time = submitted(1, state=State.PAID, title="Noch Zeit")[0]
    login(client, people.staff)
    assert titles(client.get(INDEX, {"settlement_overdue": "true"})) == [late.title]
    assert on_time.title in titles(client.get(INDEX, {"settlement_overdue": "false"}))
