import pytest

from tests.factories.cases import ProviderFactory, case_lead, case_worker


@pytest.fixture
def provider(db):
    return ProviderFactory(name="Diakonie Musterstadt")


@pytest.fixture
def worker(provider):
    return case_worker(provider, first_name="Lena", last_name="Vogt")


@pytest.fixture
def lead(provider):
    return case_lead(provider, first_name="Tom", last_name="Lorenz")
