import time

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

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Staff and superusers get an authenticator app as in production (``second_factor=False``: none)."""
        wanted = (self.is_staff or self.is_superuser) if extracted is None else extracted
        if create and wanted:
            enrol_totp(self)


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


def enrol_totp(user: User) -> None:
    """A real TOTP authenticator with recovery codes, made through allauth's own API."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)


def totp_code(user: User, *, at: float | None = None) -> str:
    """The code the user's authenticator app shows now (or at ``at``, seconds since the epoch)."""
    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    secret = decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])
    moment = time.time() if at is None else at
    return format_hotp_value(hotp_value(secret, int(moment) // app_settings.TOTP_PERIOD))


def reauthenticate(client):
    """Record in the client's session that its user just confirmed the password, through the same allauth
    function the re-authentication page calls: steps that ask for it go through for the next 5 minutes."""
    from allauth.account.internal.flows.reauthentication import reauthenticate_by_password
    from django.contrib.auth import get_user
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = client.session
    request.user = get_user(request)
    assert request.user.is_authenticated, "reauthenticate() needs a logged-in client"
    reauthenticate_by_password(request)
    request.session.save()
    return client
