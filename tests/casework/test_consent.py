"""Consent is recorded as a record (version, language, date, purposes) and withdrawn per purpose;
a handover to another provider is refused without a valid consent naming it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from integration_core.models import Case, CaseHandover, Consent, ConsentPurpose, ConsentPurposeKind
from tests.factories.cases import CaseFactory, give_consent

from .conftest import days_ago, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(worker):
    """A case without any consent yet (recording one is what these tests do)."""
    return CaseFactory(case_worker=worker)


def test_record_consent_with_purposes(client, worker, case, other_provider):
    url = reverse("casework:consent_create", args=[case.pk])
    response = login(client, worker).post(url, {
        "notice_version": "IntMan 2024-01", "language": "ar", "given_on": days_ago(10).isoformat(),
        "purposes": ["counselling", "statistics"], "handover_providers": [str(other_provider.pk)],
        "data_exchange": "Jobcenter Musterstadt\n\n",
    })
    assert response.status_code == 302
    assert response["Location"].endswith("#einwilligung")
    consent = Consent.objects.get(case=case)
    assert (consent.notice_version, consent.language, consent.given_on, consent.collected_by) == (
        "IntMan 2024-01", "ar", days_ago(10), worker)
    purposes = {(p.purpose, p.recipient_provider_id, p.recipient_name) for p in consent.purposes.all()}
    assert purposes == {
        ("counselling", None, ""), ("statistics", None, ""), ("handover", other_provider.pk, ""),
        ("data_exchange", None, "Jobcenter Musterstadt"),
    }
    html = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "Fassung IntMan 2024-01, Sprache ar" in html
    assert "gültig" in html


def test_consent_form_offers_other_providers_for_handover(client, worker, case, other_provider):
    html = login(client, worker).get(reverse("casework:consent_create", args=[case.pk])).content.decode()
    assert other_provider.name in html
    assert case.provider.name not in html  # a handover within the provider needs no consent


def test_consent_without_purpose_is_refused_and_nothing_saved(client, worker, case):
    response = login(client, worker).post(reverse("casework:consent_create", args=[case.pk]), {
        "notice_version": "IntMan 2024-01", "language": "de", "given_on": days_ago(1).isoformat(),
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte wählen Sie mindestens einen Zweck der Einwilligung." in html
    assert 'href="#id_purposes"' in html
    assert not Consent.objects.exists()


def test_consent_with_bad_dates_gives_german_errors(client, worker, case):
    response = login(client, worker).post(reverse("casework:consent_create", args=[case.pk]), {
        "notice_version": "", "language": "de", "given_on": "kein Datum", "purposes": ["counselling"],
    })
    html = response.content.decode()
    assert 'href="#id_notice_version"' in html
    assert 'href="#id_given_on"' in html
    assert not Consent.objects.exists()


def _handover(client, case, provider, user):
    return client.post(reverse("casework:handover", args=[case.pk]), {
        "uebergabe-target": f"{provider.pk}:{user.pk}", "uebergabe-note": "Umzug nach Lindenau"})


def test_handover_to_another_provider_refused_without_consent(client, worker, case, other_provider, stranger):
    give_consent(case)  # counselling and statistics only: no handover purpose
    response = _handover(login(client, worker), case, other_provider, stranger)
    html = response.content.decode()
    assert response.status_code == 200
    assert "liegt keine gültige Einwilligung vor" in html
    assert other_provider.name in html
    case.refresh_from_db()
    assert (case.provider_id, case.case_worker_id) != (other_provider.pk, stranger.pk)
    assert not CaseHandover.objects.exists()


def test_handover_with_consent_naming_the_provider(client, worker, case, other_provider, stranger):
    give_consent(case, ConsentPurposeKind.HANDOVER, recipient_provider=other_provider)
    response = _handover(login(client, worker), case, other_provider, stranger)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.provider, case.case_worker) == (other_provider, stranger)
    # The case has left the worker's scope: it is now 404 for them.
    assert client.get(reverse("casework:case_detail", args=[case.pk])).status_code == 404
    assert login(client, stranger).get(reverse("casework:case_detail", args=[case.pk])).status_code == 200


def test_handover_within_the_provider_needs_no_consent(client, worker, colleague, case, provider):
    response = _handover(login(client, worker), case, provider, colleague)
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).case_worker == colleague


def test_withdrawal_stops_the_handover_from_then_on(client, worker, case, other_provider, stranger):
    consent = give_consent(case, ConsentPurposeKind.HANDOVER, ConsentPurposeKind.STATISTICS,
                           recipient_provider=other_provider)
    handover_purpose = consent.purposes.get(purpose=ConsentPurposeKind.HANDOVER)
    login(client, worker)
    url = reverse("casework:consent_withdraw", args=[case.pk, consent.pk])
    response = client.post(url, {"withdrawn_on": timezone.localdate().isoformat(),
                                 "purpose_ids": [str(handover_purpose.pk)]})
    assert response.status_code == 302
    handover_purpose.refresh_from_db()
    assert handover_purpose.withdrawn_on == timezone.localdate()
    assert ConsentPurpose.objects.get(consent=consent, purpose=ConsentPurposeKind.STATISTICS).withdrawn_on is None
    html = _handover(client, case, other_provider, stranger).content.decode()
    assert "liegt keine gültige Einwilligung vor" in html


def test_withdrawal_in_the_future_is_refused(client, worker, case):
    consent = give_consent(case)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = login(client, worker).post(reverse("casework:consent_withdraw", args=[case.pk, consent.pk]),
                                          {"withdrawn_on": tomorrow.isoformat()})
    html = response.content.decode()
    assert "Das Datum des Widerrufs darf nicht in der Zukunft liegen." in html
    assert 'href="#id_withdrawn_on"' in html
    assert not ConsentPurpose.objects.filter(withdrawn_on__isnull=False).exists()


def test_another_cases_consent_is_not_found(client, worker, case, full_case):
    foreign = give_consent(full_case)
    url = reverse("casework:consent_withdraw", args=[case.pk, foreign.pk])
    assert login(client, worker).get(url).status_code == 404
