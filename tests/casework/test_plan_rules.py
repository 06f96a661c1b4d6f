"""The plan rules on the case-worker pages: what the services refuse is said in German in the error
summary (ending as completed on an incomplete plan, Part A/B without consent), the pages offer no
form that would only be refused, and the status at reporting dates is kept after the end."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integration_core.models import (
    Case,
    Competences,
    ConsentPurposeKind,
    CounsellingType,
    EndReason,
    Goal,
    PlanStatus,
    ReportingStatus,
)
from tests.factories.cases import CaseFactory, give_consent
from tests.portal.test_accessibility import check_page

from .conftest import days_ago, login
from .test_goals import _goal_data

pytestmark = pytest.mark.django_db
SUMMARY = "Bitte prüfen Sie Ihre Eingaben"
NO_CONSENT = "Bitte erfassen Sie zuerst die Einwilligung der Person."


def _page(client, case) -> str:
    return client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()


@pytest.fixture
def bare_case(worker):
    """Full case management without consent, Part A or goals."""
    return CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL)


def test_ending_an_incomplete_plan_as_completed_is_refused_in_the_summary(client, worker, bare_case):
    response = login(client, worker).post(reverse("casework:end", args=[bare_case.pk]), {
        "ende-ended_on": timezone.localdate().isoformat(), "ende-end_reason": EndReason.GOALS_REACHED})
    html = response.content.decode()
    assert response.status_code == 200
    check_page(html)
    assert SUMMARY in html
    assert "Mit dem Grund „Ziele erreicht“ kann die Beratung erst beendet werden" in html
    for message in ("Bitte erfassen Sie die Einwilligungs- und Datenschutzerklärung.",
                    "Teil A (Kompetenzerfassung) ist noch nicht ausgefüllt.",
                    "Teil B (Zielvereinbarung) braucht mindestens ein Ziel."):
        assert f"<li>{message}</li>" in html  # each one a line of the error summary
    assert Case.objects.get(pk=bare_case.pk).ended_on is None


def test_aborted_counselling_ends_without_the_missing_parts(client, worker, bare_case):
    response = login(client, worker).post(reverse("casework:end", args=[bare_case.pk]), {
        "ende-ended_on": timezone.localdate().isoformat(), "ende-end_reason": EndReason.ABORTED})
    assert response.status_code == 302
    assert Case.objects.get(pk=bare_case.pk).end_reason == EndReason.ABORTED


def test_end_form_says_which_reasons_need_the_complete_plan(client, worker, bare_case):
    html = _page(login(client, worker), bare_case)
    assert "„Ziele erreicht“, „Kein weiterer Beratungsbedarf“, „Höchstdauer erreicht“ setzen einen " \
           "vollständigen Plan voraus." in html
    assert 'aria-describedby="id_ende-end_reason-hint"' in html


def test_without_consent_the_page_offers_no_part_a_or_goal_form(client, worker, bare_case):
    html = _page(login(client, worker), bare_case)
    check_page(html)
    assert "Einwilligung fehlt" in html
    assert NO_CONSENT in html
    assert reverse("casework:competences_edit", args=[bare_case.pk]) not in html
    assert 'id="neues-ziel"' not in html
    give_consent(bare_case, ConsentPurposeKind.COUNSELLING)
    html = _page(client, bare_case)
    assert "Einwilligung fehlt" not in html
    assert reverse("casework:competences_edit", args=[bare_case.pk]) in html
    assert 'id="neues-ziel"' in html


def test_part_a_page_sends_to_the_consent_first(client, worker, bare_case):
    url = reverse("casework:competences_edit", args=[bare_case.pk])
    response = login(client, worker).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case_detail", args=[bare_case.pk]) + "#einwilligung"
    assert NO_CONSENT in client.get(response["Location"]).content.decode()


def test_posted_part_a_and_goal_without_consent_are_refused_in_the_summary(client, worker, bare_case):
    login(client, worker)
    responses = [
        client.post(reverse("casework:competences_edit", args=[bare_case.pk]), {
            "household_size": "2", "first_language": "Dari", "health_notes": "Asthma",
            "kinder-TOTAL_FORMS": "0", "kinder-INITIAL_FORMS": "0",
            "sprachen-TOTAL_FORMS": "0", "sprachen-INITIAL_FORMS": "0"}),
        client.post(reverse("casework:goal_add", args=[bare_case.pk]), _goal_data()),
    ]
    for response in responses:
        html = response.content.decode()
        assert response.status_code == 200
        assert SUMMARY in html
        assert NO_CONSENT in html
    assert not Competences.objects.exists()
    assert not Goal.objects.exists()


def test_withdrawn_consent_shows_goals_read_only(client, worker, full_case):
    from tests.factories.cases import GoalFactory

    goal = GoalFactory(case=full_case)
    full_case.consents.get().purposes.update(withdrawn_on=timezone.localdate())
    html = _page(login(client, worker), full_case)
    assert f"am {timezone.localdate():%d.%m.%Y} widerrufen" in html
    assert reverse("casework:goal_achieved", args=[full_case.pk, goal.pk]) not in html
    assert 'id="neues-ziel"' not in html


def test_ended_case_takes_the_status_at_the_next_reporting_date(client, worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL, first_contact_on=days_ago(300),
                       ended_on=days_ago(40), end_reason=EndReason.LEFT_COUNTRY)
    html = _page(login(client, worker), case)
    check_page(html)
    assert "Die Beratung ist beendet. Erfassen Sie zum nächsten Stichtag" in html
    assert '<option value="left_country" selected>' in html  # suggested from the end reason
    url = reverse("casework:reporting_status", args=[case.pk])
    response = client.post(url, {"stand-reporting_date": days_ago(10).isoformat(), "stand-status": "in_progress"})
    html = response.content.decode()
    assert SUMMARY in html
    assert "passt nur: „Ausreise“" in html
    response = client.post(url, {"stand-reporting_date": days_ago(10).isoformat(), "stand-status": "left_country"})
    assert response.status_code == 302
    assert ReportingStatus.objects.get(case=case).status == PlanStatus.LEFT_COUNTRY


def test_anonymised_case_offers_no_status_form(client, worker):
    case = CaseFactory(case_worker=worker, ended_on=days_ago(40), end_reason=EndReason.ABORTED,
                       first_contact_on=days_ago(300), anonymised_at=timezone.now() - timedelta(days=1))
    html = _page(login(client, worker), case)
    assert reverse("casework:reporting_status", args=[case.pk]) not in html
