"""Consent as a record: handover gated by a valid consent naming the receiver; withdrawal stops the use."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from integration_core.cases.consent import cases_usable_for_statistics, consent_record, consent_withdraw
from integration_core.cases.services import case_handover
from integration_core.models import Case, CaseHandover, Consent, ConsentPurposeKind
from tests.factories.cases import CaseFactory, ProviderFactory, case_worker, give_consent

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def other_provider(db):
    return ProviderFactory(name="Landratsamt Musterstadt", kind="district")


@pytest.fixture
def receiver(other_provider):
    return case_worker(other_provider)


def test_consent_record_keeps_notice_language_date_collector_and_purposes(worker, other_provider):
    case = CaseFactory(case_worker=worker)
    consent = consent_record(
        user=worker, case_id=case.pk, notice_version="DSI 2025-03", language="ar", given_on=TODAY(),
        purposes=[{"purpose": ConsentPurposeKind.COUNSELLING},
                  {"purpose": ConsentPurposeKind.HANDOVER, "recipient_provider_id": other_provider.pk},
                  {"purpose": ConsentPurposeKind.DATA_EXCHANGE, "recipient_name": "Jobcenter Musterstadt"}],
    )
    assert (consent.notice_version, consent.language, consent.given_on, consent.collected_by) == (
        "DSI 2025-03", "ar", TODAY(), worker)
    assert sorted(consent.purposes.values_list("purpose", flat=True)) == [
        "counselling", "data_exchange", "handover"]


def test_consent_record_validates_in_german_and_saves_nothing(worker):
    case = CaseFactory(case_worker=worker)
    with pytest.raises(ValidationError) as exc:
        consent_record(user=worker, case_id=case.pk, notice_version="", language="de",
                       given_on=TODAY() + timedelta(days=1), purposes=[{"purpose": "counselling"}])
    assert exc.value.message_dict == {
        "notice_version": ["Bitte geben Sie die Fassung der Datenschutzinformation an."],
        "given_on": ["Das Datum der Einwilligung darf nicht in der Zukunft liegen."],
    }
    with pytest.raises(ValidationError, match="empfangende Stelle zu benennen"):
        consent_record(user=worker, case_id=case.pk, notice_version="1", language="de", given_on=TODAY(),
                       purposes=[{"purpose": ConsentPurposeKind.HANDOVER}])
    with pytest.raises(ValidationError, match="mindestens einen Zweck"):
        consent_record(user=worker, case_id=case.pk, notice_version="1", language="de", given_on=TODAY(),
                       purposes=[])
    assert not Consent.objects.exists()


def test_handover_within_the_provider_needs_no_consent(worker, provider):
    colleague = case_worker(provider)
    case = CaseFactory(case_worker=worker)
    handover = case_handover(user=worker, case_id=case.pk, to_case_worker_id=colleague.pk)
    case.refresh_from_db()
    assert case.case_worker == colleague
    assert handover.consent_purpose is None


def test_handover_to_another_provider_refused_without_consent(worker, receiver, other_provider):
    case = CaseFactory(case_worker=worker)
    give_consent(case)  # counselling + statistics, no handover
    with pytest.raises(ValidationError, match="keine gültige Einwilligung"):
        case_handover(user=worker, case_id=case.pk, to_case_worker_id=receiver.pk, to_provider_id=other_provider.pk)
    # A handover consent naming a different provider does not count either.
    give_consent(case, ConsentPurposeKind.HANDOVER, recipient_provider=ProviderFactory())
    with pytest.raises(ValidationError, match="keine gültige Einwilligung"):
        case_handover(user=worker, case_id=case.pk, to_case_worker_id=receiver.pk, to_provider_id=other_provider.pk)
    case.refresh_from_db()
    assert case.case_worker == worker
    assert not CaseHandover.objects.exists()


def test_handover_to_another_provider_with_consent(worker, receiver, other_provider):
    case = CaseFactory(case_worker=worker)
    consent = give_consent(case, ConsentPurposeKind.HANDOVER, recipient_provider=other_provider)
    handover = case_handover(user=worker, case_id=case.pk, to_case_worker_id=receiver.pk,
                             to_provider_id=other_provider.pk, note="Umzug")
    case.refresh_from_db()
    assert (case.provider, case.case_worker) == (other_provider, receiver)
    assert handover.consent_purpose == consent.purposes.get()
    assert (handover.from_case_worker, handover.from_provider) == (worker, consent.case.handovers.get().from_provider)


def test_withdrawn_handover_consent_stops_the_handover(worker, receiver, other_provider):
    case = CaseFactory(case_worker=worker)
    consent = give_consent(case, ConsentPurposeKind.HANDOVER, recipient_provider=other_provider)
    consent_withdraw(user=worker, consent_id=consent.pk, withdrawn_on=TODAY())
    with pytest.raises(ValidationError, match="keine gültige Einwilligung"):
        case_handover(user=worker, case_id=case.pk, to_case_worker_id=receiver.pk, to_provider_id=other_provider.pk)


def test_receiver_must_work_for_the_target_provider(worker, other_provider, provider):
    colleague = case_worker(provider)
    case = CaseFactory(case_worker=worker)
    give_consent(case, ConsentPurposeKind.HANDOVER, recipient_provider=other_provider)
    with pytest.raises(ValidationError, match="arbeitet nicht für den gewählten Träger"):
        case_handover(user=worker, case_id=case.pk, to_case_worker_id=colleague.pk, to_provider_id=other_provider.pk)


def test_withdrawal_of_statistics_excludes_the_case_from_then_on(worker):
    today = TODAY()
    kept = CaseFactory(case_worker=worker)
    withdrawn = CaseFactory(case_worker=worker)
    never = CaseFactory(case_worker=worker)
    give_consent(kept, given_on=today - timedelta(days=100))
    consent = give_consent(withdrawn, given_on=today - timedelta(days=100))
    give_consent(never, ConsentPurposeKind.COUNSELLING, given_on=today - timedelta(days=100))

    withdrawal = today - timedelta(days=10)
    consent_withdraw(user=worker, consent_id=consent.pk, withdrawn_on=withdrawal,
                     purpose_ids=list(consent.purposes.filter(purpose="statistics").values_list("pk", flat=True)))
    usable_today = set(cases_usable_for_statistics(today))
    assert usable_today == {kept}
    # Before the withdrawal day the case was usable; from that day on it is not.
    assert set(cases_usable_for_statistics(withdrawal - timedelta(days=1))) == {kept, withdrawn}
    assert set(cases_usable_for_statistics(withdrawal)) == {kept}
    # Before the consent was given nothing is usable; the helper narrows a given queryset.
    assert not cases_usable_for_statistics(today - timedelta(days=101)).exists()
    assert set(cases_usable_for_statistics(today, queryset=Case.objects.exclude(pk=kept.pk))) == set()
    # Only the statistics purpose was withdrawn: counselling stays valid.
    assert consent.purposes.get(purpose="counselling").withdrawn_on is None


def test_withdrawal_cannot_be_in_the_future_or_twice(worker):
    case = CaseFactory(case_worker=worker)
    consent = give_consent(case)
    with pytest.raises(ValidationError, match="nicht in der Zukunft"):
        consent_withdraw(user=worker, consent_id=consent.pk, withdrawn_on=TODAY() + timedelta(days=1))
    consent_withdraw(user=worker, consent_id=consent.pk, withdrawn_on=TODAY())
    with pytest.raises(ValidationError, match="bereits widerrufen"):
        consent_withdraw(user=worker, consent_id=consent.pk, withdrawn_on=TODAY())
