"""How long the municipality dashboard takes to render with 50,000 case plans and 10,000 grants.

Run: ``.venv/bin/python -m bench.bench_dashboard [runs]``. Builds a throwaway test database (in-memory SQLite by
default; PostgreSQL when DATABASE_URL points at it — Django creates and drops ``test_bench_dashboard``), migrates
it (with the monitoring's indexes), fills it with ``bulk_create`` and runs ANALYZE, then requests the real page
as a logged-in statistics user through the test client — middleware, view, figures, template, SVG charts, the
whole HTML — and prints the median (and min/max) wall-clock time over the runs, the CPU time of this process and
the number of queries; below it the figures alone (``build_dashboard`` + ``sections``). The issue asks for under
300 ms. A figure to read, not a test: nothing here asserts a time.
"""

import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

CASES = 50_000
GRANTS = 10_000
TOWNS = 30
YEAR = 2025
ZONE = ZoneInfo("Europe/Berlin")


def _moment(rnd: random.Random, year: int) -> datetime:
    return datetime(year, 1, 1, 9, tzinfo=ZONE) + timedelta(days=rnd.randrange(365), minutes=rnd.randrange(600))


def generate(seed: int = 2025):
    from grants.models import Application, PayoutBatch, PayoutItem, Refund, Settlement
    from grants.states import State
    from integration_core.models import (
        Achievement,
        Case,
        Child,
        ChildCare,
        Competences,
        Consent,
        ConsentPurpose,
        ConsentPurposeKind,
        CounsellingType,
        District,
        GermanLevel,
        Goal,
        GoalArea,
        Housing,
        LabourStatus,
        Municipality,
        Provider,
        ProviderKind,
        Referral,
    )
    from portal.accounts.models import User
    from portal.organisations.models import Organisation
    from tests.factories import ProgrammeFactory

    rnd = random.Random(seed)
    district = District.objects.create(name="Landkreis Bench", key="08999")
    towns = Municipality.objects.bulk_create(
        Municipality(district=district, ags=f"08999{i:03d}", name=f"Gemeinde {i:02d}",
                     population=int(rnd.lognormvariate(9, 0.8)) + 500, population_reference_date=date(2024, 12, 31))
        for i in range(TOWNS))
    worker = User.objects.create(email="bench@example.org")
    providers = Provider.objects.bulk_create(Provider(name=f"Träger {i}", kind=ProviderKind.WELFARE) for i in range(10))
    types = [CounsellingType.ONE_OFF, CounsellingType.SIMPLE, CounsellingType.FULL]
    cases = []
    for index in range(CASES):
        first = date(2021, 1, 1) + timedelta(days=rnd.randrange(5 * 365))
        ended = first + timedelta(days=rnd.randrange(60, 1200)) if rnd.random() < 0.4 else None
        cases.append(Case(
            provider=rnd.choice(providers), case_worker=worker, municipality=rnd.choice(towns),
            gender=rnd.choice("wmd "), birth_year=rnd.randrange(1950, 2010) if rnd.random() < 0.9 else None,
            country_of_origin=rnd.choice(["SY", "AF", "UA", "IQ", "TR", "ER", "NG", "FR", ""]),
            counselling_type=rnd.choices(types, weights=[2, 5, 3])[0], first_contact_on=first,
            referral=Referral.AUTHORITY, ended_on=ended, end_reason="other" if ended else "", created_by=worker,
        ))
        if index % 5000 == 4999:
            Case.objects.bulk_create(cases, batch_size=2000)
            cases = []
    # Statistics consent for most cases (content figures count only those).
    consents = Consent.objects.bulk_create(
        (Consent(case_id=pk, notice_version="2025", language="de", given_on=first, collected_by=worker)
         for pk, first in Case.objects.values_list("pk", "first_contact_on") if rnd.random() < 0.85), batch_size=2000)
    ConsentPurpose.objects.bulk_create((ConsentPurpose(consent=c, purpose=ConsentPurposeKind.STATISTICS)
                                        for c in consents), batch_size=2000)
    cases = list(Case.objects.exclude(counselling_type=CounsellingType.ONE_OFF).values_list("pk", "counselling_type",
                                                                                              "first_contact_on"))
    Competences.objects.bulk_create((
        Competences(case_id=pk, german_level=rnd.choice([None, *GermanLevel.values]),
                    labour_status=rnd.choice(LabourStatus.values), housing=rnd.choice(Housing.values))
        for pk, _kind, _first in cases), batch_size=2000)
    # Children in four of ten households with Part A, one to three each.
    Child.objects.bulk_create((
        Child(competences_id=competences_id, birth_year=rnd.randrange(2008, 2025), care=rnd.choice(ChildCare.values))
        for competences_id in Competences.objects.values_list("pk", flat=True) if rnd.random() < 0.4
        for _child in range(rnd.randrange(1, 4))), batch_size=2000)
    goals = []
    for pk, kind, first in cases:
        for _goal in range(rnd.randrange(1, 4) if kind == CounsellingType.FULL else 0):
            agreed = first + timedelta(days=rnd.randrange(300))
            achieved = rnd.choice(Achievement.values)
            goals.append(Goal(case_id=pk, area=rnd.choice(GoalArea.values), goal="Ziel", agreed_on=agreed,
                              achieved=achieved, achieved_changed_on=agreed + timedelta(days=90), created_by=worker))
    Goal.objects.bulk_create(goals, batch_size=2000)

    programmes = [ProgrammeFactory(code=code, name=name) for code, name in
                  (("IMP", "Integrationsimpulse"), ("LOT", "Integrationslotsen"), ("PRJ", "Integrationsprojekte"))]
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Verein {i}", legal_form="ev", applicant_type="association", street="Weg",
                     house_number="1", postcode="76133", town="Ort", contact_name="X", contact_email="x@example.org",
                     seat_municipality=rnd.choice(towns), iban="DE89370400440532013000", account_holder="Verein")
        for i in range(300))
    decided = [State.APPROVED, State.PAID, State.SETTLEMENT_SUBMITTED, State.CLOSED, State.REJECTED, State.IN_REVIEW]
    applications = []
    for _index in range(GRANTS):
        state = rnd.choice(decided)
        amount = Decimal(rnd.randrange(200, 3000))
        applications.append(Application(
            programme=rnd.choice(programmes), organisation=rnd.choice(organisations), created_by=worker,
            title="Projekt", state=state, place=rnd.choice([None, *towns]), requested_amount=amount,
            approved_amount=amount if state not in (State.REJECTED, State.IN_REVIEW) else None,
            decided_at=_moment(rnd, rnd.choice([2023, 2024, 2025])) if state != State.IN_REVIEW else None,
        ))
    applications = Application.objects.bulk_create(applications, batch_size=2000)
    batches = PayoutBatch.objects.bulk_create(
        PayoutBatch(number=f"B{i}", status=PayoutBatch.Status.EXECUTED, execution_date=date(2025, 1, 1),
                    created_by=worker, executed_at=_moment(rnd, rnd.choice([2023, 2024, 2025]))) for i in range(60))
    paid = [a for a in applications if a.state in (State.PAID, State.SETTLEMENT_SUBMITTED, State.CLOSED)]
    PayoutItem.objects.bulk_create((PayoutItem(batch=rnd.choice(batches), application=a, amount=a.approved_amount,
                                               end_to_end_id=f"E{a.pk}", remittance_info="x") for a in paid),
                                   batch_size=2000)
    closed = [a for a in applications if a.state == State.CLOSED]
    Settlement.objects.bulk_create((Settlement(application=a, report="x", participants_reached=10,
                                               checked_at=_moment(rnd, 2025)) for a in closed), batch_size=2000)
    Refund.objects.bulk_create((Refund(application=a, reason=Refund.Reason.UNSPENT, amount=Decimal("50.00"),
                                       due_on=date(2025, 6, 1), claimed_by=worker) for a in closed[::4]),
                               batch_size=2000)
    return towns[0]


def _timed(runs: int, call) -> tuple[list[float], list[float], list]:
    """Wall-clock and CPU seconds per run, and the queries of the last run."""
    timings, cpu = [], []
    for _run in range(runs):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            call()
        timings.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
    return timings, cpu, queries.captured_queries


def _line(label: str, timings: list[float], cpu: list[float], queries: list, runs: int) -> str:
    return (f"{label:<34} median {statistics.median(timings) * 1000:7.1f} ms   min {min(timings) * 1000:7.1f} ms   "
            f"max {max(timings) * 1000:7.1f} ms   CPU median {statistics.median(cpu) * 1000:6.1f} ms   "
            f"{len(queries)} queries   ({runs} runs)")


def main(runs: int = 20) -> None:
    from django.test import Client
    from django.urls import reverse

    from integration_core.indicators.dashboard import build_dashboard
    from integration_core.indicators.periods import Period
    from integration_core.indicators.presentation import sections
    from portal.accounts.roles import STATISTICS
    from tests.factories import role_user

    setup_test_environment()
    # An own name, so a test run on the same PostgreSQL server (test_<name>) is never touched.
    if connection.vendor == "postgresql":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "test_bench_dashboard"
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        started = time.perf_counter()
        town = generate()
        with connection.cursor() as cursor:
            # Planner statistics (and on PostgreSQL the visibility map for index-only scans), as a production
            # database has them from its autovacuum.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"dashboard, {CASES:,} cases, {GRANTS:,} grants, {TOWNS} towns, {connection.vendor}, "
              f"Python {sys.version.split()[0]} (data generated in {time.perf_counter() - started:.1f} s)")
        client = Client()
        client.force_login(role_user(STATISTICS))
        url = reverse("monitoring:dashboard")
        for period in (Period.year(YEAR), Period.half_year(YEAR, 2)):
            params = {"kommune": town.pk, "zeitraum": period.key}

            def page(params=params):
                response = client.get(url, params)
                if response.status_code != 200 or b'role="img"' not in response.content:
                    raise RuntimeError(f"dashboard answered {response.status_code} without charts")

            page()  # first request: templates compiled, content types and site cached
            print(_line(f"{period.label}: page (HTML, SVG)", *_timed(runs, page), runs))
            timings, cpu, queries = _timed(
                runs, lambda period=period: sections(build_dashboard(town, period, today=date(2026, 1, 15))))
            print(_line(f"{period.label}: figures only", timings, cpu, queries, runs))
            for query in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
                print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:110]}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
