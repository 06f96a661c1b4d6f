"""Who may open which formula allocation screen; the run page, issuing its decisions; constant query counts."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from wagtail.admin.menu import admin_menu

from grants.models import Application
from grants.states import State
from programmes.models import AllocationRun
from tests.factories import role_user

from .helpers import apply, fix_run, formula_programme, issue, municipality

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


# -- access per role ---------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["Sachbearbeitung", "Leitung"])
def test_clerk_and_head_look_preview_and_fix(client, world, urls, role):
    client.force_login(role_user(role))
    for url in (urls.index, urls.programme, urls.preview):
        assert client.get(url).status_code == 200, url
    plan = client.get(urls.preview).context["plan"]
    assert client.post(urls.preview, {"expected_hash": plan.preview.input_hash}).status_code == 302
    run = AllocationRun.objects.get()
    for name in ("run", "pdf", "xlsx"):
        assert client.get(urls.run(run, name)).status_code == 200, name


@pytest.mark.parametrize("role", ["Finanzen", "Ausschuss"])
def test_finance_and_committee_look_but_neither_fix_nor_issue(client, world, urls, role):
    run = fix_run(world)
    client.force_login(role_user(role))
    for url in (urls.index, urls.programme, urls.run(run), urls.run(run, "pdf"), urls.run(run, "xlsx")):
        assert client.get(url).status_code == 200, url
    assert client.get(urls.preview).status_code == 403
    assert client.post(urls.preview, {"expected_hash": run.input_hash}).status_code == 403
    assert client.post(urls.run(run, "issue")).status_code == 403
    page = html_of(client.get(urls.run(run)))
    assert "Bescheide erteilen" not in page
    assert "Vorschau des Verteilungslaufs" not in html_of(client.get(urls.programme))
    assert AllocationRun.objects.count() == 1
    assert not Application.objects.filter(state=State.APPROVED).exists()


def test_an_applicant_and_anonymous_get_nowhere(client, world, urls):
    run = fix_run(world)
    every = [urls.index, urls.programme, urls.preview, urls.run(run), urls.run(run, "pdf"), urls.run(run, "xlsx")]
    for user in (role_user("Antragsteller"), None):
        client.logout()
        if user:
            client.force_login(user)
        for url in every:
            assert client.get(url).status_code in (302, 403), url
        assert client.post(urls.run(run, "issue")).status_code in (302, 403)
        assert client.post(urls.preview, {"expected_hash": run.input_hash}).status_code in (302, 403)
    assert AllocationRun.objects.count() == 1
    assert not Application.objects.filter(state=State.APPROVED).exists()


@pytest.mark.parametrize(("role", "shown"), [("Sachbearbeitung", True), ("Leitung", True), ("Finanzen", True),
                                             ("Ausschuss", True), ("Antragsteller", False)])
def test_the_menu_entry_follows_the_view_permission(db, role, shown):
    request = RequestFactory().get("/admin/")
    request.user = role_user(role)
    assert ("formelzuweisung" in {item.name for item in admin_menu.menu_items_for_request(request)}) is shown


def test_an_individual_programme_or_an_unknown_run_is_404(client, staff):
    from django.urls import reverse

    from tests.factories import ProgrammeFactory

    client.force_login(staff.clerk)
    other = ProgrammeFactory(code="IMP")
    assert client.get(reverse("formelzuweisung:programme", args=(other.pk, 2026))).status_code == 404
    assert client.get(reverse("formelzuweisung:run", args=(4711,))).status_code == 404


# -- the run page and its decisions --------------------------------------------------------------------
def test_the_run_page_shows_the_stored_run_reproducible_with_downloads(client, world, staff, urls):
    run = fix_run(world, title="Soforthilfe 2026 – Verteilung")
    client.force_login(staff.committee)
    html = html_of(client.get(urls.run(run)))
    for shown in ("Soforthilfe 2026 – Verteilung", "Reproduzierbar: ja", run.input_hash, "100.000,00 €",
                  "an 3 von 4 Antragstellern", "Erika Sachbearbeiterin", "Schritt 1 – Förderfähigkeit",
                  "Stellenumfang unter dem Mindestumfang (Schritt 1)", "Nordhausen", "0 erteilt, 4 ausstehend",
                  urls.run(run, "pdf"), urls.run(run, "xlsx")):
        assert shown in html, shown
    assert f"/admin/antraege/{world['Cedorf'].pk}/" in html


def test_the_page_shows_what_was_stored_not_a_recomputation(client, world, staff, urls):
    run = fix_run(world)
    from integration_core.models import Municipality

    Municipality.objects.filter(name="Adorf").update(population=90000)  # later data never changes a run
    client.force_login(staff.clerk)
    response = client.get(urls.run(run))
    assert {row.name: row.amount for row in response.context["table"].rows}["Adorf"] == Decimal("20000.00")
    assert "Reproduzierbar: ja" in html_of(response)


def test_head_issues_the_decisions_once(client, world, staff, urls, django_capture_on_commit_callbacks):
    run = fix_run(world)
    client.force_login(staff.head)
    assert "Bescheide erteilen" in html_of(client.get(urls.run(run)))
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(urls.run(run, "issue"), follow=True)
    assert len(callbacks) >= 4  # letters (and notifications) queued for after the commit
    html = html_of(response)
    assert "Bescheide erteilt: 3 Bewilligung(en), 1 Ablehnung(en)" in html
    world.refresh()
    assert world["Cedorf"].state == State.APPROVED
    assert world["Cedorf"].approved_amount.amount == Decimal("60000.00")
    assert world["Bestadt"].state == State.REJECTED
    assert "4 erteilt, 0 ausstehend" in html
    assert "Bescheide erteilen" not in html
    client.post(urls.run(run, "issue"))  # a second post decides nothing twice
    assert Application.objects.filter(state=State.APPROVED).count() == 3


def test_a_clerk_above_the_approval_limit_gets_the_403_page_and_nothing_is_decided(client, world, staff, urls):
    run = fix_run(world)
    client.force_login(staff.clerk)
    response = client.post(urls.run(run, "issue"))
    assert response.status_code == 403
    assert "Keine Berechtigung" in html_of(response)
    assert not Application.objects.filter(state__in=[State.APPROVED, State.REJECTED]).exists()


def test_a_follow_up_run_raises_the_grants(client, world, staff, urls):
    from grants.services.applications import application_decline

    first = fix_run(world)
    issue(world, first)
    application_decline(user=staff.clerk, application_id=world["Adorf"].pk, reason="Verzicht")
    second = fix_run(world)
    client.force_login(staff.head)
    response = client.post(urls.run(second, "issue"), follow=True)
    assert "2 Zuwendung(en) erhöht" in html_of(response)
    world.refresh()
    assert world["Cedorf"].approved_amount.amount == Decimal("75000.00")
    assert world["GVV Nord-Süd"].approved_amount.amount == Decimal("25000.00")


# -- query counts --------------------------------------------------------------------------------------
def _more_applicants(world, count):
    for number in range(count):
        members = [municipality(f"Mitglied {number}a", 1000 + number), municipality(f"Mitglied {number}b", 900)]
        apply(world.programme, world.staff, name=f"Verbund {number}", members=members, ftes=("0.50", "0.75"))
        apply(world.programme, world.staff, name=f"Gemeinde {number}", population=2000 + number)


def test_the_index_and_programme_page_queries_do_not_grow(client, world, staff, urls,
                                                          django_assert_max_num_queries):
    client.force_login(staff.clerk)
    with django_assert_max_num_queries(18):
        assert client.get(urls.programme).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(urls.index).status_code == 200
    _more_applicants(world, 4)
    formula_programme(code="SOZ", name="Soforthilfe Zwei")
    with django_assert_max_num_queries(18):
        assert len(client.get(urls.programme).context["participants"]) == 12
    with django_assert_max_num_queries(11):
        assert len(client.get(urls.index).context["rows"]) == 2


def test_the_run_page_queries_do_not_grow(client, world, staff, urls, django_assert_max_num_queries):
    small = fix_run(world)
    client.force_login(staff.head)
    with django_assert_max_num_queries(12):
        assert client.get(urls.run(small)).status_code == 200
    bigger = formula_programme(code="SOG", name="Soforthilfe Groß")
    world.programme = bigger
    _more_applicants(world, 6)
    large = fix_run(world)
    assert len(large.inputs) == 12
    with django_assert_max_num_queries(12):
        assert client.get(urls.run(large)).status_code == 200
    # Issued, the programme page lists the holders of a grant: still the same number of queries.
    from django.urls import reverse

    for run in (small, large):
        issue(world, run)
        with django_assert_max_num_queries(18):
            page = client.get(reverse("formelzuweisung:programme", args=(run.programme_id, run.year)))
        assert len(page.context["participants"]) == len([o for o in run.outputs.values() if o["eligible"]])


def test_the_programme_link_without_a_year_opens_the_current_year(client, world, staff, urls):
    from django.urls import reverse

    client.force_login(staff.committee)
    response = client.get(reverse("formelzuweisung:programme_current", args=(world.programme.pk,)))
    assert response.status_code == 302
    assert response["Location"] == urls.programme
    assert urls.programme in client.get(urls.index).content.decode()
