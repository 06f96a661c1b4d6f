"""A formula programme's application in the admin: posts, contact, population basis, run and increases;
"Förderfähigkeit bestätigen" instead of recommend/approve (the run approves), and "Verzicht erfassen"."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from grants.models import Application, ApplicationEvent, Document, FundedPost, GrantIncrease
from grants.services.allocations import allocation_fix, allocation_issue_decisions, allocation_plan
from grants.services.applications import application_decline
from grants.services.payouts import payout_batch_create, payout_batch_execute
from grants.states import State
from programmes.models import ProgrammeBudget
from tests.factories import role_user
from tests.formula.builder import Staff, applicant, formula_programme, municipality

pytestmark = pytest.mark.django_db


def _fix_and_issue(programme, staff, capture):
    year = ProgrammeBudget.objects.get(programme=programme).year
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=year)
    run = allocation_fix(user=staff.clerk, programme_id=programme.pk, year=year,
                         expected_hash=plan.preview.input_hash)
    with capture(execute=True):
        allocation_issue_decisions(user=staff.head, run_id=run.pk)
    return run


@pytest.fixture
def staff():
    staff = Staff()
    staff.committee = role_user("Ausschuss")
    return staff


@pytest.fixture
def programme():
    return formula_programme(pot="90000.00")


@pytest.fixture
def verbund(programme, staff):
    """A Verbund of two municipalities, submitted and in review (eligibility not yet confirmed)."""
    members = [municipality("Gärtringen", 12000, ags="08115016"), municipality("Nufringen", 8000, ags="08115036")]
    return applicant(programme, staff, name="Verbund Gäu", members=members, ftes=("0.75", "0.25"), check=False)


@pytest.fixture
def decided(programme, staff, django_capture_on_commit_callbacks):
    """Three municipalities checked, a run fixed and its decisions issued: 15,000 / 30,000 / 45,000 €."""
    apps = [applicant(programme, staff, name=f"Gemeinde {i}", population=p)
            for i, p in enumerate([10000, 20000, 30000])]
    run = _fix_and_issue(programme, staff, django_capture_on_commit_callbacks)
    return run, [Application.objects.get(pk=a.pk) for a in apps]


def detail(client, user, application):
    client.force_login(user)
    return client.get(reverse("antraege:detail", args=[application.pk]))


def action_names(response) -> set[str]:
    return {action.name for action in response.context["actions"]}


def url(name, application):
    return reverse(f"antraege:{name}", args=[application.pk])


def test_detail_shows_posts_contact_and_the_population_of_each_member(client, staff, verbund):
    response = detail(client, staff.checker, verbund)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Geförderte Stellen", "Integrationsmanager:in 1", "0,75", "Integrationsmanager:in 2", "0,25",
                 "Pat Muster", "integration@example.org", "Gärtringen", "08115016", "12.000", "Nufringen",
                 "8.000", "20.000", "Kommunaler Verbund", "31.12.2025", "erfüllt"]:
        assert escape(text) in html, text
    # No cost plan and no amount applied for in a formula programme.
    assert "Kosten- und Finanzierungsplan" not in html
    assert "Beantragter Betrag" not in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("checker", {"request_changes", "confirm_eligibility", "reject"}),
        ("head", {"request_changes", "confirm_eligibility", "reject"}),
        ("finance", set()),
        ("committee", set()),
    ],
)
def test_in_review_eligibility_is_confirmed_instead_of_recommending(client, staff, verbund, role, expected):
    response = detail(client, getattr(staff, role), verbund)
    assert action_names(response) == expected
    html = response.content.decode()
    assert (url("confirm_eligibility", verbund) in html) == bool(expected)
    assert url("recommend", verbund) not in html


@pytest.mark.parametrize("role", ["checker", "clerk", "head"])
def test_checked_application_is_approved_by_the_run_not_by_a_button(client, staff, programme, role):
    application = applicant(programme, staff, name="Aidlingen", population=10000)
    assert application.state == State.RECOMMENDED
    response = detail(client, getattr(staff, role), application)
    assert action_names(response) == {"reject"}
    html = response.content.decode()
    assert url("approve", application) not in html
    assert "nächsten Verteilungslaufs" in html
    assert "Förderfähigkeit bestätigt" in html  # the history names the step as it is


def test_recommend_and_approve_urls_are_refused_for_formula_programmes(client, staff, programme, verbund):
    client.force_login(staff.head)
    response = client.post(url("recommend", verbund), {"amount": "1000,00"}, follow=True)
    assert "nicht möglich" in response.content.decode()
    checked = applicant(programme, staff, name="Aidlingen", population=10000)
    response = client.post(url("approve", checked), follow=True)
    assert "nicht möglich" in response.content.decode()
    assert Application.objects.get(pk=verbund.pk).state == State.IN_REVIEW
    assert Application.objects.get(pk=checked.pk).state == State.RECOMMENDED


def test_confirm_eligibility_shows_the_posts_and_moves_the_application_on(client, staff, verbund):
    client.force_login(staff.checker)
    page = client.get(url("confirm_eligibility", verbund))
    assert page.status_code == 200
    html = page.content.decode()
    for text in ["Integrationsmanager:in 1", "Gärtringen", "20.000", "Interner Vermerk (optional)"]:
        assert escape(text) in html, text

    response = client.post(url("confirm_eligibility", verbund), {"internal_note": "Stellenplan liegt vor."},
                           follow=True)
    assert "Die Förderfähigkeit wurde bestätigt." in response.content.decode()
    verbund.refresh_from_db()
    assert verbund.state == State.RECOMMENDED
    assert verbund.recommended_amount is None
    assert verbund.recommended_by == staff.checker
    event = ApplicationEvent.objects.filter(application=verbund).last()
    assert (event.action, event.internal_note) == ("recommend", "Stellenplan liegt vor.")


def test_confirm_eligibility_without_a_post_is_refused_in_german(client, staff, verbund):
    FundedPost.objects.filter(application=verbund).delete()
    client.force_login(staff.checker)
    response = client.post(url("confirm_eligibility", verbund), {"internal_note": ""})
    assert response.status_code == 200
    assert "Der Antrag nennt keine geförderte Stelle." in response.content.decode()
    assert Application.objects.get(pk=verbund.pk).state == State.IN_REVIEW


def test_individual_programmes_keep_recommend_and_get_no_eligibility_step(client, people, application_in):
    application = application_in(State.IN_REVIEW)
    response = detail(client, people.staff, application)
    assert action_names(response) == {"request_changes", "recommend", "reject"}
    response = client.post(url("confirm_eligibility", application), follow=True)
    assert "nicht möglich" in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == State.IN_REVIEW


def test_decided_application_shows_its_run_and_offers_decline(client, staff, decided):
    run, (first, _second, _third) = decided
    response = detail(client, staff.clerk, first)
    assert action_names(response) == {"decline"}
    html = response.content.decode()
    for text in [run.title, run.hash_prefix, "15.000,00", "Anteil nach Gewicht"]:
        assert escape(text) in html, text
    assert reverse("formelzuweisung:run", args=[run.pk]) in html
    assert action_names(detail(client, staff.finance, first)) == set()
    assert action_names(detail(client, staff.committee, first)) == set()


def test_decline_needs_a_reason_and_releases_the_budget(client, staff, decided):
    _run, (first, _second, _third) = decided
    budget = ProgrammeBudget.objects.get()
    assert budget.committed.amount == Decimal("90000.00")
    client.force_login(staff.clerk)

    response = client.post(url("decline", first), {"reason": "  "})
    assert "Bitte geben Sie an, warum auf die Zuwendung verzichtet wird." in response.content.decode()
    assert Application.objects.get(pk=first.pk).state == State.APPROVED

    response = client.post(url("decline", first), {"reason": "Schreiben vom 3.3.: Stelle nicht besetzt"},
                           follow=True)
    assert "Der Verzicht wurde erfasst." in response.content.decode()
    assert Application.objects.get(pk=first.pk).state == State.WITHDRAWN
    budget.refresh_from_db()
    assert budget.committed.amount == Decimal("75000.00")
    assert "Verzicht erklärt" in detail(client, staff.clerk, first).content.decode()


def test_no_decline_button_once_the_grant_is_in_a_payout_batch(client, staff, decided):
    _run, (first, _second, _third) = decided
    payout_batch_create(user=staff.finance, application_ids=[first.pk])
    assert action_names(detail(client, staff.clerk, first)) == set()


def test_increases_are_listed_with_their_letter(client, staff, programme, decided, django_capture_on_commit_callbacks):
    _run, (first, second, third) = decided
    with django_capture_on_commit_callbacks(execute=True):
        batch = payout_batch_create(user=staff.finance, application_ids=[first.pk])
        payout_batch_execute(user=staff.finance, batch_id=batch.pk)
    application_decline(user=staff.clerk, application_id=third.pk, reason="Verzicht")
    follow_up = _fix_and_issue(programme, staff, django_capture_on_commit_callbacks)

    increase = GrantIncrease.objects.get(application=first)
    document = Document.objects.get(increase=increase)
    html = detail(client, staff.clerk, first).content.decode()
    for text in ["Erhöhungen (Änderungsbescheide)", follow_up.title, follow_up.hash_prefix, "15.000,00",
                 "gesondert, noch offen", "Zuwendung erhöht (Änderungsbescheid)"]:
        assert escape(text) in html, text
    assert reverse("antraege:document", args=[document.pk]) in html
    assert "mit der Zuwendung" in detail(client, staff.clerk, second).content.decode()
