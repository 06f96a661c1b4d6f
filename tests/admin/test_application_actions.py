"""Each staff action view calls its service, changes the state, and explains refusals in German."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from djmoney.money import Money

from grants.models import ApplicationEvent, Refund
from grants.states import State
from programmes.models import ProgrammeBudget

from .conftest import login

pytestmark = pytest.mark.django_db


def url(name, application):
    return reverse(f"antraege:{name}", args=[application.pk])


def post(client, name, application, data=None):
    return client.post(url(name, application), data or {}, follow=True)


def state_of(application):
    application.refresh_from_db()
    return application.state


def text(response) -> str:
    return response.content.decode()


def test_start_review_is_one_post_from_the_detail_page(client, people, application_in):
    application = application_in(State.SUBMITTED)
    response = post(login(client, people.staff), "start_review", application)
    assert state_of(application) == State.IN_REVIEW
    assert response.redirect_chain[-1][0] == reverse("antraege:detail", args=[application.pk])
    assert "Die Prüfung wurde begonnen." in text(response)
    event = ApplicationEvent.objects.filter(application=application).last()
    assert (event.action, event.actor, event.to_state) == ("start_review", people.staff, State.IN_REVIEW)


def test_request_changes_needs_a_message(client, people, application_in):
    application = application_in(State.IN_REVIEW)
    login(client, people.staff)
    page = client.get(url("request_changes", application))
    assert page.status_code == 200
    assert '<label class="w-field__label" for="id_message"' in text(page)

    response = post(client, "request_changes", application, {"message": "   "})
    assert response.status_code == 200
    assert "Bitte beschreiben Sie, was nachgebessert werden soll." in text(response)
    assert state_of(application) == State.IN_REVIEW

    post(client, "request_changes", application, {"message": "Bitte den Kostenplan aufschlüsseln."})
    assert state_of(application) == State.CHANGES_REQUESTED
    assert application.last_message == "Bitte den Kostenplan aufschlüsseln."


def test_reject_without_reasons_is_refused_with_a_german_message(client, people, application_in):
    application = application_in(State.IN_REVIEW)
    response = post(login(client, people.staff), "reject", application, {"reasons": ""})
    assert "Eine Ablehnung braucht eine Begründung." in text(response)
    assert state_of(application) == State.IN_REVIEW
    assert not ApplicationEvent.objects.filter(application=application, action="reject").exists()

    post(client, "reject", application, {"reasons": "Nicht im Förderzweck <b>enthalten</b>."})
    assert state_of(application) == State.REJECTED
    assert ApplicationEvent.objects.get(application=application, action="reject").note.startswith("Nicht im")


def test_recommend_shows_the_service_refusal_and_accepts_a_german_amount(client, people, application_in):
    application = application_in(State.IN_REVIEW, amount="1000.00")
    login(client, people.staff)
    assert client.get(url("recommend", application)).context["form"].initial["amount"] == Money("1000.00", "EUR").amount

    response = post(client, "recommend", application, {"amount": "1.200,00"})
    assert escape("Es kann nicht mehr empfohlen werden, als beantragt ist.") in text(response)
    assert state_of(application) == State.IN_REVIEW

    response = post(client, "recommend", application, {"amount": "150,00"})
    assert "liegt unter dem Mindestbetrag" in text(response)
    assert state_of(application) == State.IN_REVIEW

    post(client, "recommend", application, {"amount": "900,00", "internal_note": "Honorar gekürzt"})
    assert state_of(application) == State.RECOMMENDED
    assert application.recommended_amount == Money("900.00", "EUR")


def test_four_eyes_the_recommender_cannot_approve_by_posting(client, people, application_in):
    application = application_in(State.RECOMMENDED)
    response = post(login(client, people.staff), "approve", application)
    assert "ist Ihnen bei diesem Antrag im Status" in text(response)
    assert state_of(application) == State.RECOMMENDED


def test_approve_commits_the_budget_and_refuses_beyond_it(client, people, application_in):
    application = application_in(State.RECOMMENDED, amount="1200.00", budget="5000.00")
    post(login(client, people.staff2), "approve", application, {"confirmed": "on", "internal_note": "passt"})
    assert state_of(application) == State.APPROVED
    budget = ProgrammeBudget.objects.get(programme=application.programme)
    assert budget.committed == Money("1200.00", "EUR")

    ProgrammeBudget.objects.filter(pk=budget.pk).update(amount=budget.committed.amount + 100)
    second = application_in(State.RECOMMENDED, amount="1200.00")
    response = post(client, "approve", second, {"confirmed": "on"})
    assert "übersteigt die verbleibenden Haushaltsmittel" in text(response)
    assert state_of(second) == State.RECOMMENDED


def test_settlement_checks_request_changes_accept_and_full_refund(client, people, application_in):
    login(client, people.staff)
    checked = application_in(State.SETTLEMENT_SUBMITTED, amount="1000.00")
    response = post(client, "request_settlement_changes", checked, {"message": ""})
    assert "Bitte beschreiben Sie, was am Verwendungsnachweis fehlt." in text(response)
    post(client, "request_settlement_changes", checked, {"message": "Belege fehlen"})
    assert state_of(checked) == State.PAID

    accepted = application_in(State.SETTLEMENT_SUBMITTED, amount="1000.00")
    assert client.get(url("accept_settlement", accepted)).context["form"].initial["eligible_costs"] == 800
    response = post(client, "accept_settlement", accepted, {"eligible_costs": "-1"})
    assert "Der Betrag darf nicht negativ sein." in text(response)
    post(client, "accept_settlement", accepted, {"eligible_costs": "750,00"})
    assert state_of(accepted) == State.REFUND_CLAIMED
    assert Refund.objects.get(application=accepted).amount == Money("250.00", "EUR")

    failed = application_in(State.PAID, amount="1000.00")
    response = post(client, "claim_refund", failed, {"reason": ""})
    assert "Eine vollständige Rückforderung braucht eine Begründung." in text(response)
    post(client, "claim_refund", failed, {"reason": "Veranstaltung fand nicht statt."})
    assert state_of(failed) == State.REFUND_CLAIMED
    assert Refund.objects.get(application=failed).amount == Money("1000.00", "EUR")


def test_finance_records_the_refund_received_and_staff_cannot(client, people, application_in):
    application = application_in(State.REFUND_CLAIMED, amount="1000.00")
    post(login(client, people.staff), "record_refund_received", application, {"received_on": "01.01.2026"})
    assert state_of(application) == State.REFUND_CLAIMED

    login(client, people.finance)
    response = post(client, "record_refund_received", application, {"received_on": "01.01.2999"})
    assert "Der Zahlungseingang kann nicht in der Zukunft liegen." in text(response)
    post(client, "record_refund_received", application, {"received_on": "01.01.2026"})
    assert state_of(application) == State.CLOSED
    assert str(Refund.objects.get(application=application).received_on) == "2026-01-01"


def test_action_pages_refuse_users_without_view_permission_and_applicants(client, people, application_in):
    application = application_in(State.IN_REVIEW)
    response = login(client, people.applicant).post(url("reject", application), {"reasons": "x"})
    assert response.status_code == 403  # logged in, but the admin is for staff
    assert state_of(application) == State.IN_REVIEW
    login(client, people.finance)
    response = post(client, "reject", application, {"reasons": "x"})
    assert state_of(application) == State.IN_REVIEW
    assert "ist Ihnen bei diesem Antrag im Status" in text(response)
