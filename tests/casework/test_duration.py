"""The 3 + 1-year rule on the pages: warning from 60 days before the end, extension by the lead with a
written reason, no new activity after the end without extension (messages from the services)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integration_core.cases.duration import add_years
from integration_core.models import Case, CounsellingType, GermanLevel, Goal, Housing, LabourStatus
from tests.factories.cases import CaseFactory, CompetencesFactory

from .conftest import login
from .test_goals import _goal_data

pytestmark = pytest.mark.django_db
REASON = "Ausbildung beginnt erst im Herbst, Begleitung bis zur Probezeit nötig."


def _case_ending_in(worker, days: int, **kwargs):
    end = timezone.localdate() + timedelta(days=days)
    return CaseFactory(case_worker=worker, first_contact_on=add_years(end + timedelta(days=1), -3),
                       counselling_type=CounsellingType.FULL, with_consent=True, **kwargs)


def _page(client, case) -> str:
    return client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()


def test_warning_from_60_days_before_the_end(client, worker):
    login(client, worker)
    assert "Die Beratung endet am" not in _page(client, _case_ending_in(worker, 61))
    html = _page(client, _case_ending_in(worker, 60))
    assert "Die Beratung endet am" in html
    assert "in 60 Tagen" in html


def test_after_the_end_the_page_says_so_and_offers_no_new_entries(client, worker):
    case = _case_ending_in(worker, -1)
    html = _page(login(client, worker), case)
    assert "Die Höchstdauer von drei Jahren ist am" in html
    assert 'id="neues-ziel"' not in html
    assert reverse("casework:competences_edit", args=[case.pk]) not in html


def test_new_activity_after_the_end_is_refused_with_the_services_message(client, worker):
    case = _case_ending_in(worker, -1)
    response = login(client, worker).post(reverse("casework:goal_add", args=[case.pk]), _goal_data())
    assert "Neue Einträge sind nur nach einer Verlängerung möglich." in response.content.decode()
    assert not Goal.objects.exists()


def test_lead_extends_with_a_written_reason(client, worker, lead):
    case = _case_ending_in(worker, 20)
    login(client, lead)
    assert 'id="verlaengerung"' in _page(client, case)
    until = case.first_contact_on + timedelta(days=365 * 3 + 100)
    response = client.post(reverse("casework:extension", args=[case.pk]), {
        "verlaengerung-until": until.isoformat(), "verlaengerung-reason": REASON})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.extended_until == until
    assert case.extended_by == lead


def test_extension_needs_a_reason_of_some_length(client, worker, lead):
    case = _case_ending_in(worker, 20)
    until = case.first_contact_on + timedelta(days=365 * 3 + 100)
    response = login(client, lead).post(reverse("casework:extension", args=[case.pk]), {
        "verlaengerung-until": until.isoformat(), "verlaengerung-reason": "weil"})
    html = response.content.decode()
    assert "Bitte begründen Sie die Verlängerung schriftlich" in html
    assert 'href="#id_verlaengerung-reason"' in html
    assert Case.objects.get(pk=case.pk).extended_until is None


def test_case_worker_sees_no_extension_form_and_may_not_extend(client, worker):
    case = _case_ending_in(worker, 20)
    login(client, worker)
    html = _page(client, case)
    assert 'id="verlaengerung"' not in html
    assert "Eine Verlängerung beschließt die Fallleitung Ihres Trägers." in html
    until = case.first_contact_on + timedelta(days=365 * 3 + 100)
    response = client.post(reverse("casework:extension", args=[case.pk]), {
        "verlaengerung-until": until.isoformat(), "verlaengerung-reason": REASON})
    assert response.status_code == 403
    assert "Nur die Fallleitung des Trägers kann eine Beratung verlängern." in response.content.decode()
    assert Case.objects.get(pk=case.pk).extended_until is None


def test_extended_case_accepts_new_goals_after_three_years(client, worker, lead):
    case = _case_ending_in(worker, -1, extended_until=timezone.localdate() + timedelta(days=100),
                           extension_reason=REASON, extended_by=lead, extended_at=timezone.now())
    response = login(client, worker).post(reverse("casework:goal_add", args=[case.pk]), _goal_data())
    assert response.status_code == 302
    assert Goal.objects.filter(case=case).count() == 1


def test_end_counselling(client, worker, case):
    CompetencesFactory(case=case, german_level=GermanLevel.A2, labour_status=LabourStatus.MEASURE,
                       housing=Housing.FOLLOW_UP)  # a complete Part A: "Ziele erreicht" needs the complete plan
    response = login(client, worker).post(reverse("casework:end", args=[case.pk]), {
        "ende-ended_on": timezone.localdate().isoformat(), "ende-end_reason": "goals_reached"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.ended_on == timezone.localdate()
    assert case.end_reason == "goals_reached"


def test_end_without_reason_gives_german_error(client, worker, case):
    response = login(client, worker).post(reverse("casework:end", args=[case.pk]), {
        "ende-ended_on": timezone.localdate().isoformat(), "ende-end_reason": ""})
    assert 'href="#id_ende-end_reason"' in response.content.decode()
    assert Case.objects.get(pk=case.pk).ended_on is None
