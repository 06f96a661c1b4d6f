"""Staff write three different things on a step: an internal note (staff only), a message to the applicant
(history and e-mail) and, where a letter follows, the reason printed in it. None leaks into another's place."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from grants.models import ApplicationEvent, Document, DocumentKind, Refund
from grants.states import State

from .conftest import login

pytestmark = pytest.mark.django_db

INTERNAL = "Intern: Belege für Catering fragwürdig, Rücksprache mit Frau K."
MESSAGE = "Wir haben 750 Euro der Ausgaben anerkannt."
REASON = "Die Honorarbelege über 50 Euro wurden nicht vorgelegt."


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def refunded(client, people, application_in, django_capture_on_commit_callbacks, mailoutbox):
    application = application_in(State.SETTLEMENT_SUBMITTED, amount="1000.00")
    mailoutbox.clear()
    login(client, people.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("antraege:accept_settlement", args=[application.pk]), {
            "eligible_costs": "750,00", "internal_note": INTERNAL, "message": MESSAGE, "reason": REASON,
        })
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.REFUND_CLAIMED
    return application


def test_the_form_labels_say_who_reads_what(client, people, application_in):
    application = application_in(State.SETTLEMENT_SUBMITTED)
    html = login(client, people.staff).get(reverse("antraege:accept_settlement", args=[application.pk])).content
    html = html.decode()
    assert "Interner Vermerk (optional)" in html
    assert "Nur für die Verwaltung sichtbar; wird weder gesendet noch gedruckt." in html
    assert "Nachricht an die Antragstellerin / den Antragsteller (optional)" in html
    assert "Wird per E-Mail gesendet und in der Historie angezeigt." in html
    assert "Begründung – erscheint im Bescheid (optional)" in html


def test_the_event_keeps_note_and_message_apart(refunded):
    event = ApplicationEvent.objects.get(application=refunded, action="claim_refund")
    assert (event.note, event.internal_note) == (MESSAGE, INTERNAL)
    assert Refund.objects.get(application=refunded).explanation == REASON


def test_internal_note_is_not_in_the_applicants_history_but_the_message_is(client, people, refunded):
    client.logout()
    html = login(client, people.applicant).get(reverse("portal:application_detail", args=[refunded.pk])).content
    assert MESSAGE in html.decode()
    assert "Rücksprache" not in html.decode()


def test_internal_note_is_shown_to_staff(client, people, refunded):
    html = login(client, people.staff2).get(reverse("antraege:detail", args=[refunded.pk])).content.decode()
    assert "Rücksprache mit Frau K." in html
    assert MESSAGE in html


def test_internal_note_is_not_emailed_but_the_message_is(refunded, mailoutbox):
    bodies = [mail.body for mail in mailoutbox]
    assert any(MESSAGE in body for body in bodies), bodies
    assert not any("Rücksprache" in body for body in bodies)


def test_the_refund_letter_prints_the_reason_and_not_the_internal_note(refunded):
    document = Document.objects.get(application=refunded, kind=DocumentKind.REFUND_NOTICE)
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Begründung" in text
    assert REASON in text
    assert "Rücksprache" not in text
    assert "fragwürdig" not in text


def test_approval_note_stays_internal(client, people, application_in, django_capture_on_commit_callbacks,
                                      mailoutbox):
    application = application_in(State.RECOMMENDED, amount="1200.00")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(client, people.staff2).post(reverse("antraege:approve", args=[application.pk]), {
            "confirmed": "on", "internal_note": "Intern: Vorstand kennt die Leitung persönlich.",
        })
    event = ApplicationEvent.objects.get(application=application, action="approve")
    assert (event.note, event.internal_note) == ("", "Intern: Vorstand kennt die Leitung persönlich.")
    assert mailoutbox
    assert not any("Vorstand kennt" in mail.body for mail in mailoutbox)
    letter = Document.objects.get(application=application, kind=DocumentKind.APPROVAL)
    with letter.file.open("rb") as handle:
        assert "Vorstand kennt" not in pdf_text(handle.read())
