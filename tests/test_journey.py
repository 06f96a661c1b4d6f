"""The whole journey of issue 2, section 7, by clicking: applicant → staff → finance → applicant → staff.

Every step is what a browser does (see tests/browser.py): GET the page, read its form from the
HTML (hidden fields, CSRF token, pre-filled values, the button that is "clicked"), fill in what a
person types and POST it. No service is called for a step; the services run behind the real views. CSRF is
enforced, so a form without a token fails here as it would in the browser. Side effects
(letters) run after commit, captured with ``django_capture_on_commit_callbacks``.
"""

import io
from datetime import timedelta
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money
from pypdf import PdfReader
from schwifty import IBAN

from grants.models import Application, Document, DocumentKind, PayoutBatch
from grants.states import State
from programmes.models import ProgrammeBudget
from tests import uploads_crafted
from tests.browser import Browser, form_data
from tests.factories import MembershipFactory, MunicipalityFactory, ProgrammeBudgetFactory, project_ended, role_user
from tests.factories.people import totp_code

pytestmark = pytest.mark.django_db

PAIN_001_001_09_XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd"
# A small but real PDF (one page, as the upload check wants it), as a user would attach it.
PDF_UPLOAD = uploads_crafted.pdf()


# -- the cast ---------------------------------------------------------------------------------------
@pytest.fixture
def cast(db):
    budget = ProgrammeBudgetFactory(amount=Money("50000.00", "EUR"))
    applicant = role_user("Antragsteller", first_name="Amira", last_name="Haddad")
    membership = MembershipFactory(user=applicant, organisation__name="Brücken bauen e. V.")
    return {
        "programme": budget.programme,
        "organisation": membership.organisation,
        "place": MunicipalityFactory(name="Musterdorf"),
        "applicant": applicant,
        "staff": role_user("Sachbearbeitung"),
        "staff2": role_user("Sachbearbeitung"),
        "head": role_user("Leitung"),
        "finance": role_user("Finanzen"),
    }


def first_choice(form, name: str) -> str:
    """The first real option of a select (not the 'Bitte wählen' prompt)."""
    return next(o.get("value") for o in form.xpath(f".//select[@name='{name}']/option") if o.get("value"))


def state_of(application) -> str:
    application.refresh_from_db()
    return application.state


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def admin(name: str, application) -> str:
    return reverse(f"antraege:{name}", args=[application.pk])


# -- the journey --------------------------------------------------------------------------------------
def test_journey_applicant_staff_finance_applicant_staff(cast, django_capture_on_commit_callbacks, mailoutbox):
    applicant, staff, staff2 = Browser(cast["applicant"]), Browser(cast["staff"]), Browser(cast["staff2"])
    head, finance = Browser(cast["head"]), Browser(cast["finance"])
    today = timezone.localdate()
    capture = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731

    # 1. Applicant: dashboard → "Antrag stellen" → the form.
    dashboard = applicant.get(reverse("portal:dashboard"))
    dashboard.says("Meine Anträge", "Brücken bauen e. V.")
    form_page = applicant.get(dashboard.link("Antrag stellen: Integrationsimpulse"))
    assert form_page.url == reverse("portal:application_create", args=["IMP"])
    form_page.says("Neuer Antrag", "Integrationsimpulse")
    refused = applicant.submit(form_page, containing="title", button=("action", "submit"))
    assert refused.error_links() == ["#id_title"]
    assert Application.objects.count() == 0
    form = form_page.form(containing="title")
    project = {
        "title": "Sprachcafé im Bürgerhaus",
        "summary": "Wöchentliches Sprachcafé für Neuzugewanderte & Nachbarschaft.",
        "goals": "Deutsch üben, Kontakte knüpfen",
        "target_group": "Neuzugewanderte und Ehrenamtliche",
        "expected_participants": "40",
        "activity_type": first_choice(form, "activity_type"),
        "funding_field": first_choice(form, "funding_field"),
        "planned_start": (today + timedelta(days=30)).isoformat(),
        "planned_end": (today + timedelta(days=120)).isoformat(),
        "place": str(cast["place"].pk),
        "own_funds": "100,00",
        "kosten-0-description": "Honorare Sprachbegleitung",
        "kosten-0-amount": "900,00",
        "declaration_truthful": "on", "declaration_not_started": "on",
        "declaration_privacy": "on", "declaration_conditions": "on",
    }
    # Without JavaScript "Zeile hinzufügen" posts the form and returns it with one more row.
    two_rows = applicant.submit(form_page, containing="title", fill=project, button=("action", "add_line"))
    assert two_rows.form(containing="kosten-1-description") is not None
    assert Application.objects.count() == 0  # nothing saved yet
    saved = applicant.submit(two_rows, containing="title", button=("action", "save"), fill={
        "kosten-1-description": "Raummiete", "kosten-1-amount": "300,00"})
    saved.says("Der Entwurf wurde gespeichert.")
    application = Application.objects.get()
    assert saved.url == reverse("portal:application_edit", args=[application.pk])
    assert (application.state, application.organisation) == (State.DRAFT, cast["organisation"])
    assert application.requested_amount == Money("1100.00", "EUR")  # 1.200 costs − 100 own funds

    # 2. Applicant attaches a PDF (link under "Anlagen"), then submits.
    upload_page = applicant.get(saved.link("Anlage hochladen"))
    wrong = applicant.submit(upload_page, containing="file", files={
        "file": SimpleUploadedFile("Finanzplan.pdf", b"no PDF inside", content_type="application/pdf")})
    assert wrong.error_links() == ["#id_file"]  # checked by content, not by name
    uploaded = applicant.submit(upload_page, containing="file", files={
        "file": SimpleUploadedFile("Finanzplan.pdf", PDF_UPLOAD, content_type="application/pdf")})
    uploaded.says("Die Datei „Finanzplan.pdf“ wurde hochgeladen.", "Finanzplan.pdf")
    assert application.attachments.get().original_name == "Finanzplan.pdf"
    assert 'aria-label="Entfernen: Finanzplan.pdf"' in uploaded.html
    with capture():
        submitted = applicant.submit(uploaded, containing="title", button=("action", "submit"))
    application.refresh_from_db()
    file_number = application.file_number
    assert file_number.startswith(f"II-IMP-{today.year}-")
    submitted.says(f"Ihr Antrag wurde eingereicht. Aktenzeichen: {file_number}", "Eingereicht")
    assert submitted.url == reverse("portal:application_detail", args=[application.pk])
    assert application.state == State.SUBMITTED

    # 3. Staff: finds it in the listing, opens it, starts the review, asks for changes.
    landing = staff.get(reverse("portal:dashboard"))  # where the login sends everybody
    landing.says("Sie arbeiten für das Landratsamt")
    assert "Organisation anlegen" not in landing.text
    staff.get(landing.link("Zur Verwaltung"))
    listing = staff.get(reverse("antraege:index"))
    listing.says("Sprachcafé im Bürgerhaus", file_number)
    detail = staff.get(listing.link("Sprachcafé im Bürgerhaus"))
    assert detail.url == admin("detail", application)
    detail.says("Finanzplan.pdf", "Honorare Sprachbegleitung", "1.100,00 €")
    assert staff.download(detail.link("Finanzplan.pdf")).getvalue() == PDF_UPLOAD
    with capture():
        reviewing = staff.submit(detail, action=admin("start_review", application))
    reviewing.says("Die Prüfung wurde begonnen.")
    assert state_of(application) == State.IN_REVIEW
    ask = staff.get(reviewing.link("Nachbesserung anfordern"))
    ask.says("Mitteilung an die Antragstellerin")
    message = "Bitte schlüsseln Sie die Raummiete auf: Wie viele Termine à wie viel Euro?"
    with capture():
        asked = staff.submit(ask, containing="message", fill={"message": message})
    asked.says("Die Nachbesserung wurde angefordert")
    assert state_of(application) == State.CHANGES_REQUESTED
    mail = [m for m in mailoutbox if message in m.body]
    assert mail, "the change request goes out by e-mail"
    assert cast["organisation"].contact_email in mail[0].to

    # 4. Applicant: sees the message, edits and resubmits.
    mine = applicant.get(reverse("portal:application_detail", args=[application.pk]))
    mine.says("Das Landratsamt bittet um Nachbesserung", message, "Nachbesserung angefordert")
    edit = applicant.get(mine.link("Antrag bearbeiten und erneut einreichen"))
    edit.says(message)
    edit_form = edit.form(containing="title")
    assert form_data(edit_form)["kosten-1-amount"] == "300,00"  # the stored plan, German formatted
    with capture():
        resubmitted = applicant.submit(edit, containing="title", button=("action", "submit"), fill={
            "kosten-1-description": "Raummiete: 10 Termine à 25 €", "kosten-1-amount": "250,00"})
    resubmitted.says(f"Ihr Antrag wurde eingereicht. Aktenzeichen: {file_number}", "Antrag erneut eingereicht")
    assert state_of(application) == State.SUBMITTED
    assert application.requested_amount == Money("1050.00", "EUR")

    # 5. Staff: review again, recommend; a second clerk approves (within the staff limit of 1.500 €).
    detail = staff.get(admin("detail", application))
    with capture():
        staff.submit(detail, action=admin("start_review", application))
    assert state_of(application) == State.IN_REVIEW
    recommend = staff.get(staff.get(admin("detail", application)).link("Zur Bewilligung empfehlen"))
    assert form_data(recommend.form(containing="amount"))["amount"] == "1.050,00"
    with capture():
        recommended = staff.submit(recommend, containing="amount",
                                   fill={"internal_note": "Förderfähig, Plan plausibel."})
    recommended.says("Der Antrag wurde zur Bewilligung empfohlen.")
    assert state_of(application) == State.RECOMMENDED
    # Four-eyes: the recommender is offered no approval.
    assert admin("approve", application) not in recommended.html
    head.get(admin("detail", application)).says("Bewilligen")  # Leitung could, too
    # Approving commits money: a page states the amount and the budget left and asks for confirmation.
    confirm = staff2.get(staff2.get(admin("detail", application)).link("Bewilligen"))
    confirm.says(f"Sie bewilligen 1.050,00 € aus dem Budget {cast['programme']} {today.year}; danach verbleiben "
                 "48.950,00 €.")
    with capture():
        approved = staff2.submit(confirm, containing="confirmed", fill={"confirmed": "on"})
    approved.says("Der Antrag wurde bewilligt. Der Zuwendungsbescheid wird erstellt.")
    assert state_of(application) == State.APPROVED
    approved.says(f"Haushaltsjahr {today.year}")  # a year, not a number with a thousands dot
    budget = ProgrammeBudget.objects.get(programme=cast["programme"], year=today.year)
    assert budget.committed == Money("1050.00", "EUR")

    # 6. Applicant downloads the approval letter: a PDF with the file number and the amount.
    mine = applicant.get(reverse("portal:application_detail", args=[application.pk]))
    mine.says("Bewilligt", "Bescheide")
    letter = Document.objects.get(application=application, kind=DocumentKind.APPROVAL)
    href = mine.link("Zuwendungsbescheid")
    assert href == reverse("portal:document_download", args=[letter.pk])
    response = applicant.download(href)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert file_number in text
    assert "1.050,00" in text

    # 7. Finance: new payout batch with this application, SEPA file valid, executed.
    batches = finance.get(reverse("zahlungslaeufe:index"))
    new_batch = finance.get(batches.link("Zahlungslauf anlegen"))
    new_batch.says(file_number, "1.050,00 €")
    # Money moves: the Kasse first confirms with the code from the authenticator app, then the step goes on.
    confirm_access = finance.submit(new_batch, containing="applications")
    confirm_access.says("Zugriff bestätigen")
    nothing_chosen = finance.submit(confirm_access, containing="code", fill={"code": totp_code(finance.user)})
    nothing_chosen.says("Wählen Sie mindestens einen bewilligten Antrag.")
    assert nothing_chosen.error_links() == ["#id_applications"]
    with capture():
        created = finance.submit(new_batch, containing="applications", fill={"applications": str(application.pk)})
    batch = PayoutBatch.objects.get()
    created.says(f"Zahlungslauf {batch.number} mit 1 Auszahlung angelegt.")
    sepa = finance.download(created.link("SEPA-Überweisungsdatei herunterladen"))
    xml = sepa.content
    xmlschema.XMLSchema(str(PAIN_001_001_09_XSD)).validate(io.BytesIO(xml))
    assert f"<EndToEndId>{file_number}</EndToEndId>".encode() in xml
    assert b"1050.00" in xml
    confirm = finance.get(created.link("Als ausgeführt markieren"))
    with capture():
        executed = finance.submit(confirm, action=reverse("zahlungslaeufe:execute", args=[batch.pk]))
    executed.says(f"Zahlungslauf {batch.number} ist ausgeführt; die Anträge stehen auf „ausgezahlt“.")
    assert state_of(application) == State.PAID

    # 8. Applicant: settlement with lower actual costs, once the project is over (time passes: its period is
    # moved into the past).
    project_ended(application)
    mine = applicant.get(reverse("portal:application_detail", args=[application.pk]))
    settlement = applicant.get(mine.link("Verwendungsnachweis bearbeiten"))
    settlement.says("Verwendungsnachweis", "1.050,00 €")
    rows = form_data(settlement.form(containing="report"))
    assert rows["ausgaben-0-description"] == "Honorare Sprachbegleitung"  # positions carried over
    with capture():
        settled = applicant.submit(settlement, containing="report", button=("action", "submit"), fill={
            "report": "Zwölf Termine mit durchschnittlich 25 Teilnehmenden.", "participants_reached": "31",
            "ausgaben-0-amount": "700,00", "ausgaben-1-amount": "200,00", "income": "0,00"})
    settled.says("Ihr Verwendungsnachweis wurde eingereicht.", "900,00 €")
    assert state_of(application) == State.SETTLEMENT_SUBMITTED

    # 9. Staff accepts 900 € of eligible costs → 150 € are reclaimed.
    check = staff.get(staff.get(admin("detail", application)).link("Verwendungsnachweis abschließend prüfen"))
    assert form_data(check.form(containing="eligible_costs"))["eligible_costs"] == "900,00"
    check.says("Tatsächliche Gesamtkosten 900,00 €", "Erreichte Teilnehmende 31")  # the figures to decide on
    with capture():
        checked = staff.submit(check, containing="eligible_costs")
    checked.says("Der Verwendungsnachweis wurde geprüft.", "150,00 €")
    assert state_of(application) == State.REFUND_CLAIMED
    refund = application.refund
    assert refund.amount == Money("150.00", "EUR")
    assert Document.objects.filter(application=application, kind=DocumentKind.REFUND_NOTICE).exists()

    # 10. Applicant sees what to pay, until when, where to.
    mine = applicant.get(reverse("portal:application_detail", args=[application.pk]))
    mine.says("Rückforderung: bitte überweisen", "150,00 €", refund.due_on.strftime("%d.%m.%Y"),
              IBAN(settings.DISTRICT_IBAN).formatted, file_number)
    notice = Document.objects.get(application=application, kind=DocumentKind.REFUND_NOTICE)
    assert applicant.download(reverse("portal:document_download", args=[notice.pk]))["Content-Type"] == (
        "application/pdf")

    # 11. Finance records the refund as received → closed.
    received_page = finance.get(finance.get(admin("detail", application)).link("Zahlungseingang der Rückforderung"))
    received_page.says("Rückforderungsbetrag 150,00 €", refund.due_on.strftime("%d.%m.%Y"))
    with capture():
        received = finance.submit(received_page, containing="received_on")
    received.says("Der Zahlungseingang wurde gebucht; der Antrag ist abgeschlossen.")
    assert state_of(application) == State.CLOSED
    budget.refresh_from_db()
    assert (budget.paid, budget.refunded) == (Money("1050.00", "EUR"), Money("150.00", "EUR"))
    applicant.get(reverse("portal:dashboard")).says("Sprachcafé im Bürgerhaus", "Das Verfahren ist abgeschlossen.")
    assert application.events.count() == 11
