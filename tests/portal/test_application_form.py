"""The application form: drafts, bounds, submission with missing items, resubmission, cost plan rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from grants.models import Application
from grants.states import State
from programmes import rules as programme_rules
from tests.factories import MembershipFactory, MunicipalityFactory, ProgrammeFactory

from .conftest import advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory()


@pytest.fixture
def organisation(member):
    return MembershipFactory(user=member).organisation


def form_data(*, amount="1000,00", action="save", **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "action": action, "title": "Sommerfest der Nachbarschaft", "summary": "Ein Fest im Park.",
        "goals": "Begegnung", "target_group": "Alle im Stadtteil", "expected_participants": "80",
        "activity_type": "encounter", "funding_field": "integration",
        "planned_start": (today + timedelta(days=30)).isoformat(),
        "planned_end": (today + timedelta(days=31)).isoformat(),
        "place": str(MunicipalityFactory().pk), "own_funds": "0", "third_party_funds": "0",
        "declaration_truthful": "on", "declaration_not_started": "on", "declaration_privacy": "on",
        "declaration_conditions": "on",
        "kosten-TOTAL_FORMS": "1", "kosten-INITIAL_FORMS": "0",
        "kosten-0-description": "Honorare", "kosten-0-amount": amount,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def new_url(programme):
    return reverse("portal:application_create", args=[programme.code])


@pytest.mark.parametrize(
    ("amount", "expected", "accepted"),
    [
        ("199,99", "199.99", False),
        ("200,00", "200.00", True),
        ("3.000,00", "3000.00", True),
        ("3.000,01", "3000.01", False),
        ("199.99", "199.99", False),
        ("3000.01", "3000.01", False),
    ],
)
def test_bounds_come_from_the_programme(member_client, programme, organisation, amount, expected, accepted):
    response = member_client.post(new_url(programme), form_data(amount=amount, action="submit"), follow=True)
    application = Application.objects.get(organisation=organisation)
    assert application.requested_amount == Money(expected, "EUR")
    message = programme_rules.amount_error(programme, Money(expected, "EUR"))
    if accepted:
        assert application.state == State.SUBMITTED
        assert application.file_number.startswith("II-IMP-")
        assert message is None
    else:
        assert application.state == State.DRAFT
        assert message
        summary = response.content.decode().split('id="error-summary"')[1].split("</div>\n</div>")[0]
        assert message in summary


def test_draft_with_only_a_title_is_saved(member_client, programme, organisation):
    data = {"action": "save", "title": "Erste Idee", "kosten-TOTAL_FORMS": "1", "kosten-INITIAL_FORMS": "0"}
    response = member_client.post(new_url(programme), data)
    application = Application.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:application_edit", args=[application.pk])
    assert application.state == State.DRAFT
    assert application.title == "Erste Idee"
    assert application.cost_lines.count() == 0
    assert application.summary == ""


def test_draft_without_title_is_refused_and_nothing_is_created(member_client, programme, organisation):
    response = member_client.post(new_url(programme), form_data(title=""))
    assert response.status_code == 200
    assert 'href="#id_title"' in response.content.decode()
    assert not Application.objects.exists()


def test_submit_with_missing_items_lists_them_and_keeps_the_draft(member_client, programme, organisation):
    data = {"action": "submit", "title": "Halbfertig", "kosten-TOTAL_FORMS": "1", "kosten-INITIAL_FORMS": "0"}
    response = member_client.post(new_url(programme), data, follow=True)
    application = Application.objects.get(organisation=organisation)
    assert application.state == State.DRAFT
    html = response.content.decode()
    summary = html.split('id="error-summary"')[1].split("</ul>")[0]
    for item in application.missing_items():
        assert item in summary
    assert "Beschreiben Sie das Vorhaben kurz." in summary
    assert "Bestätigen Sie alle Erklärungen am Ende des Antrags." in summary
    assert response.redirect_chain[-1][0].startswith(reverse("portal:application_edit", args=[application.pk]))


def test_edit_saves_cost_plan_and_shows_the_requested_amount(member_client, member, application):
    data = form_data(own_funds="150,00", third_party_funds="50,00", **{
        "kosten-TOTAL_FORMS": "3", "kosten-0-amount": "800,00",
        "kosten-1-description": "Raummiete", "kosten-1-amount": "400,00",
        "kosten-2-description": "", "kosten-2-amount": "",
    })
    response = member_client.post(reverse("portal:application_edit", args=[application.pk]), data, follow=True)
    application.refresh_from_db()
    assert [line.description for line in application.cost_lines.all()] == ["Honorare", "Raummiete"]
    assert application.total_costs == Money("1200.00", "EUR")
    assert application.requested_amount == Money("1000.00", "EUR")
    html = response.content.decode()
    assert 'data-sum="requested">1.000,00 €' in html
    assert 'data-sum="total">1.200,00 €' in html


def test_own_funds_above_the_costs_are_refused(member_client, programme, organisation):
    response = member_client.post(new_url(programme), form_data(amount="300", own_funds="500"))
    assert response.status_code == 200
    assert "Eigen- und Drittmittel dürfen die Gesamtkosten nicht übersteigen." in response.content.decode()
    assert 'href="#id_own_funds"' in response.content.decode()
    assert not Application.objects.exists()


def test_add_line_without_javascript_adds_a_row_and_saves_nothing(member_client, application):
    url = reverse("portal:application_edit", args=[application.pk])
    response = member_client.post(url, form_data(action="add_line", title="Neuer Titel"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="kosten-TOTAL_FORMS" value="2"' in html
    assert 'id="id_kosten-1-description"' in html
    assert 'value="Neuer Titel"' in html
    assert 'id="error-summary"' not in html
    application.refresh_from_db()
    assert application.title != "Neuer Titel"


def test_choices_are_limited_to_the_programme(member_client, organisation):
    programme = ProgrammeFactory(code="TALK", activity_types=["talk"], funding_fields=["anti_racism"])
    html = member_client.get(new_url(programme)).content.decode()
    assert 'value="talk"' in html
    assert 'value="project"' not in html
    assert 'value="integration"' not in html
    response = member_client.post(new_url(programme), form_data(activity_type="project"))
    assert 'href="#id_activity_type"' in response.content.decode()
    assert not Application.objects.exists()


def test_resubmit_after_change_request(member_client, member, application):
    application = advance(application, member, State.CHANGES_REQUESTED)
    detail = member_client.get(reverse("portal:application_detail", args=[application.pk])).content.decode()
    assert "Bitte Kostenplan aufschlüsseln." in detail
    edit_url = reverse("portal:application_edit", args=[application.pk])
    assert edit_url in detail
    page = member_client.get(edit_url).content.decode()
    assert "Erneut einreichen" in page
    response = member_client.post(edit_url, form_data(action="submit", amount="900,00"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.requested_amount == Money("900.00", "EUR")
    assert application.events.last().action == "resubmit"


def test_submitted_application_cannot_be_edited(member_client, member, application):
    advance(application, member, State.SUBMITTED)
    url = reverse("portal:application_edit", args=[application.pk])
    assert member_client.get(url)["Location"] == reverse("portal:application_detail", args=[application.pk])
    member_client.post(url, form_data(title="Geändert"))
    application.refresh_from_db()
    assert application.title != "Geändert"


def test_user_without_organisation_is_led_to_create_one(client, programme):
    from tests.factories import role_user

    client.force_login(role_user("Antragsteller"))
    response = client.get(new_url(programme))
    assert response["Location"].startswith(reverse("portal:organisation_create"))
    assert "next=" in response["Location"]


def test_closed_window_sends_back_to_the_dashboard(member_client, organisation):
    today = timezone.localdate()
    programme = ProgrammeFactory(code="OLD", opens_on=today - timedelta(days=60), closes_on=today - timedelta(days=1))
    response = member_client.get(new_url(programme), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    assert "Das Antragsfenster ist geschlossen" in response.content.decode()


def test_user_with_two_organisations_chooses_one(member_client, member, programme, organisation):
    second = MembershipFactory(user=member).organisation
    assert 'id="id_organisation"' in member_client.get(new_url(programme)).content.decode()
    member_client.post(new_url(programme), form_data(organisation=str(second.pk)))
    assert Application.objects.get().organisation == second


def test_withdraw_asks_then_withdraws(member_client, member, application):
    application = advance(application, member, State.IN_REVIEW)
    url = reverse("portal:application_withdraw", args=[application.pk])
    page = member_client.get(url)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW  # GET changes nothing
    member_client.post(url, {"note": "Projekt fällt aus"})
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert application.events.last().note == "Projekt fällt aus"


def test_withdraw_after_decision_is_refused(member_client, member, application):
    application = advance(application, member, State.APPROVED)
    member_client.post(reverse("portal:application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == State.APPROVED
