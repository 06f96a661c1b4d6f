"""Letters of a formula allocation: the calculation with the applicant's figures, the rejection, the amendment.

Hand-worked figures: a pot of 100,000.00 € among Aidlingen (10,000 inhabitants), the Verbund Gäu (Gärtringen
12,000 + Nufringen 8,000 = 20,000) and Ehningen (9,000); Klein (30,000) has only a 0.25 FTE post and drops out.
Eligible sum 39,000: exact shares 25,641.0256…, 51,282.0512…, 23,076.9230…; the floors leave one cent, which
goes to the largest remainder (Aidlingen): 25,641.03 €, 51,282.05 €, 23,076.92 €.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants import tasks
from grants.letters import render_amendment, render_letter
from grants.models import Application, Document, DocumentKind, GrantIncrease
from grants.services.allocations import allocation_fix, allocation_issue_decisions, allocation_plan
from grants.services.applications import application_decline
from grants.services.payouts import payout_batch_create, payout_batch_execute
from programmes.models import ProgrammeBudget
from tests.documents.helpers import pdf_text
from tests.formula.builder import Staff, applicant, formula_programme, municipality

pytestmark = pytest.mark.django_db


def _read(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


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
    return Staff()


@pytest.fixture
def decided(staff, django_capture_on_commit_callbacks):
    """The first run fixed and its decisions issued (letters generated after commit)."""
    programme = formula_programme(pot="100000.00")
    members = [municipality("Gärtringen", 12000, ags="08115016"), municipality("Nufringen", 8000, ags="08115036")]
    apps = {
        "aidlingen": applicant(programme, staff, name="Aidlingen", population=10000, ftes=("0.75", "0.25")),
        "verbund": applicant(programme, staff, name="Verbund Gäu", members=members, ftes=("1.00",)),
        "ehningen": applicant(programme, staff, name="Ehningen", population=9000),
        "klein": applicant(programme, staff, name="Klein", population=30000, ftes=("0.25",)),
    }
    run = _fix_and_issue(programme, staff, django_capture_on_commit_callbacks)
    return programme, run, {key: Application.objects.get(pk=a.pk) for key, a in apps.items()}


def _letter(application, kind=DocumentKind.APPROVAL) -> str:
    return pdf_text(_read(Document.objects.get(application=application, kind=kind, increase__isnull=True)))


def test_amounts_are_the_hand_worked_ones(decided):
    _programme, _run, apps = decided
    amounts = {key: app.approved_amount.amount if app.approved_amount else None for key, app in apps.items()}
    assert amounts == {"aidlingen": Decimal("25641.03"), "verbund": Decimal("51282.05"),
                       "ehningen": Decimal("23076.92"), "klein": None}
    assert sum(a for a in amounts.values() if a) == Decimal("100000.00")


def test_approval_letter_shows_the_formula_with_the_applicants_figures(decided):
    _programme, run, apps = decided
    text = _letter(apps["aidlingen"])

    assert "Berechnung der Zuwendung" in text
    assert "Finanzierungsplan" not in text  # a formula grant has no cost plan
    assert "100.000,00 €" in text  # the pot
    assert "31.12.2025" in text  # reference date of the population
    assert "Einwohnerzahl Aidlingen" in text
    assert "10.000" in text
    assert "39.000" in text  # the eligible applicants' population
    assert "25,64 %" in text  # 10,000 ÷ 39,000
    assert "25.641,03 €" in text
    assert "100.000,00 € × 10.000 ÷ 39.000" in text
    assert "mindestens 0,50 VZÄ; Ihre größte geförderte Stelle: 0,75 VZÄ" in text
    assert "Höchstbetrag je Antragsteller nicht vorgesehen" in text
    assert run.hash_prefix in text
    assert run.title in text
    # The funded posts with their size.
    assert "Integrationsmanager:in 1 0,75 VZÄ" in text
    assert "Integrationsmanager:in 2 0,25 VZÄ" in text
    assert "Rechtsbehelfsbelehrung" in text


def test_approval_letter_of_a_verbund_names_each_member_and_the_sum(decided):
    _programme, _run, apps = decided
    text = _letter(apps["verbund"])

    assert "Einwohnerzahl Gärtringen (AGS 08115016) 12.000" in text
    assert "Einwohnerzahl Nufringen (AGS 08115036) 8.000" in text
    assert "Einwohnerzahl Verbund Gäu (Summe der Mitgliedsgemeinden) 20.000" in text
    assert "51,28 %" in text
    assert "51.282,05 €" in text
    assert "1,00 VZÄ" in text


def test_rejection_letter_gives_the_runs_reason_and_no_amount(decided):
    _programme, run, apps = decided
    text = _letter(apps["klein"], DocumentKind.REJECTION)

    assert "wird abgelehnt" in text
    assert "Zuwendung von 0,00 €" not in text  # nothing was applied for as an amount
    assert "Stellenumfang unter dem Mindestumfang" in text
    assert "Klein (0,25 VZÄ)" in text  # the step's explanation
    assert "Ihre größte geförderte Stelle 0,25 VZÄ" in text
    assert "Mindeststellenumfang 0,50 VZÄ" in text
    assert run.hash_prefix in text
    assert "Rechtsbehelfsbelehrung" in text


@pytest.fixture
def increased(decided, staff, django_capture_on_commit_callbacks):
    """The Verbund's grant is paid, Ehningen declines; a follow-up run re-shares Ehningen's 23,076.92 €."""
    programme, first, apps = decided
    with django_capture_on_commit_callbacks(execute=True):
        batch = payout_batch_create(user=staff.finance, application_ids=[apps["verbund"].pk])
        payout_batch_execute(user=staff.finance, batch_id=batch.pk)
    application_decline(user=staff.clerk, application_id=apps["ehningen"].pk, reason="Stelle nicht besetzt")
    second = _fix_and_issue(programme, staff, django_capture_on_commit_callbacks)
    return first, second, {key: Application.objects.get(pk=a.pk) for key, a in apps.items()}


def test_follow_up_increases_by_the_hand_worked_amounts(increased):
    _first, second, apps = increased
    # 23,076.92 € by 10,000 : 20,000 → 7,692.31 € and 15,384.61 €.
    raised = {i.application_id: i for i in GrantIncrease.objects.filter(allocation_run=second)}
    assert raised[apps["aidlingen"].pk].amount.amount == Decimal("7692.31")
    assert raised[apps["verbund"].pk].amount.amount == Decimal("15384.61")
    assert raised[apps["aidlingen"].pk].paid_with_grant is True
    assert raised[apps["verbund"].pk].paid_with_grant is False


def test_amendment_letter_states_old_amount_increase_and_new_total(increased):
    first, second, apps = increased
    increase = GrantIncrease.objects.get(application=apps["aidlingen"], allocation_run=second)
    document = Document.objects.get(increase=increase)
    assert document.kind == DocumentKind.AMENDMENT
    assert document.application_id == apps["aidlingen"].pk
    text = pdf_text(_read(document))

    assert "Änderungsbescheid" in text
    decided_on = apps["aidlingen"].decided_at.astimezone().strftime("%d.%m.%Y")
    assert f"Zuwendungsbescheid vom {decided_on} (Aktenzeichen {apps['aidlingen'].file_number})" in text
    assert "Bisher bewilligte Zuwendung 25.641,03 €" in text
    assert "Erhöhung durch diesen Bescheid 7.692,31 €" in text
    assert "Neue Gesamtzuwendung 33.333,34 €" in text
    assert second.title in text
    assert second.hash_prefix in text
    assert first.title in text
    assert "23.076,92 €" in text  # the money re-shared
    assert "33,33 %" in text  # Aidlingen's share of it
    assert "zusammen mit der Zuwendung ausgezahlt" in text
    assert "gelten unverändert fort" in text
    assert "Rechtsbehelfsbelehrung" in text


def test_amendment_after_payout_is_paid_separately(increased):
    _first, second, apps = increased
    increase = GrantIncrease.objects.get(application=apps["verbund"], allocation_run=second)
    text = pdf_text(render_amendment(increase))
    assert "Bisher bewilligte Zuwendung 51.282,05 €" in text
    assert "Neue Gesamtzuwendung 66.666,66 €" in text
    assert "gesondert" in text
    assert "bereits ausgezahlt" in text


def test_amendment_is_stored_once(increased):
    _first, second, apps = increased
    increase = GrantIncrease.objects.get(application=apps["aidlingen"], allocation_run=second)
    stored = Document.objects.get(increase=increase)

    again = tasks.generate_amendment(increase.pk)
    assert again == stored.pk == tasks.generate_amendment(increase.pk)
    assert Document.objects.filter(increase=increase).count() == 1
    assert Document.objects.get(pk=again).sha256 == stored.sha256
    # The approval letter still states the first run's amount, not the raised total.
    assert tasks.generate_document(apps["aidlingen"].pk, DocumentKind.APPROVAL) == Document.objects.get(
        application=apps["aidlingen"], kind=DocumentKind.APPROVAL).pk
    assert "25.641,03 €" in pdf_text(render_letter(apps["aidlingen"], DocumentKind.APPROVAL))


def test_amendment_is_downloadable_in_portal_and_admin(increased, client, staff):
    _first, second, apps = increased
    application = apps["aidlingen"]
    document = Document.objects.get(increase__application=application, increase__allocation_run=second)
    data = _read(document)

    client.force_login(application.created_by)
    response = client.get(reverse("portal:document_download", args=(document.pk,)))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data

    client.force_login(staff.clerk)
    response = client.get(reverse("antraege:document", args=(document.pk,)))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert "nderungsbescheid" in response["Content-Disposition"]

    # Someone else's member sees nothing.
    client.force_login(apps["verbund"].created_by)
    assert client.get(reverse("portal:document_download", args=(document.pk,))).status_code == 404
