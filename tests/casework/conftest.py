"""The people and cases of the case-work page tests.

A provider with a case worker, a colleague and their lead; a second provider with its own case
worker (the handover target); an applicant; cases of each counselling type. The cases with Part A
hold a consent to counselling (without it Part A and Part B take no entries: test_consent_gate.py).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from integration_core.models import CounsellingType
from tests.factories import role_user
from tests.factories.cases import CaseFactory, ProviderFactory, case_lead, case_worker


@pytest.fixture
def provider(db):
    return ProviderFactory(name="Diakonie Musterstadt")


@pytest.fixture
def other_provider(db):
    return ProviderFactory(name="Caritas Lindenau")


@pytest.fixture
def worker(provider):
    return case_worker(provider, first_name="Lena", last_name="Vogt")


@pytest.fixture
def colleague(provider):
    return case_worker(provider, first_name="Jonas", last_name="Brandt")


@pytest.fixture
def lead(provider):
    return case_lead(provider, first_name="Tom", last_name="Lorenz")


@pytest.fixture
def stranger(other_provider):
    """A case worker of another provider."""
    return case_worker(other_provider, first_name="Mira", last_name="Kaya")


@pytest.fixture
def applicant(db):
    return role_user("Antragsteller")


@pytest.fixture
def case(worker):
    """The worker's own case: simple counselling (frame + Part A)."""
    return CaseFactory(case_worker=worker, counselling_type=CounsellingType.SIMPLE, with_consent=True)


@pytest.fixture
def full_case(worker):
    return CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL, with_consent=True)


@pytest.fixture
def one_off_case(worker):
    return CaseFactory(case_worker=worker, counselling_type=CounsellingType.ONE_OFF, agreement_signed_on=None)


@pytest.fixture
def colleague_case(colleague):
    return CaseFactory(case_worker=colleague, with_consent=True)


def login(client, user):
    client.force_login(user)
    return client


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)
