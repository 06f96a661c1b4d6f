"""Part B stays cheap to keep up: a goal row is added in one POST, its achievement changed in one POST."""

import pytest
from django.urls import reverse
from django.utils import timezone

from integration_core.models import Achievement, Goal, ReportingStatus
from tests.factories.cases import GoalFactory

from .conftest import days_ago, login

pytestmark = pytest.mark.django_db


def _goal_data(**overrides):
    data = {
        "ziel-area": "work", "ziel-goal": "Ausbildungsplatz als Elektronikerin finden",
        "ziel-step_1": "Bewerbungsunterlagen erstellen", "ziel-step_2": "Termin bei der Agentur für Arbeit",
        "ziel-step_3": "", "ziel-who": "Klientin, IntMan", "ziel-agreed_on": timezone.localdate().isoformat(),
        "ziel-due_by": "",
    }
    data.update(overrides)
    return data


def test_add_a_goal_in_one_post(client, worker, full_case):
    url = reverse("casework:goal_add", args=[full_case.pk])
    response = login(client, worker).post(url, _goal_data())
    goal = Goal.objects.get(case=full_case)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#ziel-{goal.pk}")
    assert goal.steps == ["Bewerbungsunterlagen erstellen", "Termin bei der Agentur für Arbeit"]
    assert goal.achieved == Achievement.IN_PROGRESS
    assert goal.created_by == worker
    html = client.get(response["Location"]).content.decode()
    assert "Ausbildungsplatz als Elektronikerin finden" in html
    assert "Das Ziel ist hinzugefügt." in html


def test_tick_a_goal_in_one_post(client, worker, full_case):
    goal = GoalFactory(case=full_case)
    url = reverse("casework:goal_achieved", args=[full_case.pk, goal.pk])
    response = login(client, worker).post(url, {f"ziel-{goal.pk}-achieved": "partly"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.achieved == Achievement.PARTLY
    assert goal.achieved_changed_on == timezone.localdate()


def test_each_goal_row_has_its_own_labelled_select(client, worker, full_case):
    first, second = GoalFactory(case=full_case), GoalFactory(case=full_case, goal="Wohnung finden")
    html = login(client, worker).get(reverse("casework:case_detail", args=[full_case.pk])).content.decode()
    for goal in (first, second):
        assert f'for="id_ziel-{goal.pk}-achieved"' in html
        assert f'id="id_ziel-{goal.pk}-achieved"' in html
        assert reverse("casework:goal_achieved", args=[full_case.pk, goal.pk]) in html


def test_bad_goal_gives_german_errors_and_saves_nothing(client, worker, full_case):
    url = reverse("casework:goal_add", args=[full_case.pk])
    response = login(client, worker).post(url, _goal_data(**{"ziel-goal": "", "ziel-agreed_on": "morgen"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_ziel-goal"' in html
    assert 'href="#id_ziel-agreed_on"' in html
    assert "Bitte prüfen Sie Ihre Eingaben" in html
    assert not Goal.objects.exists()


def test_service_rule_message_is_shown_on_the_field(client, worker, full_case):
    # The factory's case began 200 days ago; the goal claims an agreement 400 days ago.
    response = login(client, worker).post(reverse("casework:goal_add", args=[full_case.pk]),
                                          _goal_data(**{"ziel-agreed_on": days_ago(400).isoformat()}))
    html = response.content.decode()
    assert "Ein Ziel kann nicht vor dem Erstkontakt vereinbart worden sein." in html
    assert 'href="#id_ziel-agreed_on"' in html
    assert not Goal.objects.exists()


def test_bad_achievement_value_saves_nothing(client, worker, full_case):
    goal = GoalFactory(case=full_case)
    url = reverse("casework:goal_achieved", args=[full_case.pk, goal.pk])
    response = login(client, worker).post(url, {f"ziel-{goal.pk}-achieved": "vielleicht"})
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in response.content.decode()
    goal.refresh_from_db()
    assert goal.achieved == Achievement.IN_PROGRESS


def test_one_off_enquiry_refuses_goals_with_the_services_message(client, worker, one_off_case):
    response = login(client, worker).post(reverse("casework:goal_add", args=[one_off_case.pk]), _goal_data())
    assert "gehört kein Teil B" in response.content.decode()
    assert not Goal.objects.exists()


def test_status_at_a_reporting_date_is_recorded_and_kept_per_date(client, worker, case):
    url = reverse("casework:reporting_status", args=[case.pk])
    login(client, worker)
    client.post(url, {"stand-reporting_date": days_ago(30).isoformat(), "stand-status": "in_progress"})
    client.post(url, {"stand-reporting_date": days_ago(1).isoformat(), "stand-status": "no_further_need"})
    rows = list(ReportingStatus.objects.filter(case=case).order_by("reporting_date").values_list("status", flat=True))
    assert rows == ["in_progress", "no_further_need"]
    html = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "kein weiterer Bedarf an Beratungsleistungen" in html


def test_bad_reporting_date_gives_german_error(client, worker, case):
    response = login(client, worker).post(reverse("casework:reporting_status", args=[case.pk]), {
        "stand-reporting_date": (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat(),
        "stand-status": "in_progress"})
    assert "Der Stichtag darf nicht in der Zukunft liegen." in response.content.decode()
    assert not ReportingStatus.objects.exists()
