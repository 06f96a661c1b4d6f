from datetime import date

import factory

from integration_core.models import District, Municipality


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("key",)

    name = "Landkreis Musterstadt"
    key = "08299"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    district = factory.SubFactory(DistrictFactory)
    # Always 8 digits (PostgreSQL enforces the length): 08299000 … 08299999, then 08300000 …
    ags = factory.Sequence(lambda n: f"08{299 + n // 1000:03d}{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    population = 12000
    population_reference_date = date(2025, 12, 31)
