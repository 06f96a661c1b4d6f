from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from djmoney.money import Money

from grants.models import Application, CostLine
from programmes.choices import ActivityType, CostKind, FundingField

from .core import MunicipalityFactory
from .people import OrganisationFactory, UserFactory
from .programmes import ProgrammeFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft, ready to submit."""

    class Meta:
        model = Application

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Interkulturelles Sommerfest {n}")
    summary = "Ein Fest der Begegnung im Stadtteil."
    goals = "Nachbarschaft stärken"
    target_group = "Geflüchtete und Alteingesessene"
    expected_participants = 120
    activity_type = ActivityType.ENCOUNTER
    funding_field = FundingField.INTEGRATION
    planned_start = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    planned_end = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    place = factory.SubFactory(MunicipalityFactory)
    declaration_truthful = True
    declaration_not_started = True
    declaration_privacy = True
    declaration_conditions = True


class CostLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostLine

    application = factory.SubFactory(ApplicationFactory)
    description = "Honorare"
    amount = Money("1000.00", "EUR")
    # As the service does: personnel costs where a programme funds nothing else.
    kind = factory.LazyAttribute(
        lambda line: CostKind.PERSONNEL if line.application.programme.personnel_costs_only else CostKind.MATERIAL
    )


def make_application(*, amount: str = "1000.00", member=None, **kwargs) -> Application:
    """A complete draft with one cost line of ``amount`` and a member who may submit it."""
    from grants.services.applications import recalculate_amounts

    from .people import MembershipFactory

    application = ApplicationFactory(**kwargs)
    CostLineFactory(application=application, amount=Money(Decimal(amount), "EUR"))
    recalculate_amounts(application)
    application.save()
    MembershipFactory(organisation=application.organisation, user=member or application.created_by)
    return application


def project_ended(application_or_pk) -> None:
    """Let the project lie in the past (ended yesterday), as it does when the settlement is handed in.

    Tests walk an application from submission to settlement in one moment; a settlement is accepted only after
    the project's planned end, so the planned period is moved back, keeping its length.
    """
    pk = getattr(application_or_pk, "pk", application_or_pk)
    application = Application.objects.get(pk=pk)
    end = timezone.localdate() - timedelta(days=1)
    length = (application.planned_end - application.planned_start) if application.planned_start and \
        application.planned_end else timedelta(days=30)
    Application.objects.filter(pk=pk).update(planned_start=end - length, planned_end=end)
    if hasattr(application_or_pk, "planned_end"):
        application_or_pk.planned_start, application_or_pk.planned_end = end - length, end
