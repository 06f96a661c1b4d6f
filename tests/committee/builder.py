"""Committee programmes (Integrationslotsen, Integrationsprojekte) and recommended applications, via the services."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from djmoney.money import Money

from grants.models import Application, Attachment, AttachmentKind, CostLine, PlannedYearAmount
from grants.services import applications, review
from grants.services.applications import recalculate_amounts
from grants.services.committee import MemberData, meeting_create
from grants.services.review import AssessmentData
from programmes.choices import FinancingType
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    MunicipalityFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    role_user,
)


def eur(amount) -> Money:
    return Money(Decimal(str(amount)), "EUR")


def lotsen_programme(**kwargs):
    programme = ProgrammeFactory(**{
        "name": "Integrationslotsen", "code": "LOT", "financing_type": FinancingType.SHARE,
        "min_amount": eur("1000.00"), "max_amount": eur("25000.00"), "staff_approval_limit": eur("1500.00"),
        "committee_decides_all": True, "max_funding_share": Decimal("0.50"), "matching_funds_required": True,
        "cap_per_municipality_year": eur("25000.00"), "budget_part": "TH 5 Soziales",
        "product_group": "31.50 Integration", "product": "31.50.01 Integrationsförderung", **kwargs})
    ProgrammeBudgetFactory(programme=programme, amount=eur("200000.00"))
    return programme


def projects_programme(**kwargs):
    programme = ProgrammeFactory(**{
        "name": "Integrationsprojekte", "code": "PRJ", "min_amount": eur("1000.00"), "max_amount": eur("10000.00"),
        "staff_approval_limit": eur("1500.00"), "committee_decides_all": True, **kwargs})
    ProgrammeBudgetFactory(programme=programme, amount=eur("100000.00"))
    return programme


class People:
    def __init__(self):
        self.staff = role_user("Sachbearbeitung")
        self.clerk = role_user("Sachbearbeitung")
        self.head = role_user("Leitung")
        self.finance = role_user("Finanzen")


def application(programme, people: People, *, costs="20000.00", own="10000.00", municipality=None,
                years: dict | None = None, start: date | None = None, end: date | None = None,
                recommend: bool = True, recommended: str | None = None, title: str | None = None,
                submit: bool = True, conditions: str = "") -> Application:
    """Submitted and (with ``recommend``) recommended with an assessment, ready for a committee agenda."""
    municipality = municipality or MunicipalityFactory()
    # Default: within one calendar year (a period across the turn of the year needs its split per year).
    next_year = timezone.localdate().year + 1
    extra = {"planned_start": start or date(next_year, 2, 1), "planned_end": end or date(next_year, 6, 30)}
    app = ApplicationFactory(programme=programme, cofinancing_municipality=municipality, place=municipality,
                             own_funds=eur(own), **({"title": title} if title else {}), **extra)
    MembershipFactory(organisation=app.organisation, user=app.created_by)
    CostLine.objects.create(application=app, description="Personal- und Sachkosten der Lotsen", amount=eur(costs))
    for year, amount in (years or {}).items():
        PlannedYearAmount.objects.create(application=app, year=year, amount=eur(amount))
    recalculate_amounts(app)
    app.save()
    if programme.matching_funds_required:
        attachment = Attachment(application=app, kind=AttachmentKind.COFINANCING, original_name="beschluss.pdf",
                                content_type="application/pdf", size=9, uploaded_by=app.created_by)
        attachment.file.save("beschluss.pdf", ContentFile(b"%PDF-1.4 "), save=True)
    if not submit:
        return Application.objects.get(pk=app.pk)
    applications.application_submit(user=app.created_by, application_id=app.pk)
    review.application_start_review(user=people.staff, application_id=app.pk)
    if recommend:
        review.application_recommend(
            user=people.staff, application_id=app.pk, amount=eur(recommended) if recommended else None,
            assessment=AssessmentData(eligibility_checked=True, cofinancing_checked=True, conditions=conditions,
                                      justification="Bewährtes Lotsenprojekt, Kofinanzierung beschlossen."))
    return Application.objects.get(pk=app.pk)


def meeting(people: People, day: date, *, members=("Anna Rat", "Bert Rat", "Cem Rat")):
    return meeting_create(user=people.staff, committee="Sozialausschuss", day=day, paper_number="SOZ/2026/014",
                          members=[MemberData(name) for name in members])
