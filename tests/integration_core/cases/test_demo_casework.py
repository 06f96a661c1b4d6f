"""The demo case plans: a few hundred, all types, valid against the rules, created once, logins work."""

import pytest
from django.contrib.auth import authenticate
from django.db.models import Count

from integration_core.cases.access import cases_for_user
from integration_core.cases.duration import duration_warning, permitted_end
from integration_core.models import Case, CaseReadLog, CounsellingType, Goal, ProviderRole
from portal.demo.build import build_district
from portal.demo.casework import CASE_COUNT, build_casework

pytestmark = pytest.mark.django_db


def test_demo_casework():
    municipalities = build_district()
    result = build_casework(municipalities)
    assert result["cases"] == CASE_COUNT >= 300
    by_type = dict(Case.objects.values_list("counselling_type").annotate(n=Count("pk")))
    assert set(by_type) == set(CounsellingType.values)
    assert Case.objects.values("municipality").distinct().count() > 10
    assert Goal.objects.count() > 100
    # Consistent with the rules: a case ends within its permitted duration.
    for case in Case.objects.filter(ended_on__isnull=False):
        assert case.first_contact_on <= case.ended_on <= permitted_end(case)
    for email in ("fall", "fallleitung", "datenschutz", "statistik"):
        assert authenticate(username=f"{email}@demo.example", password="demo") is not None
    fall = authenticate(username="fall@demo.example", password="demo")
    own = cases_for_user(user=fall)
    assert own.count() >= CASE_COUNT // 6
    assert any(duration_warning(case) for case in own)
    lead = authenticate(username="fallleitung@demo.example", password="demo")
    assert lead.provider_memberships.get().role == ProviderRole.LEAD
    assert cases_for_user(user=lead).count() > own.count()
    assert CaseReadLog.objects.exists()
    # Idempotent.
    assert build_casework(municipalities) == {"cases": 0}
    assert Case.objects.count() == CASE_COUNT
