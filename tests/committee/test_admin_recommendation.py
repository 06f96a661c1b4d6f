"""The recommendation form with the structured assessment, and who decides, on the application's admin page."""

import pytest
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from grants.models import Application, Assessment
from grants.services.committee import agenda_add
from tests.factories import ProgrammeBudgetFactory, make_application, role_user

from .builder import People, application, eur, lotsen_programme, meeting, projects_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return People()


def url(name, app):
    return reverse(f"antraege:{name}", args=(app.pk,))


def html(response) -> str:
    return response.content.decode()


def assessment(**overrides):
    data = {"amount": "10.000,00", "eligibility_checked": "on", "cofinancing_checked": "on",
            "justification": "Bewährtes Lotsenprojekt, Kofinanzierung beschlossen.",
            "conditions": "Sachbericht zum 30.06.", "note": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_committee_recommendation_records_the_assessment(client, people):
    app = application(lotsen_programme(), people, recommend=False)
    client.force_login(people.clerk)
    page = html(client.get(url("recommend", app)))
    assert 'name="cofinancing_checked"' in page
    assert 'name="justification"' in page
    response = client.post(url("recommend", app), assessment())
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.state, app.recommended_amount) == ("recommended", eur("10000.00"))
    saved = Assessment.objects.get(application=app)
    assert (saved.eligibility_checked, saved.cofinancing_checked, saved.conditions) == (
        True, True, "Sachbericht zum 30.06.")
    assert saved.assessed_by == people.clerk

    detail = html(client.get(url("detail", app)))
    assert "Entscheidung: Ausschuss" in detail
    assert "Bewährtes Lotsenprojekt, Kofinanzierung beschlossen." in detail
    assert "Sachbericht zum 30.06." in detail
    assert "wartet auf Ausschusssitzung" in detail
    assert "Noch auf keiner Tagesordnung." in detail


@pytest.mark.parametrize(("missing", "message"), [
    ({"eligibility_checked": None}, "Bestätigen Sie, dass die Förderfähigkeit geprüft ist."),
    ({"cofinancing_checked": None}, "Bestätigen Sie, dass die Kofinanzierung der Kommune geprüft ist."),
    ({"justification": "  "}, "Begründen Sie die Empfehlung kurz"),
    ({"amount": "12.000,00"}, "Es kann nicht mehr empfohlen werden, als beantragt ist."),  # from the service
    ({"amount": "abc"}, "Bitte geben Sie einen Betrag wie 1.250,00 an."),
])
def test_a_committee_recommendation_without_its_assessment_is_refused_in_german(client, people, missing, message):
    app = application(lotsen_programme(), people, recommend=False)
    client.force_login(people.clerk)
    response = client.post(url("recommend", app), assessment(**missing))
    assert response.status_code == 200
    assert message in html(response)
    assert 'id="error-summary"' in html(response)
    app.refresh_from_db()
    assert app.state == "in_review"
    assert not Assessment.objects.exists()


def test_projects_ask_no_cofinancing_check(client, people):
    app = application(projects_programme(), people, costs="6000.00", own="0.00", recommend=False)
    client.force_login(people.clerk)
    assert 'name="cofinancing_checked"' not in html(client.get(url("recommend", app)))
    response = client.post(url("recommend", app), assessment(amount="6.000,00", cofinancing_checked=None))
    assert response.status_code == 302
    assert Assessment.objects.get(application=app).cofinancing_checked is False


def test_microfunding_needs_no_assessment_but_a_begun_one_must_be_complete(client, people):
    app = make_application(amount="1000.00", member=role_user("Antragsteller"))
    ProgrammeBudgetFactory(programme=app.programme, amount=Money("10000.00", "EUR"))
    from grants.services import applications, review

    applications.application_submit(user=app.organisation.memberships.first().user, application_id=app.pk)
    review.application_start_review(user=people.staff, application_id=app.pk)
    client.force_login(people.clerk)
    page = html(client.post(url("recommend", app), {"amount": "900,00", "justification": "Gutes Fest"}))
    assert "Bestätigen Sie, dass die Förderfähigkeit geprüft ist." in page
    assert client.post(url("recommend", app), {"amount": "900,00"}).status_code == 302
    app.refresh_from_db()
    assert app.state == "recommended"
    assert not Assessment.objects.filter(application=app).exists()
    detail = html(client.get(url("detail", app)))
    assert "Entscheidung: Sachbearbeitung" in detail
    assert "wartet auf Ausschusssitzung" not in detail
    client.force_login(people.staff)  # four eyes: another clerk approves
    assert url("approve", app) in html(client.get(url("detail", app)))


def test_a_committee_item_shows_no_approve_button_but_its_meeting(client, people):
    app = application(projects_programme(), people, costs="6000.00", own="0.00")
    m = meeting(people, timezone.localdate(app.submitted_at))
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[app.pk])
    for user in (people.head, people.clerk):
        client.force_login(user)
        detail = html(client.get(url("detail", app)))
        assert ">Bewilligen<" not in detail
        assert "wartet auf Ausschusssitzung" in detail
        assert reverse("ausschuss:detail", args=(m.pk,)) in detail
        assert url("reject", app) not in detail  # the committee decides; off the agenda first
    response = client.post(url("approve", app), follow=True)
    assert "nicht möglich" in html(response)
    assert Application.objects.get(pk=app.pk).state == "recommended"


@pytest.mark.parametrize("role", ["Finanzen", "Ausschuss"])
def test_finance_and_committee_cannot_recommend(client, people, role):
    app = application(lotsen_programme(), people, recommend=False)
    client.force_login(role_user(role))
    response = client.post(url("recommend", app), assessment(), follow=True)
    assert "nicht möglich" in html(response)
    assert Application.objects.get(pk=app.pk).state == "in_review"
    detail = html(client.get(url("detail", app)))
    assert "Entscheidung: Ausschuss" in detail


def test_applicant_and_anonymous_cannot_recommend(client, people):
    app = application(lotsen_programme(), people, recommend=False)
    for user in (role_user("Antragsteller"), None):
        client.logout()
        if user:
            client.force_login(user)
        assert client.post(url("recommend", app), assessment()).status_code in (302, 403)
        assert client.get(url("detail", app)).status_code in (302, 403)
    assert Application.objects.get(pk=app.pk).state == "in_review"
    assert not Assessment.objects.exists()


def test_a_head_recommending_above_her_limit_must_assess(client, people):
    programme = projects_programme(committee_decides_all=False, staff_approval_limit=eur("1500.00"),
                                   head_approval_limit=eur("5000.00"))
    app = application(programme, people, costs="8000.00", own="0.00", recommend=False)
    client.force_login(people.clerk)
    page = html(client.post(url("recommend", app), {"amount": "8.000,00"}))
    assert "Bestätigen Sie, dass die Förderfähigkeit geprüft ist." in page  # above the head's limit: committee
    assert client.post(url("recommend", app), {"amount": "4.000,00"}).status_code == 302  # the head decides
    detail = html(client.get(url("detail", app)))
    assert "Entscheidung: Amtsleitung" in detail
