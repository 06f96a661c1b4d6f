"""The staff page of one application: content, files, history, and only the buttons the user may use."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from djmoney.money import Money

from grants.states import State
from tests.factories import ProgrammeFactory

from .conftest import login

pytestmark = pytest.mark.django_db

ALL_LABELS = {
    "start_review": "Prüfung beginnen",
    "request_changes": "Nachbesserung anfordern",
    "recommend": "Zur Bewilligung empfehlen",
    "approve": "Bewilligen",
    "reject": "Ablehnen",
    "request_settlement_changes": "Verwendungsnachweis nachfordern",
    "accept_settlement": "Verwendungsnachweis abschließend prüfen",
    "claim_refund": "Vollständig zurückfordern",
    "record_refund_received": "Zahlungseingang der Rückforderung buchen",
    "confirm_eligibility": "Förderfähigkeit bestätigen",
    "decline": "Verzicht erfassen",
    "set_interest": "Verzinsung festlegen",
}


def detail(client, application):
    return client.get(reverse("antraege:detail", args=[application.pk]))


def action_names(response) -> set[str]:
    return {action.name for action in response.context["actions"]}


def action_urls_in(html: str, application) -> set[str]:
    return {name for name in ALL_LABELS if reverse(f"antraege:{name}", args=[application.pk]) in html}


def test_page_shows_everything_the_applicant_entered(client, people, application_in):
    application = application_in(State.SUBMITTED, amount="1500.00")
    response = login(client, people.staff).get(reverse("antraege:detail", args=[application.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    organisation = application.organisation
    expected = [
        application.title, application.summary, application.goals, application.target_group, "120",
        "Begegnungsveranstaltung", "Integration", application.place.name, "Honorare", "1.500,00 €",
        "Eigenmittel", "Drittmittel", "Angaben vollständig und wahrheitsgemäß", "bestätigt",
        organisation.name, "Hauptstraße 12a", "76133 Musterstadt", organisation.iban_formatted,
        organisation.contact_email, "Eingereicht", application.file_number,
    ]
    for text in expected:
        assert escape(text) in html, text
    assert f"<title>Antrag {escape(str(application))}" in html


def test_history_shows_who_when_from_to_note_and_amount(client, people, application_in):
    application = application_in(State.RECOMMENDED, amount="900.00")
    html = detail(login(client, people.staff2), application).content.decode()
    assert "Zur Bewilligung empfohlen" in html
    assert "In Prüfung → Zur Bewilligung empfohlen" in html
    assert escape(people.staff.get_full_name()) in html
    assert "900,00 €" in html


@pytest.mark.parametrize(
    ("state", "role", "expected"),
    [
        (State.SUBMITTED, "staff", {"start_review"}),
        (State.SUBMITTED, "head", {"start_review"}),
        (State.SUBMITTED, "finance", set()),
        (State.SUBMITTED, "committee", set()),
        (State.IN_REVIEW, "staff", {"request_changes", "recommend", "reject"}),
        (State.IN_REVIEW, "finance", set()),
        # Four eyes: staff recommended it, so staff gets no approve button; a colleague does.
        (State.RECOMMENDED, "staff", {"reject"}),
        (State.RECOMMENDED, "staff2", {"approve", "reject"}),
        (State.RECOMMENDED, "head", {"approve", "reject"}),
        (State.APPROVED, "staff", {"decline"}),
        (State.APPROVED, "finance", set()),  # payout goes through a payout batch, not a button
        (State.PAID, "staff", {"claim_refund"}),
        (State.SETTLEMENT_SUBMITTED, "staff", {"request_settlement_changes", "accept_settlement", "claim_refund"}),
        (State.SETTLEMENT_SUBMITTED, "finance", set()),
        (State.REFUND_CLAIMED, "finance", {"record_refund_received"}),
        (State.REFUND_CLAIMED, "staff", {"set_interest"}),
        (State.CLOSED, "head", set()),
    ],
)
def test_only_allowed_buttons_are_shown(client, people, application_in, state, role, expected):
    application = application_in(state)
    response = detail(login(client, getattr(people, role)), application)
    assert response.status_code == 200
    assert action_names(response) == expected
    assert action_urls_in(response.content.decode(), application) == expected


def test_above_the_staff_limit_only_the_head_of_unit_may_approve(client, people, application_in):
    ProgrammeFactory(staff_approval_limit=Money("500.00", "EUR"))
    application = application_in(State.RECOMMENDED, amount="2000.00")
    assert action_names(detail(login(client, people.staff2), application)) == {"reject"}
    assert action_names(detail(login(client, people.head), application)) == {"approve", "reject"}


def test_applicant_is_sent_to_the_login_and_unknown_ids_are_404(client, people, application_in):
    application = application_in(State.SUBMITTED)
    response = detail(login(client, people.applicant), application)
    assert response.status_code == 302
    assert response["Location"] == "/portal/"  # logged in, but the admin is for staff: their own start page
    login(client, people.staff)
    assert client.get(reverse("antraege:detail", args=[application.pk + 1000])).status_code == 404


def test_settlement_refund_and_payout_are_shown(client, people, application_in):
    application = application_in(State.REFUND_CLAIMED, amount="1000.00")
    html = detail(login(client, people.finance), application).content.decode()
    for text in ["Verwendungsnachweis", "Fest mit 150 Gästen", "800,00 €", "Rückforderung", "200,00 €",
                 "Nicht verbrauchte Mittel", application.grant_payout.batch.number]:
        assert escape(text) in html, text
    assert reverse("zahlungslaeufe:detail", args=[application.grant_payout.batch.pk]) in html


def test_actions_without_input_are_post_forms_others_link_to_their_form(client, people, application_in):
    application = application_in(State.RECOMMENDED)
    html = detail(login(client, people.staff2), application).content.decode()
    # Approving commits money: no one-click form, a link to the page that asks for confirmation.
    assert f'<form method="post" action="{reverse("antraege:approve", args=[application.pk])}">' not in html
    assert f'href="{reverse("antraege:approve", args=[application.pk])}"' in html
    assert f'href="{reverse("antraege:reject", args=[application.pk])}"' in html
