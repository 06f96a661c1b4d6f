"""Fixtures for the indicator tests: one user per staff role (applications walked by the services)."""

from types import SimpleNamespace

import pytest

from tests.factories import role_user


@pytest.fixture
def people(db):
    return SimpleNamespace(
        applicant=role_user("Antragsteller"),
        staff=role_user("Sachbearbeitung"),
        head=role_user("Leitung"),
        finance=role_user("Finanzen"),
    )
