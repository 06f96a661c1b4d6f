"""A formula programme (Soforthilfe style) with checked applications, built through the services."""

from datetime import date
from decimal import Decimal

from djmoney.money import Money

from grants.models import Application, FundedPost
from grants.services import applications, review
from grants.services.allocations import allocation_fix, allocation_plan, application_confirm_eligibility
from programmes.choices import AllocationMethod, ApplicantType, RemainderUse
from programmes.models import ProgrammeBudget
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


def formula_programme(*, pot: str = "100000.00", year: int | None = None, **kwargs):
    settings = {
        "name": "Soforthilfe", "code": "SOF", "allocation_method": AllocationMethod.FORMULA,
        "population_reference_date": REFERENCE, "min_post_fte": Decimal("0.50"),
        "min_amount": eur("0.00"), "max_amount": eur("1000000.00"), "staff_approval_limit": eur("1500.00"),
        "eligible_applicant_types": [ApplicantType.MUNICIPALITY, ApplicantType.MUNICIPAL_ASSOCIATION],
        "remainder_use": RemainderUse.RESHARE, **kwargs,
    }
    programme = ProgrammeFactory(**settings)
    budget_kwargs = {"year": year} if year else {}
    ProgrammeBudgetFactory(programme=programme, amount=eur(pot), **budget_kwargs)
    return programme


class Staff:
    """The people who move formula applications along: one checks, another (head) decides."""

    def __init__(self):
        self.checker = role_user("Sachbearbeitung")
        self.clerk = role_user("Sachbearbeitung")
        self.head = role_user("Leitung")
        self.finance = role_user("Finanzen")


def municipality(name: str, population: int, **kwargs):
    return MunicipalityFactory(name=name, population=population, population_reference_date=REFERENCE, **kwargs)


def applicant(programme, staff: Staff, *, name: str, population: int = 0, ftes=("0.50",), members=None,
              check: bool = True) -> Application:
    """A municipality (or, with ``members``, a Verbund) that applies, submitted and — with ``check`` — checked."""
    if members:
        seat = members[0]
        organisation = OrganisationFactory(name=name, applicant_type=ApplicantType.MUNICIPAL_ASSOCIATION,
                                           seat_municipality=seat)
        organisation.member_municipalities.set(members)
    else:
        seat = municipality(name, population)
        organisation = OrganisationFactory(name=name, applicant_type=ApplicantType.MUNICIPALITY,
                                           seat_municipality=seat)
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
    review.application_start_review(user=staff.checker, application_id=application.pk)
    if check:
        application_confirm_eligibility(user=staff.checker, application_id=application.pk)
    return Application.objects.get(pk=application.pk)


def budget_year() -> int:
    """The year of the one budget the formula tests set up."""
    return ProgrammeBudget.objects.get().year


def fix_run(programme, staff: Staff, total=None):
    """Preview and fix a run for the budget year, as a clerk clicks it."""
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=budget_year(), total=total)
    return allocation_fix(user=staff.clerk, programme_id=programme.pk, year=budget_year(),
                          expected_hash=plan.preview.input_hash, total=total)
