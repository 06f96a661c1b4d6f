"""The three letters as files: render, extract the text with pypdf, check what the law and the brief require."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from djmoney.money import Money

from grants.letters import render_letter
from grants.models import DocumentKind
from grants.services import review, settlements
from programmes import rules as programme_rules
from tests.documents.helpers import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

TRICKY_TITLE = 'Fest <b>& "Vielfalt"</b>'
TRICKY_REASONS = 'Kostenplan <unklar> & "Zweck" nicht belegt; Zeile 2 < Zeile 3'


def test_approval_letter_states_the_decision(approved):
    start = timezone.localdate() + timedelta(days=40)
    end = start + timedelta(days=31)
    application = approved(amount="1400.00", planned_start=start, planned_end=end,
                           own_funds=Money("150.00", "EUR"), third_party_funds=Money("50.00", "EUR"))

    text = pdf_text(render_letter(application, DocumentKind.APPROVAL))

    assert "Zuwendungsbescheid" in text
    assert application.file_number in text
    assert application.file_number.startswith("II-IMP-")
    assert "Bewilligter Betrag 1.200,00 €" in text
    # Addressee block: organisation, contact, structured address.
    organisation = application.organisation
    assert organisation.name in text
    assert "z. Hd. Erika Muster" in text
    assert "Hauptstraße 12a 76133 Musterstadt" in text
    # Purpose, funding period and financing type.
    assert application.title in text
    assert application.summary in text
    assert f"{start:%d.%m.%Y} bis {end:%d.%m.%Y}" in text
    assert "Festbetragsfinanzierung" in text
    # Cost plan with own and third-party funds.
    assert "Honorare 1.400,00 €" in text
    assert "Zuwendungsfähige Gesamtausgaben 1.400,00 €" in text
    assert "abzüglich Eigenmittel 150,00 €" in text
    assert "abzüglich Drittmittel 50,00 €" in text
    assert "Beantragte Zuwendung 1.200,00 €" in text
    assert "Bewilligte Zuwendung 1.200,00 €" in text
    # Payout to the organisation's account, conditions, settlement deadline.
    assert "in einer Summe" in text
    assert "DE89 3704 0044 0532 0130 00" in text
    assert "ANBest-P" in text
    due = programme_rules.settlement_due_on(application.programme, end)
    assert due == programme_rules.add_months(end, 3)
    assert f"bis zum {due:%d.%m.%Y} nachzuweisen" in text
    assert "Einfacher Verwendungsnachweis" in text
    # Revocation reservation, interest, remedies, signature.
    assert "Vorbehalt des Widerrufs" in text
    assert "§ 49 VwVfG" in text
    assert "§ 49a VwVfG" in text
    assert "Rechtsbehelfsbelehrung" in text
    assert "innerhalb eines Monats nach Bekanntgabe Widerspruch" in text
    assert "Landkreis Musterstadt, Amt für Migration und Integration, Am Landratsamt 1, 76131 Musterstadt" in text
    assert "Im Auftrag Bernd Bewilliger" in text
    # Letter head, date, and no early-start note when none was requested.
    assert "Amt für Migration und Integration" in text
    assert f"Datum {timezone.localdate():%d.%m.%Y}" in text
    assert "Vorzeitiger Maßnahmebeginn" not in text


def test_approval_letter_notes_early_start(approved):
    application = approved(
        early_start_requested=True, early_start_reason="Die Räume sind nur im März frei.",
        planned_start=timezone.localdate() - timedelta(days=3),
    )

    text = pdf_text(render_letter(application, "approval"))

    assert "Vorzeitiger Maßnahmebeginn" in text
    assert "Die Räume sind nur im März frei." in text


def test_approval_letter_shows_recommended_not_requested_amount(people, submitted, django_capture_on_commit_callbacks):
    application = submitted(amount="1450.00")
    with django_capture_on_commit_callbacks(execute=True):
        review.application_recommend(user=people.staff, application_id=application.pk,
                                     amount=Money("1234.56", "EUR"))
        review.application_approve(user=people.approver, application_id=application.pk)
    application.refresh_from_db()

    text = pdf_text(render_letter(application, "approval"))

    assert "Beantragte Zuwendung 1.450,00 €" in text
    assert "Bewilligter Betrag 1.234,56 €" in text


def test_rejection_letter_gives_latest_reasons(people, submitted, django_capture_on_commit_callbacks):
    application = submitted(amount="800.00")
    with django_capture_on_commit_callbacks(execute=True):
        review.application_reject(user=people.staff, application_id=application.pk,
                                  reasons="Das Vorhaben liegt außerhalb des Landkreises.")
    application.refresh_from_db()

    text = pdf_text(render_letter(application, DocumentKind.REJECTION))

    assert "Ablehnungsbescheid" in text
    assert application.file_number in text
    assert "800,00 €" in text
    assert application.organisation.name in text
    assert "wird abgelehnt" in text
    assert "Begründung Das Vorhaben liegt außerhalb des Landkreises." in text
    assert "Rechtsbehelfsbelehrung" in text
    assert "Im Auftrag Sabine Sachbearbeiterin" in text


def test_refund_notice_for_unspent_money(settled_with_refund):
    application = settled_with_refund()
    refund = application.refund

    text = pdf_text(render_letter(application, DocumentKind.REFUND_NOTICE))

    assert "Rückforderungsbescheid" in text
    assert application.file_number in text
    assert application.organisation.name in text
    assert "Bewilligte Zuwendung 1.200,00 €" in text
    assert "Anerkannte zuwendungsfähige Ausgaben 1.000,00 €" in text
    assert "Zu erstattender Betrag 200,00 €" in text
    assert f"Fällig am {refund.due_on:%d.%m.%Y}" in text
    assert f"bis zum {refund.due_on:%d.%m.%Y}" in text
    assert refund.due_on == timezone.localdate() + timedelta(days=application.programme.refund_due_days)
    # Transfer details: the district's account, the file number as reference.
    assert "Empfänger Landkreis Musterstadt" in text
    assert "IBAN DE02 1203 0000 0000 2020 51" in text
    assert "BIC BYLADEM1001" in text
    assert f"Verwendungszweck {application.file_number}" in text
    assert "§ 49a" in text
    assert "fünf Prozentpunkten über dem Basiszinssatz" in text
    assert "Belege für die Raummiete fehlen." in text
    assert "Rechtsbehelfsbelehrung" in text


def test_full_refund_without_settlement(people, paid, django_capture_on_commit_callbacks):
    application = paid(amount="900.00")
    with django_capture_on_commit_callbacks(execute=True):
        settlements.refund_claim_full(user=people.staff, application_id=application.pk, reason=TRICKY_REASONS)
    application.refresh_from_db()

    text = pdf_text(render_letter(application, DocumentKind.REFUND_NOTICE))

    assert "Zuwendungszweck wurde nicht erreicht" in text
    assert "Zu erstattender Betrag 900,00 €" in text
    assert "Anerkannte zuwendungsfähige Ausgaben" not in text
    assert TRICKY_REASONS in text


def test_applicant_text_is_printed_not_interpreted(people, submitted, django_capture_on_commit_callbacks):
    application = submitted(title=TRICKY_TITLE, summary="<i>kursiv?</i> & <br/> bleibt Text",
                            organisation__name='Kultur & "Begegnung" <e. V.>')
    with django_capture_on_commit_callbacks(execute=True):
        review.application_reject(user=people.staff, application_id=application.pk, reasons=TRICKY_REASONS)
    application.refresh_from_db()

    rejection = pdf_text(render_letter(application, DocumentKind.REJECTION))
    # The same application, as if it had been approved, to cover the approval layout too.
    application.approved_amount = application.requested_amount
    approval = pdf_text(render_letter(application, DocumentKind.APPROVAL))

    for text in (rejection, approval):
        assert TRICKY_TITLE in text
        assert 'Kultur & "Begegnung" <e. V.>' in text
        assert "&amp;" not in text
        assert "&lt;" not in text
    assert TRICKY_REASONS in rejection
    assert "<i>kursiv?</i> & <br/> bleibt Text" in approval


def test_long_letter_numbers_its_pages_and_keeps_every_cost_line(approved):
    paragraph = "Absatz {}: Begegnung, Austausch und gemeinsames Kochen im Stadtteil."
    long_summary = "\n".join(paragraph.format(n) for n in range(60))
    lines = [(f"Kostenposition Nr. {n:02d}", "10.00") for n in range(1, 61)]
    application = approved(amount="600.00", summary=long_summary, extra_lines=lines)

    pages = pdf_pages(render_letter(application, "approval"))
    text = " ".join(" ".join(pages).split())

    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in " ".join(page.split())
    # The follow-up pages repeat the file number in their header.
    assert application.file_number in pages[-1]
    for description, _amount in lines:
        assert f"{description} 10,00 €" in text
    assert "Zuwendungsfähige Gesamtausgaben 1.200,00 €" in text


def test_overlong_addressee_stays_complete(approved):
    name = "Interkultureller Begegnungs- und Bildungsverein der Nachbarschaften " * 2
    application = approved(organisation__name=name.strip(), organisation__account_holder="Begegnungsverein",
                           organisation__contact_name="Dr. Maria-Theresa " * 6)

    text = pdf_text(render_letter(application, "approval"))

    assert " ".join(name.split()) in text
    assert "Hauptstraße 12a 76133 Musterstadt" in text
    assert f"Aktenzeichen {application.file_number}" in text


@override_settings(DISTRICT_NAME="Kreis Beispielland", DISTRICT_UNIT="Integrationsbüro",
                   DISTRICT_IBAN="DE75512108001245126199", DISTRICT_BIC="SOGEDEFFXXX")
def test_letter_head_and_account_come_from_settings(settled_with_refund):
    application = settled_with_refund()

    text = pdf_text(render_letter(application, "refund_notice"))

    assert "Kreis Beispielland" in text
    assert "Integrationsbüro" in text
    assert "IBAN DE75 5121 0800 1245 1261 99" in text
    assert "Landkreis Musterstadt" not in text


def test_unknown_kind_is_refused(approved):
    with pytest.raises(ValueError, match="unknown letter kind"):
        render_letter(approved(), "invoice")
