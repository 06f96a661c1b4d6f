"""Factories for case plans (integration_core.cases) and the people who keep them."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from integration_core.models import (
    Case,
    Competences,
    Consent,
    ConsentPurpose,
    ConsentPurposeKind,
    CounsellingType,
    Gender,
    Goal,
    GoalArea,
    Provider,
    ProviderKind,
    ProviderMembership,
    ProviderRole,
    Referral,
)

from .core import MunicipalityFactory
from .people import UserFactory, role_user


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Caritasverband Musterstadt {n}")
    kind = ProviderKind.WELFARE


class ProviderMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderMembership

    provider = factory.SubFactory(ProviderFactory)
    user = factory.SubFactory(UserFactory)
    role = ProviderRole.CASE_WORKER


def case_worker(provider=None, **kwargs):
    """A user in the «Fallbearbeitung» group working as case worker for ``provider``."""
    from portal.accounts.roles import CASE_WORKER

    user = role_user(CASE_WORKER, **kwargs)
    ProviderMembershipFactory(provider=provider or ProviderFactory(), user=user, role=ProviderRole.CASE_WORKER)
    return user


def case_lead(provider, **kwargs):
    from portal.accounts.roles import CASE_LEAD

    user = role_user(CASE_LEAD, **kwargs)
    ProviderMembershipFactory(provider=provider, user=user, role=ProviderRole.LEAD)
    return user


class CaseFactory(factory.django.DjangoModelFactory):
    """A case of ``case_worker`` at the worker's (first) provider; simple counselling by default."""

    class Meta:
        model = Case
        skip_postgeneration_save = True  # the consent hook writes its own rows

    case_worker = factory.LazyFunction(case_worker)
    provider = factory.LazyAttribute(lambda o: o.case_worker.provider_memberships.first().provider)
    municipality = factory.SubFactory(MunicipalityFactory)
    first_name = "Amal"
    last_name = factory.Sequence(lambda n: f"Haddad{n}")
    birth_date = date(1990, 5, 17)
    birth_year = 1990
    gender = Gender.FEMALE
    country_of_origin = "SY"
    phone = "0151 23456789"
    email = factory.Sequence(lambda n: f"klientin{n}@example.org")
    address = "Lindenstraße 4, 76199 Lindenau"
    notes = "Termin immer dienstags"
    counselling_type = CounsellingType.SIMPLE
    first_contact_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=200))
    referral = Referral.AUTHORITY
    agreement_signed_on = factory.LazyAttribute(lambda o: o.first_contact_on)
    created_by = factory.SelfAttribute("case_worker")

    @factory.post_generation
    def with_consent(obj, create, extracted, **kwargs):
        """``CaseFactory(with_consent=True)``: a consent to counselling from the first contact on, which
        Part A and Part B entries need (integration_core.cases.consent.ensure_counselling_consent)."""
        if create and extracted:
            give_consent(obj, ConsentPurposeKind.COUNSELLING)


class CompetencesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competences

    case = factory.SubFactory(CaseFactory)
    household_size = 3
    first_language = "Arabisch"


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    case = factory.SubFactory(CaseFactory, counselling_type=CounsellingType.FULL)
    area = GoalArea.LANGUAGE
    goal = "Deutschkurs B1 abschließen"
    step_1 = "Anmeldung bei der VHS"
    agreed_on = factory.LazyAttribute(lambda o: o.case.first_contact_on)
    created_by = factory.SelfAttribute("case.case_worker")


def give_consent(case, *purposes, given_on=None, recipient_provider=None, recipient_name=""):
    """A consent on ``case`` with ``purposes`` (default: counselling and statistics)."""
    consent = Consent.objects.create(case=case, notice_version="2025-01", language="de",
                                     given_on=given_on or case.first_contact_on, collected_by=case.case_worker)
    for purpose in purposes or (ConsentPurposeKind.COUNSELLING, ConsentPurposeKind.STATISTICS):
        ConsentPurpose.objects.create(consent=consent, purpose=purpose, recipient_provider=recipient_provider,
                                      recipient_name=recipient_name)
    return consent
