"""The walk of "Done means": a case worker opens a plan, fills the parts its type requires, records
consent, adds and ticks goals — through the forms as the pages render them (CSRF on, redirects
followed, every page with a German title and one h1)."""

import pytest
from django.utils import timezone

from integration_core.models import Achievement, Case, CaseReadLog, Goal
from tests.browser import Browser
from tests.factories import MunicipalityFactory

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def test_case_worker_keeps_a_full_plan(worker):
    place = MunicipalityFactory(name="Lindenau")
    browser = Browser(worker)

    page = browser.get("/fallarbeit/")
    page.says("Integrationspläne", "Sie haben noch keine Fälle.")
    page = browser.get(page.link("Neuen Fall anlegen"))
    page = browser.submit(page, containing="first_name", fill={
        "first_name": "Amani", "last_name": "Yusuf", "birth_year": "1994", "gender": "w",
        "country_of_origin": "er", "municipality": str(place.pk), "counselling_type": "full",
        "first_contact_on": days_ago(90).isoformat(), "referral": "authority",
        "agreement_signed_on": days_ago(90).isoformat(),
    })
    case = Case.objects.get(last_name="Yusuf")
    page.says(f"Der Fall {case.number} ist angelegt", "Rahmendaten + Teil A: Kompetenzerfassung + Teil B",
              "Teil A (Kompetenzerfassung) ist noch nicht ausgefüllt.",
              "Teil B (Zielvereinbarung) braucht mindestens ein Ziel.",
              "Bitte erfassen Sie die Einwilligungs- und Datenschutzerklärung.")

    # Before the consent, Part A and Part B take no entries: the page says why and where to record it.
    assert "Teil A ausfüllen" not in page.text
    page.says("Einwilligung fehlt", "Bitte erfassen Sie zuerst die Einwilligung der Person.")

    # Consent as a record.
    page = browser.get(page.link("Einwilligung erfassen"))
    page = browser.submit(page, containing="notice_version", fill={
        "notice_version": "IntMan 2024-01", "language": "ti", "given_on": days_ago(90).isoformat(),
        "purposes": ["counselling", "statistics"],
    })
    page.says("Die Einwilligung ist erfasst.", "Fassung IntMan 2024-01, Sprache ti")

    # Part A, with a child row and a German course.
    page = browser.get(page.link("Teil A ausfüllen"))
    page = browser.submit(page, containing="german_level", fill={
        "household_size": "2", "first_language": "Tigrinya", "german_level": "3", "labour_status": "minijob",
        "housing": "shared", "kinder-0-birth_year": "2019", "kinder-0-care": "kita",
        "course_bamf_integration_attended": "on",
    })
    page.says("Teil A ist gespeichert.", "Eigenständiges Leben: erreicht", "Zurzeit treffen 2 von 3 zu.")
    assert case.competences.children.get().care == "kita"

    # Part B: one POST adds a row, one POST ticks it.
    page = browser.submit(page, containing="ziel-goal", fill={
        "ziel-area": "language", "ziel-goal": "Deutsch B2 erreichen", "ziel-step_1": "Kurs bei der VHS belegen",
        "ziel-who": "Klientin", "ziel-agreed_on": timezone.localdate().isoformat(),
    })
    page.says("Das Ziel ist hinzugefügt.", "Deutsch B2 erreichen", "Kurs bei der VHS belegen")
    goal = Goal.objects.get(case=case)
    page = browser.submit(page, containing=f"ziel-{goal.pk}-achieved", fill={f"ziel-{goal.pk}-achieved": "yes"})
    page.says("Stand des Ziels gespeichert: ja.")
    assert Goal.objects.get(pk=goal.pk).achieved == Achievement.YES

    # Everything the type requires is there now, so counselling can end with "Ziele erreicht".
    assert "Noch nicht vollständig" not in page.text
    assert CaseReadLog.objects.filter(case=case, user=worker).exists()
    page = browser.submit(page, containing="ende-end_reason", fill={
        "ende-ended_on": timezone.localdate().isoformat(), "ende-end_reason": "goals_reached"})
    page.says("Die Beratung ist beendet.")
    assert Case.objects.get(pk=case.pk).end_reason == "goals_reached"
