"""The Soforthilfe demo (formula programme SOF): 13 municipal applicants, checked and ready for the first run.

Modelled on the Landkreis Böblingen: 282,709.99 € a year shared by population among the applicants that fund a
post of at least 0.5 FTE; the shares of the ineligible ones stay with the district for a district-wide offer.
Everything goes through the services, up to "eligibility confirmed" (state RECOMMENDED): previewing and fixing
the run, issuing the letters, paying out, a Verzicht and the re-sharing are left for the demo user to click.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from grants.models import Application
from grants.services import applications as app_services
from grants.services import review
from grants.services.allocations import application_confirm_eligibility
from grants.services.applications import PostData
from portal.accounts.models import User
from portal.accounts.roles import APPLICANT
from portal.organisations.models import Membership, Organisation
from programmes.choices import ApplicantType

CODE = "SOF"
POT = "282709.99"
KOMMUNE_LOGIN = "kommune"  # kommune@demo.example (reference.USERS): the login of Gemeinde Eichenbach


@dataclass(frozen=True)
class Applicant:
    name: str
    municipalities: tuple[str, ...]  # the seat; for a Verbund all members (the first is its seat)
    posts: tuple[tuple[str, str], ...]  # (title, FTE)
    iban: str
    contact: tuple[str, str]  # first and last name of the member who applies
    login: str | None = None  # a demo user (key in build_users) instead of a member of its own

    @property
    def is_verbund(self) -> bool:
        return len(self.municipalities) > 1


# Four applicants fund only posts below 0.5 FTE (Kirchberg: two quarter posts; the largest post counts).
APPLICANTS = [
    Applicant("Stadt Musterstadt", ("Musterstadt",),
              (("Integrationsmanagerin Innenstadt", "1.00"), ("Integrationsmanager Nordstadt", "0.50")),
              "DE27660501010001001111", ("Selin", "Arslan")),
    Applicant("Stadt Rheinfelden am Wald", ("Rheinfelden am Wald",), (("Integrationsmanagement", "1.00"),),
              "DE03660501010001002222", ("Tobias", "Merz")),
    Applicant("Stadt Lindenau", ("Lindenau",), (("Integrationsmanagement", "0.75"),),
              "DE76660501010001003333", ("Carla", "Neumann")),
    Applicant("Gemeinde Bergheim", ("Bergheim",), (("Integrationsmanagement", "0.50"),),
              "DE52660501010001004444", ("Hakan", "Demir")),
    Applicant("Gemeinde Eichenbach", ("Eichenbach",),
              (("Integrationsmanagement", "0.50"), ("Koordination Ehrenamt", "0.20")),
              "DE28660501010001005555", ("Lena", "Vogt"), login=KOMMUNE_LOGIN),
    Applicant("Gemeinde Neuweiler", ("Neuweiler",), (("Integrationsberatung", "0.30"),),
              "DE04660501010001006666", ("Frank", "Huber")),
    Applicant("Gemeinde Altdorf an der Murg", ("Altdorf an der Murg",), (("Integrationsmanagement", "0.60"),),
              "DE77660501010001007777", ("Mira", "Schulz")),
    Applicant("Gemeinde Sonnenbühl", ("Sonnenbühl",), (("Integrationsmanagement", "0.50"),),
              "DE53660501010001008888", ("Jan", "Köhler")),
    Applicant("Gemeinde Kirchberg", ("Kirchberg",), (("Integrationsberatung", "0.25"), ("Sprachmittlung", "0.25")),
              "DE29660501010001009999", ("Anja", "Wolf")),
    Applicant("Gemeinde Hohenfels", ("Hohenfels",), (("Integrationsmanagement", "0.50"),),
              "DE05660501010001011110", ("Emre", "Kaya")),
    Applicant("Gemeinde Wiesental", ("Wiesental",), (("Integrationsberatung", "0.40"),),
              "DE78660501010001012221", ("Birgit", "Lorenz")),
    Applicant("Gemeinde Steinach", ("Steinach",), (("Integrationsberatung", "0.20"),),
              "DE54660501010001013332", ("Paul", "Berger")),
    Applicant("Gemeindeverwaltungsverband Oberes Ried", ("Oberried", "Unterried", "Birkenfeld"),
              (("Integrationsmanagement im Verband", "0.80"),), "DE30660501010001014443", ("Nora", "Frey")),
]


def _slug(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-"})
    return name.split(" ", 1)[-1].lower().translate(table)


def _member(spec: Applicant, users) -> User:
    """The demo login where there is one; else a member of its own who cannot log in (no password)."""
    if spec.login:
        return users[spec.login]
    email = f"integration.{_slug(spec.name)}@demo.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, first_name=spec.contact[0], last_name=spec.contact[1])
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=APPLICANT))
    return user


def _organisation(spec: Applicant, municipalities, member: User) -> Organisation:
    seat = municipalities[spec.municipalities[0]]
    organisation, _ = Organisation.objects.get_or_create(
        name=spec.name,
        defaults=dict(
            legal_form="public",
            applicant_type=ApplicantType.MUNICIPAL_ASSOCIATION if spec.is_verbund else ApplicantType.MUNICIPALITY,
            street="Rathausplatz", house_number="1", postcode=f"76{seat.ags[-3:]}", town=seat.name,
            seat_municipality=seat, iban=spec.iban, account_holder=spec.name,
            contact_name=member.get_full_name(), contact_email=member.email,
        ),
    )
    if spec.is_verbund:
        organisation.member_municipalities.set([municipalities[name] for name in spec.municipalities])
    Membership.objects.get_or_create(organisation=organisation, user=member)
    return organisation


def _apply(spec: Applicant, programme, organisation, member: User, staff: User) -> Application:
    year = timezone.localdate().year
    application = app_services.application_create(
        user=member, organisation=organisation, programme=programme,
        title=f"Integrationsmanagement {spec.name} {year}",
    )
    start = timezone.localdate() + timedelta(days=14)
    app_services.application_update(
        user=member, application_id=application.pk,
        data={
            "summary": ("Beratung und Begleitung Geflüchteter in der Anschlussunterbringung nach der VwV "
                        "Integrationsmanagement, Vernetzung mit Ehrenamt und Regeldiensten."),
            "planned_start": start, "planned_end": start + timedelta(days=364),
            "contact_name": member.get_full_name(), "contact_email": member.email,
            "contact_phone": "07231 000000",
            "declaration_truthful": True, "declaration_not_started": True, "declaration_privacy": True,
            "declaration_conditions": True,
        },
        posts=[PostData(title=title, fte=Decimal(fte)) for title, fte in spec.posts],
    )
    app_services.application_submit(user=member, application_id=application.pk)
    review.application_start_review(user=staff, application_id=application.pk)
    # The check is the same for all: staff confirm the stated posts; the run decides who reaches 0.5 FTE.
    application_confirm_eligibility(user=staff, application_id=application.pk,
                                    note="Stellen und Einwohnerzahlen geprüft.")
    return application


def build_formula_demo(programme, municipalities, users) -> list[Application]:
    """The 13 checked applications of the Soforthilfe; nothing if the programme has applications already."""
    if programme.applications.exists():
        return []
    staff = users["sachbearbeitung"]
    created = []
    for spec in APPLICANTS:
        member = _member(spec, users)
        organisation = _organisation(spec, municipalities, member)
        created.append(_apply(spec, programme, organisation, member, staff))
    return created
