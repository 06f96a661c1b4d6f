"""Approving commits money: the page states the amount and the budget left, and nothing happens without the tick."""

import pytest
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from grants.models import ApplicationEvent
from grants.states import State
from programmes.models import ProgrammeBudget

from .conftest import login

pytestmark = pytest.mark.django_db


def approve_url(application):
    return reverse("antraege:approve", args=[application.pk])


def test_the_page_states_amount_and_budget_left(client, people, application_in):
    application = application_in(State.RECOMMENDED, amount="1234.00", budget="13579.00")
    response = login(client, people.staff2).get(approve_url(application))
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    year = timezone.localdate().year
    assert (f"Sie bewilligen 1.234,00 € aus dem Budget {application.programme} {year}; danach verbleiben "
            "12.345,00 €.") in html
    assert 'name="confirmed"' in html


def test_post_without_confirmation_shows_the_page_again_and_saves_nothing(client, people, application_in):
    application = application_in(State.RECOMMENDED, amount="1234.00", budget="13579.00")
    response = login(client, people.staff2).post(approve_url(application), {"internal_note": "ok"})
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "Bitte bestätigen Sie die Bewilligung mit dem genannten Betrag." in html
    assert "danach verbleiben 12.345,00 €." in html
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED
    assert ProgrammeBudget.objects.get(programme=application.programme).committed == Money("0.00", "EUR")
    assert not ApplicationEvent.objects.filter(application=application, action="approve").exists()


def test_post_with_confirmation_approves_and_commits(client, people, application_in):
    application = application_in(State.RECOMMENDED, amount="1234.00", budget="13579.00")
    response = login(client, people.staff2).post(approve_url(application), {"confirmed": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.APPROVED
    budget = ProgrammeBudget.objects.get(programme=application.programme)
    assert budget.remaining == Money("12345.00", "EUR")


def test_a_get_commits_nothing(client, people, application_in):
    application = application_in(State.RECOMMENDED, amount="1234.00")
    login(client, people.staff2).get(approve_url(application) + "?confirmed=on")
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED


def test_the_recommender_gets_no_confirmation_page(client, people, application_in):
    application = application_in(State.RECOMMENDED, amount="1234.00")
    response = login(client, people.staff).get(approve_url(application), follow=True)
    assert "Sie bewilligen" not in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED
