"""The programme year page, the preview (table and numbered steps) and fixing exactly the previewed run."""

from decimal import Decimal

import pytest

from grants.models import Application
from grants.services.applications import application_decline
from grants.states import State
from integration_core.models import Municipality
from programmes.models import AllocationRun

from .helpers import apply, fix_run, issue

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


def test_the_programme_year_shows_rules_participants_posts_and_the_unchecked(client, world, staff, urls):
    late = apply(world.programme, staff, name="Zudorf", population=4000, check=False)
    client.force_login(staff.clerk)
    response = client.get(urls.programme)
    assert response.status_code == 200
    html = html_of(response)
    for shown in ("Topf (Haushaltsansatz des Jahres)", "100.000,00 €", "31.12.2025", "0,50 VZÄ",
                  "Mindestanteil", "Höchstbetrag je Antragsteller", "unter den Förderfähigen neu verteilen",
                  "Adorf", "Cedorf", "GVV Nord-Süd", "Verbund:", "Nordhausen", "Südheim", "10.000",
                  "Integrationsmanager:in 2: 0,40 VZÄ", "noch nicht geprüft", late.file_number,
                  f'href="{urls.preview}"', "Vorschau des Verteilungslaufs", "noch kein Lauf festgesetzt"):
        assert shown in html, shown
    assert f"/admin/antraege/{late.pk}/" in html  # the warning links to the unchecked application
    assert "2.026" not in html  # a year is never grouped like a number
    assert [a.file_number for a, _row in response.context["participants"]] == sorted(
        a.file_number for a in world.applications.values())


def test_the_preview_shows_table_numbered_steps_remainder_and_hash_and_stores_nothing(client, world, staff, urls):
    client.force_login(staff.clerk)
    response = client.get(urls.preview)
    assert response.status_code == 200
    html = html_of(response)
    table = response.context["table"]
    amounts = {row.name: row.amount for row in table.rows}
    assert amounts == {"Adorf": Decimal("20000.00"), "Bestadt": Decimal("0.00"), "Cedorf": Decimal("60000.00"),
                       "GVV Nord-Süd": Decimal("20000.00")}
    plan = response.context["plan"]
    for shown in ("20.000,00 €", "60.000,00 €", "0,00 €", "20,00 %", "60,00 %", "1,00 VZÄ", "0,40 VZÄ",
                  "Stellenumfang unter dem Mindestumfang (Schritt 1)", "Anteil nach Gewicht (Schritt 2)",
                  "Schritt 1 – Förderfähigkeit", "Schritt 2 – Ergebnis", "Bestadt (0,40 VZÄ)",
                  "nicht verteilter Rest: 0,00 €", plan.preview.hash_prefix, "Festsetzen",
                  f'name="expected_hash" value="{plan.preview.input_hash}"', "Nordhausen (08299"):
        assert shown in html, shown
    assert html.index("Schritt 1 –") < html.index("Schritt 2 –")
    assert 'name="total"' not in html  # a first run shares the pot; no amount to enter
    assert not AllocationRun.objects.exists()


def test_fixing_creates_exactly_the_previewed_run_once(client, world, staff, urls):
    client.force_login(staff.clerk)
    plan = client.get(urls.preview).context["plan"]
    response = client.post(urls.preview, {"expected_hash": plan.preview.input_hash, "title": "Soforthilfe 2026"},
                           follow=True)
    run = AllocationRun.objects.get()
    assert response.redirect_chain[-1][0] == urls.run(run)
    assert (run.input_hash, run.title, run.created_by, run.total) == (
        plan.preview.input_hash, "Soforthilfe 2026", staff.clerk, Decimal("100000.00"))
    assert "ist festgesetzt" in html_of(response)
    again = client.post(urls.preview, {"expected_hash": plan.preview.input_hash, "title": "noch einmal"})
    assert again.status_code == 200
    assert AllocationRun.objects.count() == 1  # the year has its first run: the same preview is stale now
    assert set(Application.objects.filter(allocation_run=run).values_list("file_number", flat=True)) == set(
        run.outputs)


def test_a_stale_preview_is_refused_and_the_new_one_shown(client, world, staff, urls):
    client.force_login(staff.clerk)
    plan = client.get(urls.preview).context["plan"]
    Municipality.objects.filter(name="Adorf").update(population=11000)
    response = client.post(urls.preview, {"expected_hash": plan.preview.input_hash})
    assert response.status_code == 200
    assert not AllocationRun.objects.exists()
    assert "seit der Vorschau geändert" in html_of(response)
    new = response.context["plan"]
    assert new.preview.input_hash != plan.preview.input_hash
    assert f'value="{new.preview.input_hash}"' in html_of(response)


def test_without_checked_applications_the_preview_says_why_in_german(client, staff):
    from .helpers import formula_programme

    programme = formula_programme(code="SOX", name="Leertopf")
    year = programme.budgets.get().year
    client.force_login(staff.clerk)
    from django.urls import reverse

    response = client.get(reverse("formelzuweisung:preview", args=(programme.pk, year)))
    html = html_of(response)
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert "keine geprüften Anträge" in html
    assert response.context["plan"] is None


def test_a_population_of_another_reference_date_blocks_the_preview(client, world, staff, urls):
    Municipality.objects.filter(name="Cedorf").update(population_reference_date="2024-12-31")
    client.force_login(staff.clerk)
    html = html_of(client.get(urls.preview))
    assert 'id="error-summary"' in html
    assert "Stichtag 31.12.2024" in html


# -- follow-up ----------------------------------------------------------------------------------------
@pytest.fixture
def declined(world, staff):
    """The first run issued, then Adorf gives its 20,000 € back (Verzicht)."""
    run = fix_run(world)
    issue(world, run)
    application_decline(user=staff.clerk, application_id=world["Adorf"].pk, reason="Stelle nicht besetzt")
    return run


def test_the_latest_run_offers_to_reshare_freed_money_with_the_amount_prefilled(client, world, staff, urls,
                                                                                declined):
    client.force_login(staff.clerk)
    html = html_of(client.get(urls.run(declined)))
    assert "Frei gewordene Mittel neu verteilen" in html
    assert f"{urls.preview}?total=20000.00" in html
    response = client.get(urls.preview, {"total": "20000.00"})
    assert response.context["plan"].is_follow_up
    page = html_of(response)
    assert 'name="total" value="20.000,00"' in page or 'value="20000.00"' in page
    assert {row.name: row.amount for row in response.context["table"].rows} == {
        "Cedorf": Decimal("15000.00"), "GVV Nord-Süd": Decimal("5000.00")}
    # Without ?total= the form is prefilled with all the freed money.
    prefilled = client.get(urls.preview)
    assert prefilled.context["form"].initial["total"] == Decimal("20000.00")
    assert 'value="20.000,00"' in html_of(prefilled)


def test_more_than_the_freed_money_is_refused_in_german_at_the_amount(client, world, staff, urls, declined):
    client.force_login(staff.clerk)
    response = client.get(urls.preview, {"total": "20.000,01"})
    html = html_of(response)
    assert response.context["plan"] is None
    assert 'id="error-summary"' in html
    assert 'href="#id_total"' in html
    assert "Neu verteilt werden können höchstens 20.000,00 €" in html
    bad = client.get(urls.preview, {"total": "zwanzig"})
    assert "Bitte eine Zahl eingeben" in html_of(bad) or 'href="#id_total"' in html_of(bad)
    assert AllocationRun.objects.count() == 1


def test_a_follow_up_is_fixed_with_less_than_available_and_names_the_run_it_follows(client, world, staff, urls,
                                                                                    declined):
    client.force_login(staff.clerk)
    plan = client.get(urls.preview, {"total": "8.000,00"}).context["plan"]
    assert plan.preview.total == Decimal("8000.00")
    response = client.post(urls.preview, {"expected_hash": plan.preview.input_hash, "total": "8000.00"},
                           follow=True)
    second = AllocationRun.objects.get(follows=declined)
    assert response.redirect_chain[-1][0] == urls.run(second)
    assert second.total == Decimal("8000.00")
    html = html_of(response)
    assert declined.title in html
    assert "folgt auf" in html
    assert "Neuverteilung" in html
    first_page = html_of(client.get(urls.run(declined)))
    assert "gefolgt von" in first_page
    assert second.title in first_page
    assert "Frei gewordene Mittel neu verteilen" not in first_page  # only the latest run offers it


def test_a_follow_up_amount_changed_between_preview_and_fix_is_stale(client, world, staff, urls, declined):
    client.force_login(staff.clerk)
    plan = client.get(urls.preview, {"total": "8000.00"}).context["plan"]
    response = client.post(urls.preview, {"expected_hash": plan.preview.input_hash, "total": "9000.00"})
    assert "seit der Vorschau geändert" in html_of(response)
    assert AllocationRun.objects.count() == 1
    assert Application.objects.get(pk=world["Adorf"].pk).state == State.WITHDRAWN
