import factory
from django.contrib.auth.models import Group

from portal.accounts.models import User
from portal.organisations.models import Membership, Organisation
from programmes.choices import ApplicantType

from .core import MunicipalityFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    password = factory.PostGenerationMethodCall("set_password", "demo-pass-123")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


def role_user(role: str, **kwargs) -> User:
    """A user in one of the role groups of ``portal.accounts.roles``."""
    from portal.accounts.roles import sync_roles

    if not Group.objects.filter(name=role).exists():
        sync_roles()
    user = UserFactory(is_staff=role != "Antragsteller", **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)  # fresh instance: no stale permission cache


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Begegnung & Vielfalt e. V. {n}")
    legal_form = "ev"
    applicant_type = ApplicantType.ASSOCIATION
    street = "Hauptstraße"
    house_number = "12a"
    postcode = "76133"
    town = "Musterstadt"
    contact_name = "Erika Muster"
    contact_email = factory.Sequence(lambda n: f"verein{n}@example.org")
    seat_municipality = factory.SubFactory(MunicipalityFactory)
    iban = "DE89370400440532013000"
    account_holder = factory.SelfAttribute("name")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
