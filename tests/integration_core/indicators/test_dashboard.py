"""The municipality dashboard: access per role, protected figures, funding = grant records, SVG, PDF, queries."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money
from pypdf import PdfReader

from grants.models import Application, PayoutItem, Refund
from grants.states import State
from integration_core.indicators.dashboard import build_dashboard
from integration_core.indicators.periods import Period
from integration_core.indicators.providers import Measure
from portal.accounts.roles import CASE_WORKER, COMMITTEE, DATA_PROTECTION, FINANCE, HEAD, STAFF, STATISTICS
from tests.admin.conftest import walk
from tests.factories import MunicipalityFactory, ProgrammeBudgetFactory, make_application, role_user

from .cases_data import build, make_case

pytestmark = pytest.mark.django_db
URL = reverse("monitoring:dashboard")


@pytest.fixture
def data(db):
    return build()


@pytest.fixture
def statistician(db):
    return role_user(STATISTICS)


def _get(client, user, url=URL, **params):
    client.force_login(user)
    return client.get(url, params)


@pytest.mark.parametrize(("role", "allowed"), [
    (STATISTICS, True), (STAFF, True), (HEAD, True),
    (FINANCE, False), (COMMITTEE, False), (DATA_PROTECTION, False),
])
def test_access_per_role(client, data, role, allowed):
    response = _get(client, role_user(role), kommune=data.t.pk, zeitraum="2025")
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "Talhausen" not in response.content.decode()
        assert _get(client, role_user(role), reverse("monitoring:pdf"), kommune=data.t.pk).status_code == 403


def test_case_workers_and_applicants_do_not_reach_the_admin(client, data):
    for role in (CASE_WORKER, "Antragsteller"):
        response = _get(client, role_user(role))
        assert response.status_code in (302, 403)
        assert "Talhausen" not in response.content.decode()


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302


def test_dashboard_shows_protected_figures_with_charts_and_tables(client, data, statistician):
    html = _get(client, statistician, kommune=data.t.pk, zeitraum="2025").content.decode()
    assert "Talhausen – 2025" in html
    # charts: server-rendered SVG with role, title and description, each beside a data table
    assert html.count('role="img"') == 2  # shares and goals; no funding yet, so no funding chart
    assert '<title id="chart-shares-title">' in html
    assert "<desc id=" in html
    assert html.count("<table") >= 5
    # small cells hidden, with the explanation
    assert "·</abbr>" in html
    assert "Wert nicht ausgewiesen" in html
    # open cases: Talhausen 5 (shown), district 7
    assert "Laufende Beratungsfälle" in html


def test_small_cells_are_hidden_in_the_figures(data):
    dashboard = build_dashboard(data.t, Period.year(2025), today=date(2026, 1, 15))
    lines = {line.indicator.code: line for line in dashboard.case_lines}
    # Bergheim's 2 is hidden, so Talhausen's 5 would give it away against the district's 7: hidden too
    assert lines["cases_open"].local.display == "·"
    assert lines["cases_open"].district.display == "7"
    assert lines["cases_open"].local_rate.display == "·"  # the rate of a hidden count is hidden
    own_flat = lines["own_flat"]
    assert own_flat.local.share.suppressed
    assert own_flat.local.share.shown is None
    assert dashboard.any_suppressed


def test_no_dashboard_reveals_what_another_hides(data):
    """Both towns' dashboards come from one protected table: the hidden cells agree."""
    period = Period.year(2025)
    t = {line.indicator.code: line for line in build_dashboard(data.t, period, today=date(2026, 1, 1)).case_lines}
    b = {line.indicator.code: line for line in build_dashboard(data.b, period, today=date(2026, 1, 1)).case_lines}
    for code, line in t.items():
        if line.indicator.kind == "count" and line.local.suppressed != b[code].local.suppressed:
            pytest.fail(f"{code}: one town's count hidden, the other's shown — recomputable from the district")


@pytest.fixture
def funded(people, data):
    """Two grants of Talhausen (one paid) and one of Bergheim, decided today."""
    made = []
    for town, amount, state in ((data.t, "1000.00", State.PAID), (data.t, "700.00", State.APPROVED),
                                (data.b, "2500.00", State.PAID)):
        application = make_application(amount=amount, member=people.applicant, place=town)
        ProgrammeBudgetFactory(programme=application.programme, amount=Money("100000.00", "EUR"))
        made.append(walk(application, state, people))
    return made


def test_funding_figures_on_the_dashboard_equal_the_grant_records(data, funded):
    period = Period.year(timezone.localdate().year)
    dashboard = build_dashboard(data.t, period, today=timezone.localdate())
    (line,) = dashboard.funding_lines
    mine = Application.objects.filter(place=data.t)
    assert line.amount(Measure.APPROVED) == sum(a.approved_amount.amount for a in mine) == Decimal("1700.00")
    assert line.projects() == mine.count() == 2
    assert line.amount(Measure.PAID) == sum(i.amount.amount for i in PayoutItem.objects.filter(
        application__place=data.t)) == Decimal("1000.00")
    assert line.amount(Measure.PAID, district=True) == Decimal("3500.00")
    # The organisations' seats are further towns of the district: 3,500 € over all of them.
    average = (Decimal("3500.00") / dashboard.municipality_count).quantize(Decimal("0.01"))
    history = {(h.year, h.local, h.district_average) for h in dashboard.history}
    assert history == {(period.end.year, Decimal("1000.00"), average)}


def test_settled_on_the_dashboard_is_what_the_settlement_recognised(people, data):
    """Granted 1,000 €, costs of 700 € recognised at the check: 700 € settled and 300 € reclaimed."""
    application = make_application(amount="1000.00", member=people.applicant, place=data.t)
    ProgrammeBudgetFactory(programme=application.programme, amount=Money("100000.00", "EUR"))
    application = walk(application, State.REFUND_CLAIMED, people, spent="700.00")
    dashboard = build_dashboard(data.t, Period.year(timezone.localdate().year), today=timezone.localdate())
    (line,) = dashboard.funding_lines
    refund = Refund.objects.get(application=application)
    assert line.amount(Measure.SETTLED) == application.approved_amount.amount - refund.amount.amount
    assert line.amount(Measure.SETTLED) == application.settlement.eligible_costs.amount == Decimal("700.00")
    assert line.amount(Measure.REFUNDED) == refund.amount.amount == Decimal("300.00")
    assert line.amount(Measure.APPROVED) == Decimal("1000.00")


def test_funding_appears_on_the_page_and_in_the_pdf(client, data, funded, statistician):
    key = str(timezone.localdate().year)
    html = _get(client, statistician, kommune=data.t.pk, zeitraum=key).content.decode()
    assert "1.700,00\u00a0€" in html
    assert "Integrationsimpulse" in html
    assert html.count('role="img"') == 3
    assert '<title id="chart-funding-title">' in html
    response = _get(client, statistician, reverse("monitoring:pdf"), kommune=data.t.pk, zeitraum=key)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"Monitoring Talhausen – {key}" in text
    assert "1.700,00" in text
    assert "Seite 1 von" in text
    assert "·" in text


def test_bad_parameters_fall_back_or_are_refused(client, data, statistician):
    response = _get(client, statistician, kommune="999999", zeitraum="1999")
    assert response.status_code == 200  # the form shows the error and the default selection
    assert "keine gültige Auswahl" in response.content.decode()
    assert _get(client, statistician, reverse("monitoring:pdf"), kommune="x", zeitraum="2025").status_code == 403


# The page's queries: session, user, permissions (2), user profile, Wagtail's locale and menu permissions (2)
# = 8; the municipalities for the form and the district (1); the figures: case counts, Part A shares with the
# children, goals by area, funding (4 measures), the paid history (8). build_dashboard alone reads the district
# itself (9). Pinned so that a new query per row or per municipality shows up at once.
PAGE_QUERIES = 17


def test_constant_number_of_queries(client, data, statistician, django_assert_num_queries,
                                    django_assert_max_num_queries):
    client.force_login(statistician)
    params = {"kommune": data.t.pk, "zeitraum": "2025"}
    client.get(URL, params)  # warm caches (content types, site)
    with django_assert_num_queries(9):
        build_dashboard(data.t, Period.year(2025), today=date(2026, 1, 15))
    with django_assert_num_queries(PAGE_QUERIES) as first:
        assert client.get(URL, params).status_code == 200
    # Much more data: more towns, more cases — the count stays.
    towns = [MunicipalityFactory() for _ in range(5)]
    for index in range(30):
        make_case(data.worker, towns[index % 5], "simple", date(2025, 1, 1 + index % 28), gender="w", born=1990)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(URL, params).status_code == 200


def test_the_unbound_form_selects_the_period_the_page_shows(client, data, statistician):
    from integration_core.indicators.views import DashboardForm

    default = DashboardForm(today=timezone.localdate()).default_period
    html = _get(client, statistician).content.decode()
    assert f'<option value="{default.key}" selected>' in html
