"""Two approvals for the same co-financing municipality at the same moment, for real (PostgreSQL, one connection
per thread): the cap per municipality and calendar year holds, because both paths lock the municipality before
they sum its approvals (grants.services.approval, grants.locks order).

Run with DATABASE_URL=postgres://…; skipped on SQLite (no row locks).
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Application, ApplicationEvent
from grants.services import review
from integration_core.models import Municipality
from programmes.models import ProgrammeBudget
from tests.committee.builder import People, application, lotsen_programme
from tests.factories import MunicipalityFactory

from .test_concurrency import _errors, run_together

pytestmark = pytest.mark.usefixtures("require_postgres", "fake_letter")


@pytest.mark.postgres
def test_two_approvals_for_one_town_at_once_cannot_exceed_its_yearly_cap():
    people = People()
    # The head of unit approves any amount here: no committee between the two approvals.
    programme = lotsen_programme(committee_decides_all=False)
    town = MunicipalityFactory(name="Rheinfelden")
    apps = [application(programme, people, costs="30000.00", own="15000.00", municipality=town) for _ in range(2)]
    heads = [people.head, People().head]
    outcomes = run_together(
        *[lambda app=app, user=user: review.application_approve(user=user, application_id=app.pk)
          for app, user in zip(apps, heads, strict=True)],
        behind=Municipality.objects.filter(pk=town.pk), waiting=2,
    )
    errors = _errors(outcomes)
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ValidationError)
    assert "Für Rheinfelden sind" in str(errors[0])
    assert "bereits 15.000,00 € bewilligt; mit 15.000,00 € wären es 30.000,00 €" in str(errors[0])
    states = sorted(Application.objects.filter(pk__in=[a.pk for a in apps]).values_list("state", flat=True))
    assert states == ["approved", "recommended"]
    assert ApplicationEvent.objects.filter(action="approve").count() == 1
    assert ProgrammeBudget.objects.get(programme=programme).committed.amount == 15000


@pytest.mark.django_db
def test_a_cofinanced_approval_locks_application_municipality_budget():
    people = People()
    app = application(lotsen_programme(committee_decides_all=False), people)
    with CaptureQueriesContext(connection) as queries:
        review.application_approve(user=people.head, application_id=app.pk)
    locked = [re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in queries if "FOR UPDATE" in q["sql"]]
    assert locked == ["grants_application", "integration_core_municipality", "programmes_programmebudget"]
