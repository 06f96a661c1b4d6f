from datetime import date

import factory
from django.utils import timezone
from djmoney.money import Money

from programmes.choices import ActivityType, ApplicantType, FundingField
from programmes.models import Programme, ProgrammeBudget


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    name = "Integrationsimpulse"
    code = "IMP"
    file_number_prefix = "II"
    description = "Mikroförderung für Integrationsarbeit"
    min_amount = Money("200.00", "EUR")
    max_amount = Money("3000.00", "EUR")
    eligible_applicant_types = factory.LazyFunction(lambda: list(ApplicantType.values))
    activity_types = factory.LazyFunction(lambda: list(ActivityType.values))
    funding_fields = factory.LazyFunction(lambda: list(FundingField.values))
    staff_approval_limit = Money("1500.00", "EUR")
    opens_on = date(2020, 1, 1)
    closes_on = date(2099, 12, 31)
    settlement_deadline_months = 3


class ProgrammeBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeBudget
        django_get_or_create = ("programme", "year")

    programme = factory.SubFactory(ProgrammeFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    amount = Money("100000.00", "EUR")
