"""The demo case plans: a few hundred, all types, valid against the rules, created once, logins work."""

import pytest
from django.contrib.auth import authenticate
from django.db.models import Count, F

from integration_core.cases import parts
from integration_core.cases.access import cases_for_user
from integration_core.cases.duration import duration_warning, permitted_end
from integration_core.cases.services_parts import statuses_after_end
from integration_core.models import Case, CaseReadLog, CounsellingType, Goal, PlanStatus, ProviderRole, ReportingStatus
from portal.accounts.roles import STATISTICS_OFFICE
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
    # Ended "completed" only with the parts the type requires; after the end only a status that fits it.
    ended = Case.objects.filter(ended_on__isnull=False).prefetch_related(
        "competences", "goals", "consents__purposes", "reporting_statuses")
    for case in ended:
        parts.validate_plan_for_end(case, case.end_reason)
        after = [row.status for row in case.reporting_statuses.all() if row.reporting_date >= case.ended_on]
        assert set(after) <= set(statuses_after_end(case.end_reason)), case.pk
    assert ReportingStatus.objects.filter(status=PlanStatus.LEFT_COUNTRY,
                                          reporting_date__gte=F("case__ended_on")).exists()
    for email in ("fall", "fallleitung", "datenschutz", "statistik", "statistikstelle"):
        assert authenticate(username=f"{email}@demo.example", password="demo") is not None
    office = authenticate(username="statistikstelle@demo.example", password="demo")
    assert office.groups.get().name == STATISTICS_OFFICE
    assert office.has_perm("integration_core.export_case_statistics")
    assert not authenticate(username="statistik@demo.example", password="demo").has_perm(
        "integration_core.export_case_statistics")
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
