"""Shared builders for formula allocation tests: a Soforthilfe-style programme with checked applications.

Everything goes through the services (submit, start review, confirm eligibility), so the applications are in
the state a real run finds them in (RECOMMENDED = eligibility checked). Reusable by any test:

    world = soforthilfe_world()          # programme, pot, 3 municipalities + 1 Verbund, all checked
    run = fix_run(world)                 # the first run, fixed by world.staff.clerk
    issue(world, run)                    # decisions issued by world.staff.head
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from djmoney.money import Money

from grants.models import Application, FundedPost
from grants.services import applications, review
from grants.services.allocations import (
    allocation_fix,
    allocation_issue_decisions,
    allocation_plan,
    application_confirm_eligibility,
)
from programmes.choices import AllocationMethod, ApplicantType, RemainderUse
from programmes.models import AllocationRun, Programme
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    role_user,
)

REFERENCE = date(2025, 12, 31)


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


class Staff:
    """One user per role: clerk (Sachbearbeitung) checks and runs, head (Leitung) decides above the limit."""

    def __init__(self):
        self.clerk = role_user("Sachbearbeitung", first_name="Erika", last_name="Sachbearbeiterin")
        self.head = role_user("Leitung", first_name="Lea", last_name="Leitung")
        self.finance = role_user("Finanzen")
        self.committee = role_user("Ausschuss")
        self.applicant = role_user("Antragsteller")


def formula_programme(*, pot: str = "100000.00", year: int | None = None, **overrides) -> Programme:
    """A formula programme (min. 0.5 FTE, re-share) with a pot for ``year`` (default: this year)."""
    settings = {
        "name": "Soforthilfe", "code": "SOF", "allocation_method": AllocationMethod.FORMULA,
        "population_reference_date": REFERENCE, "min_post_fte": Decimal("0.50"),
        "min_amount": eur("0.00"), "max_amount": eur("1000000.00"), "staff_approval_limit": eur("1500.00"),
        "eligible_applicant_types": [ApplicantType.MUNICIPALITY, ApplicantType.MUNICIPAL_ASSOCIATION],
        "remainder_use": RemainderUse.RESHARE, **overrides,
    }
    programme = ProgrammeFactory(**settings)
    ProgrammeBudgetFactory(programme=programme, year=year or timezone.localdate().year, amount=eur(pot))
    return programme


def municipality(name: str, population: int, **kwargs):
    return MunicipalityFactory(name=name, population=population, population_reference_date=REFERENCE, **kwargs)


def apply(programme: Programme, staff: Staff, *, name: str, population: int = 0, ftes=("0.50",), members=None,
          check: bool = True) -> Application:
    """A municipality (or, with ``members``, a Verbund) applies; submitted, in review and — with ``check`` —
    its eligibility confirmed (state RECOMMENDED)."""
    if members:
        organisation = OrganisationFactory(name=name, applicant_type=ApplicantType.MUNICIPAL_ASSOCIATION,
                                           seat_municipality=members[0])
        organisation.member_municipalities.set(members)
    else:
        organisation = OrganisationFactory(name=name, applicant_type=ApplicantType.MUNICIPALITY,
                                           seat_municipality=municipality(name, population))
    application = ApplicationFactory(
        programme=programme, organisation=organisation, title=f"Integrationsmanagement {name}",
        contact_name="Pat Muster", contact_email="integration@example.org", activity_type="", funding_field="",
        place=None, expected_participants=None,
    )
    member = application.created_by
    MembershipFactory(organisation=organisation, user=member)
    FundedPost.objects.bulk_create(
        FundedPost(application=application, position=i, title=f"Integrationsmanager:in {i + 1}", fte=Decimal(fte))
        for i, fte in enumerate(ftes)
    )
    applications.application_submit(user=member, application_id=application.pk)
    review.application_start_review(user=staff.clerk, application_id=application.pk)
    if check:
        application_confirm_eligibility(user=staff.clerk, application_id=application.pk)
    return Application.objects.get(pk=application.pk)


@dataclass
class World:
    programme: Programme
    staff: Staff
    year: int
    applications: dict[str, Application] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Application:
        return self.applications[name]

    def refresh(self) -> None:
        for name, application in self.applications.items():
            self.applications[name] = Application.objects.get(pk=application.pk)


def soforthilfe_world(*, pot: str = "100000.00", staff: Staff | None = None, **programme_kwargs) -> World:
    """Three municipalities and a Verbund of two, all checked; Bestadt's posts (0.30 + 0.40) miss 0.5 FTE.

    Populations: Adorf 10,000; Bestadt 20,000 (ineligible); Cedorf 30,000; GVV Nord-Süd 5,000 + 5,000.
    With the default pot of 100,000 € and re-sharing: Adorf 20,000, Cedorf 60,000, GVV 20,000, Bestadt 0.
    """
    staff = staff or Staff()
    programme = formula_programme(pot=pot, **programme_kwargs)
    year = programme.budgets.get().year
    world = World(programme=programme, staff=staff, year=year)
    world.applications["Adorf"] = apply(programme, staff, name="Adorf", population=10000)
    world.applications["Bestadt"] = apply(programme, staff, name="Bestadt", population=20000, ftes=("0.30", "0.40"))
    world.applications["Cedorf"] = apply(programme, staff, name="Cedorf", population=30000, ftes=("1.00",))
    members = [municipality("Nordhausen", 5000), municipality("Südheim", 5000)]
    world.applications["GVV Nord-Süd"] = apply(programme, staff, name="GVV Nord-Süd", members=members)
    return world


def fix_run(world: World, *, user=None, total: Decimal | None = None, title: str = "") -> AllocationRun:
    """Preview and fix the next run of the world's year (first run, or a follow-up sharing ``total``)."""
    user = user or world.staff.clerk
    plan = allocation_plan(user=user, programme_id=world.programme.pk, year=world.year, total=total)
    return allocation_fix(user=user, programme_id=world.programme.pk, year=world.year,
                          expected_hash=plan.preview.input_hash, title=title, total=total)


def issue(world: World, run: AllocationRun, *, user=None):
    issued = allocation_issue_decisions(user=user or world.staff.head, run_id=run.pk)
    world.refresh()
    return issued
