"""How long the approval list (Beschlussvorlage) of a frozen agenda with 500 items takes per format.

Run: ``.venv/bin/python -m bench.bench_approval_list [runs] [--out DIR]``. Builds a throwaway test database
(in-memory SQLite by default; PostgreSQL when DATABASE_URL points at it — Django creates and drops
``test_<name>``), puts 500 recommended applications over two programmes (Integrationslotsen,
Integrationsprojekte) on one meeting with a few declared conflicts, freezes it with the real service (which
writes the snapshots), then prints the median (and min/max) per format — PDF, XLSX, CSV, and the shared table
alone — with the number of queries and the file size. The issue asks for under 2 s per format. With
``--out DIR`` the files are written there to look at. A figure to read, not a test: nothing here asserts a time.
"""

import os
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ITEMS = 500
TOWNS = 35
DAY = date(2026, 11, 10)
WORDS = ("Sprachcafé", "Lotsendienst", "Elternbegleitung", "Nachbarschaftsfest", "Hausaufgabenhilfe",
         "Frauentreff", "Fahrradwerkstatt", "Bewerbungstraining", "Kulturbrücke", "Sportangebot")


def generate(seed: int = 2026):
    """The meeting with its frozen agenda; applications made with bulk_create, the freeze by the service."""
    from djmoney.money import Money

    from grants.models import AgendaItem, Application, Assessment, ConflictOfInterest
    from grants.services.committee import MemberData, agenda_freeze, meeting_create
    from grants.states import State
    from integration_core.models import District, Municipality
    from portal.organisations.models import Organisation
    from programmes.choices import FinancingType
    from tests.factories import ProgrammeBudgetFactory, ProgrammeFactory, role_user

    def eur(value) -> Money:
        return Money(Decimal(value), "EUR")

    rnd = random.Random(seed)
    staff = role_user("Sachbearbeitung")
    district = District.objects.create(name="Landkreis Bench", key="08999")
    towns = Municipality.objects.bulk_create(
        Municipality(district=district, ags=f"08999{i:03d}", name=f"Gemeinde {i:02d}", population=5000 + i,
                     population_reference_date=date(2025, 12, 31)) for i in range(TOWNS))
    lotsen = ProgrammeFactory(name="Integrationslotsen", code="LOT", financing_type=FinancingType.SHARE,
                              min_amount=eur("1000"), max_amount=eur("25000"), committee_decides_all=True,
                              budget_part="TH 5 Soziales", product_group="31.50 Integration",
                              product="31.50.01 Integrationsförderung")
    projects = ProgrammeFactory(name="Integrationsprojekte", code="PRJ", min_amount=eur("1000"),
                                max_amount=eur("10000"), committee_decides_all=True, budget_part="TH 5 Soziales",
                                product_group="31.50 Integration", product="31.50.02 Integrationsprojekte")
    for programme, amount in ((lotsen, "5000000"), (projects, "3000000")):
        ProgrammeBudgetFactory(programme=programme, year=DAY.year, amount=eur(amount))
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Begegnung & Vielfalt e. V. {i}", legal_form="ev", applicant_type="association",
                     street="Weg", house_number="1", postcode="76133", town="Ort", contact_name="X",
                     contact_email="x@example.org", seat_municipality=rnd.choice(towns),
                     iban="DE89370400440532013000", account_holder="Verein") for i in range(ITEMS))
    applications = []
    for index in range(ITEMS):
        is_lotsen = index % 3 == 0
        costs = Decimal(rnd.randrange(4000, 40000) if is_lotsen else rnd.randrange(1500, 11000))
        own = (costs / 2).quantize(Decimal("0.01")) if is_lotsen else Decimal(rnd.randrange(0, 500))
        requested = min(costs - own, Decimal("25000") if is_lotsen else Decimal("10000"))
        town = rnd.choice(towns)
        applications.append(Application(
            programme=lotsen if is_lotsen else projects, organisation=organisations[index], created_by=staff,
            file_number=f"{'LOT' if is_lotsen else 'PRJ'}-2026-{index:04d}", state=State.RECOMMENDED,
            title=f"{rnd.choice(WORDS)} für Familien in {town.name} – Projekt {index}", place=town,
            cofinancing_municipality=town if is_lotsen else None, total_costs=eur(costs), own_funds=eur(own),
            requested_amount=eur(requested), recommended_amount=eur(requested)))
    applications = Application.objects.bulk_create(applications)
    Assessment.objects.bulk_create(Assessment(
        application=a, eligibility_checked=True, cofinancing_checked=True, assessed_by=staff,
        justification="Förderfähig; Bedarf im Sozialraum belegt, Kofinanzierung durch Gemeinderatsbeschluss "
                      "gesichert, Träger mit Erfahrung.") for a in applications)
    meeting = meeting_create(user=staff, committee="Sozialausschuss", day=DAY, paper_number="SOZ/2026/014",
                             members=[MemberData(f"Mitglied {i}", group="Fraktion") for i in range(15)])
    items = AgendaItem.objects.bulk_create(AgendaItem(meeting=meeting, application=a, position=number)
                                           for number, a in enumerate(applications, start=1))
    members = list(meeting.members.all())
    ConflictOfInterest.objects.bulk_create(
        ConflictOfInterest(item=item, member=rnd.choice(members), reason="board", recorded_by=staff)
        for item in items[::25])
    return agenda_freeze(user=staff, meeting_id=meeting.pk)


def main(runs: int = 5, out: Path | None = None) -> None:
    from grants.committee_exports import FORMATS, approval_table
    from grants.committee_exports.filenames import approval_filename
    from grants.models import Meeting

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        started = time.perf_counter()
        meeting_id = generate().pk
        print(f"approval list, {ITEMS} items over 2 programmes, {connection.vendor}, Python "
              f"{sys.version.split()[0]} (data generated in {time.perf_counter() - started:.1f} s)")
        builders = [("table", approval_table), *((name, build) for name, (build, _type) in FORMATS.items())]
        for name, build in builders:
            timings, result = [], None
            for _run in range(runs):
                meeting = Meeting.objects.get(pk=meeting_id)
                begin = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    result = build(meeting)
                timings.append(time.perf_counter() - begin)
            size = f"{len(result) / 1024:8.0f} KiB" if isinstance(result, bytes) else " " * 12
            print(f"{name:<6} median {statistics.median(timings) * 1000:8.1f} ms   min {min(timings) * 1000:8.1f} ms"
                  f"   max {max(timings) * 1000:8.1f} ms   {len(queries.captured_queries)} queries {size}"
                  f"   ({runs} runs)")
            if out is not None and isinstance(result, bytes):
                out.mkdir(parents=True, exist_ok=True)
                (out / approval_filename(meeting, name)).write_bytes(result)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    target = None
    if "--out" in arguments:
        position = arguments.index("--out")
        target = Path(arguments[position + 1])
        del arguments[position:position + 2]
    main(int(arguments[0]) if arguments else 5, target)
