"""Builds the demo through the same services the screens use, so every record is one the portal could make."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from djmoney.money import Money

from grants.models import Application
from grants.services import applications as app_services
from grants.services import payouts, review
from grants.services.applications import CostLineData
from integration_core.models import District, Municipality
from portal.accounts.models import User
from portal.accounts.roles import sync_roles
from portal.organisations.models import Membership, Organisation
from portal.organisations.services import organisation_update
from programmes.choices import (
    ActivityType,
    AllocationMethod,
    ApplicantType,
    FinancingType,
    FundingField,
    PayoutMode,
    RemainderUse,
)
from programmes.models import Programme, ProgrammeBudget

from . import committee, formula, history, reference
from .casework import build_casework


def eur(value: str) -> Money:
    return Money(Decimal(value), "EUR")


def build_district() -> dict[str, Municipality]:
    district, _ = District.objects.get_or_create(
        key=reference.DISTRICT["key"], defaults={"name": reference.DISTRICT["name"]}
    )
    result = {}
    for ags, name, population, urban in reference.MUNICIPALITIES:
        result[name], _ = Municipality.objects.update_or_create(
            ags=ags,
            defaults={"district": district, "name": name, "population": population,
                      "population_reference_date": reference.POPULATION_DATE, "is_urban": urban},
        )
    return result


def build_users() -> dict[str, User]:
    sync_roles()
    users = {}
    for email, first, last, role in reference.USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last,
                        is_staff=role != "Antragsteller", is_superuser=role is None)
            user.set_password(reference.DEMO_PASSWORD)
            user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        users[email.split("@")[0]] = User.objects.get(pk=user.pk)
    return users


def build_programmes() -> dict[str, Programme]:
    year = timezone.localdate().year
    common = {"opens_on": date(year, 1, 1), "closes_on": date(year, 12, 31)}
    specs = {
        "IMP": dict(
            name="Integrationsimpulse", min_amount=eur("200.00"), max_amount=eur("3000.00"),
            description=("Kleine Förderung für Projekte, Vorträge, Fortbildungen, Exkursionen, Organisations"
                         "entwicklung, Begegnungsveranstaltungen und Supervision in Integration, interkultureller "
                         "Öffnung, Antirassismus und Antidiskriminierung. Schnell beantragt, nach Bewilligung "
                         "vollständig ausgezahlt, nach dem Projekt einfach nachgewiesen."),
            eligible_applicant_types=list(ApplicantType.values), activity_types=list(ActivityType.values),
            funding_fields=list(FundingField.values), financing_type=FinancingType.FIXED,
            payout_mode=PayoutMode.FULL_ON_APPROVAL, settlement_deadline_months=3,
            staff_approval_limit=eur("1500.00"), budget=eur("60000.00"),
            # A standing programme, open all year since the first year of the demo's history (demo/history.py).
            **{**common, "opens_on": date(year - history.YEARS_BACK, 1, 1)},
        ),
        # Issue 4 (Landkreis Lörrach): share financing, co-financed 1:1 by the municipality, at most 25,000 € per
        # municipality and calendar year; a welfare association may apply for a municipality. Committee decides.
        "LOT": dict(
            name="Integrationslotsen und Stadtteileltern", min_amount=eur("1000.00"), max_amount=eur("25000.00"),
            description=("Anteilfinanzierung von Lotsen- und Stadtteilelternprogrammen der Kreiskommunen: der "
                         "Landkreis zahlt höchstens so viel, wie die Kommune selbst beiträgt (1:1), höchstens "
                         "25.000 € je Kommune und Kalenderjahr. Wohlfahrtsverbände können für eine Kommune "
                         "beantragen. Entscheidung durch den Sozialausschuss."),
            eligible_applicant_types=[ApplicantType.MUNICIPALITY, ApplicantType.ASSOCIATION],
            activity_types=[ActivityType.PROJECT], funding_fields=[FundingField.INTEGRATION],
            financing_type=FinancingType.SHARE, payout_mode=PayoutMode.CALL_OFF, settlement_deadline_months=6,
            staff_approval_limit=eur("0.00"), budget=eur("150000.00"), committee_decides_all=True,
            max_funding_share=Decimal("0.50"), matching_funds_required=True,
            cap_per_municipality_year=eur("25000.00"), budget_part="5 – Soziales",
            product_group="31.50 Integration", product="31.50.01 Förderung der Integration", **common,
        ),
        "PRJ": dict(
            name="Integrationsprojekte", min_amount=eur("1000.00"), max_amount=eur("10000.00"),
            description="Projektförderung von 1.000 bis 10.000 € je Antrag; Entscheidung durch den Sozialausschuss.",
            eligible_applicant_types=list(ApplicantType.values), activity_types=list(ActivityType.values),
            funding_fields=list(FundingField.values), financing_type=FinancingType.FIXED,
            payout_mode=PayoutMode.CALL_OFF, settlement_deadline_months=6,
            staff_approval_limit=eur("0.00"), budget=eur("80000.00"), committee_decides_all=True,
            budget_part="5 – Soziales", product_group="31.50 Integration",
            product="31.50.02 Integrationsprojekte freier Träger", **common,
        ),
        # Issue 3, section 3: personnel costs only, a post of at least 0.5 FTE, 40,000 € per 12 months.
        "KOS": dict(
            name="Koordinierende Stelle Integrationsmanagement", min_amount=eur("5000.00"),
            max_amount=eur("40000.00"),
            description=("Förderung der koordinierenden Stelle im Integrationsmanagement: ausschließlich "
                         "Personalkosten, höchstens 40.000 € je Antragstellerin für einen Förderzeitraum von "
                         "jeweils zwölf Monaten, Stellenumfang mindestens 0,5 VZÄ. Entscheidung durch die Leitung."),
            eligible_applicant_types=[ApplicantType.MUNICIPALITY],
            activity_types=[ActivityType.ORGANISATIONAL_DEVELOPMENT], funding_fields=[FundingField.INTEGRATION],
            financing_type=FinancingType.FIXED, payout_mode=PayoutMode.FULL_ON_APPROVAL,
            settlement_deadline_months=6, staff_approval_limit=eur("0.00"), budget=eur("80000.00"),
            min_post_fte=Decimal("0.50"), personnel_costs_only=True, cap_per_period=eur("40000.00"),
            cap_period_months=12, **common,
        ),
        # Issue 3, section 2 (Landkreis Böblingen): a fixed pot shared by population; a post of at least
        # 0.5 FTE; the shares of the ineligible fund a district-wide offer. Decided by the Leitung.
        formula.CODE: dict(
            name="Soforthilfe Integrationsmanagement", min_amount=eur("0.00"), max_amount=eur(formula.POT),
            description=("Fester Fördertopf für das Integrationsmanagement der Kreiskommunen: Der Landkreis verteilt "
                         "282.709,99 € im Jahr nach der Einwohnerzahl auf die antragstellenden Kommunen und "
                         "kommunalen Verbünde, die eine Stelle von mindestens 0,5 VZÄ fördern. Die Anteile der "
                         "übrigen finanzieren ein kreisweites Angebot."),
            eligible_applicant_types=[ApplicantType.MUNICIPALITY, ApplicantType.MUNICIPAL_ASSOCIATION],
            activity_types=[ActivityType.PROJECT], funding_fields=[FundingField.INTEGRATION],
            financing_type=FinancingType.FIXED, payout_mode=PayoutMode.FULL_ON_APPROVAL,
            settlement_deadline_months=6, staff_approval_limit=eur("0.00"), budget=eur(formula.POT),
            allocation_method=AllocationMethod.FORMULA, population_reference_date=reference.POPULATION_DATE,
            min_post_fte=Decimal("0.50"), remainder_use=RemainderUse.KEEP, **common,
        ),
    }
    programmes = {}
    for code, spec in specs.items():
        budget = spec.pop("budget")
        programme, _ = Programme.objects.get_or_create(code=code, defaults={"file_number_prefix": "II", **spec})
        ProgrammeBudget.objects.get_or_create(programme=programme, year=year, defaults={"amount": budget})
        programmes[code] = programme
    return programmes


ORGANISATIONS = [
    # key, name, legal form, type, street, no, postcode, town, seat, iban, members
    ("cafe", "Begegnungscafé Lindenau e. V.", "ev", ApplicantType.ASSOCIATION, "Lindenstraße", "4",
     "76199", "Lindenau", "Lindenau", "DE89370400440532013000", ["antrag"]),
    ("kultur", "Afrikanischer Kulturverein Musterstadt e. V.", "ev", ApplicantType.MIGRANT_ORGANISATION,
     "Bahnhofstraße", "17b", "76131", "Musterstadt", "Musterstadt", "DE02100500000054540402", ["verein"]),
    ("netz", "Netzwerk Asyl Bergheim", "nev", ApplicantType.LOCAL_NETWORK, "Kirchplatz", "2", "76227",
     "Bergheim", "Bergheim", "DE12500105170648489890", ["antrag"]),
    ("gemeinde", "Gemeinde Talhausen", "public", ApplicantType.MUNICIPALITY, "Rathausplatz", "1", "76307",
     "Talhausen", "Talhausen", "DE02600501010002034304", ["gemeinde"]),
    ("frauen", "Syrisch-Deutscher Frauenverein Rheinfelden e. V.", "ev", ApplicantType.MIGRANT_ORGANISATION,
     "Am Markt", "9", "76287", "Rheinfelden am Wald", "Rheinfelden am Wald", "DE02370502990000684712", ["verein"]),
]


def build_organisations(municipalities, users) -> dict[str, Organisation]:
    result = {}
    for key, name, legal, kind, street, no, postcode, town, seat, iban, members in ORGANISATIONS:
        contact = users[members[0]]
        organisation, _ = Organisation.objects.get_or_create(
            name=name,
            defaults=dict(legal_form=legal, applicant_type=kind, street=street, house_number=no, postcode=postcode,
                          town=town, seat_municipality=municipalities[seat], iban=iban, account_holder=name,
                          contact_name=contact.get_full_name(), contact_email=contact.email),
        )
        for member in members:
            Membership.objects.get_or_create(organisation=organisation, user=users[member])
        result[key] = organisation
    return result


# The organisations above start with confirmed bank details; this one has entered a new account since, which
# waits for the Kasse's confirmation (Wagtail admin, menu «Bankverbindungen»).
PENDING_BANK_CHANGE = ("netz", "DE75512108001245126199")


def build_pending_bank_change(orgs, users) -> None:
    key, iban = PENDING_BANK_CHANGE
    organisation = orgs[key]
    member = organisation.memberships.select_related("user").order_by("joined_at").first().user
    # Through the service, as the profile form does: the change event and the members' e-mail come with it.
    organisation_update(user=member, organisation_id=organisation.pk,
                        data={"iban": iban, "bic": "", "account_holder": organisation.name})


@dataclass
class Story:
    """One demo application and how far its life has gone."""

    org: str
    title: str
    amount: str
    target: str
    place: str
    activity: str = ActivityType.ENCOUNTER
    field: str = FundingField.INTEGRATION
    spent: str | None = None


STORIES = [
    Story("cafe", "Sprachcafé für Neuzugewanderte", "850.00", "draft", "Lindenau", ActivityType.PROJECT),
    Story("kultur", "Afrikanisches Sommerfest im Stadtpark", "2400.00", "submitted", "Musterstadt"),
    Story("netz", "Fortbildung Antirassismus für Ehrenamtliche", "1200.00", "in_review", "Bergheim",
          ActivityType.TRAINING, FundingField.ANTI_RACISM),
    Story("frauen", "Nähwerkstatt für Frauen", "1600.00", "changes_requested", "Rheinfelden am Wald",
          ActivityType.PROJECT),
    Story("gemeinde", "Interkulturelle Öffnung der Gemeindeverwaltung", "2800.00", "recommended", "Talhausen",
          ActivityType.ORGANISATIONAL_DEVELOPMENT, FundingField.INTERCULTURAL_OPENING),
    Story("cafe", "Exkursion ins Haus der Geschichte", "640.00", "approved", "Lindenau", ActivityType.EXCURSION),
    Story("kultur", "Trommelworkshop für Jugendliche", "980.00", "approved", "Musterstadt", ActivityType.PROJECT),
    Story("netz", "Supervision für das Helferteam", "1450.00", "paid", "Bergheim", ActivityType.SUPERVISION),
    Story("frauen", "Vortragsreihe Frauenrechte", "720.00", "settlement_submitted", "Rheinfelden am Wald",
          ActivityType.TALK, spent="720.00"),
    Story("gemeinde", "Begegnungsfest zum Tag der offenen Tür", "1900.00", "refund_claimed", "Talhausen",
          spent="1655.40"),
    Story("cafe", "Kochabend der Kulturen", "500.00", "closed", "Lindenau", spent="512.30"),
    Story("kultur", "Fußballturnier ohne Grenzen", "3000.00", "rejected", "Musterstadt"),
    Story("netz", "Fahrradwerkstatt", "1100.00", "withdrawn", "Bergheim", ActivityType.PROJECT),
]

# These went through approval weeks or months ago: built on the dated timeline with the past years (history.py).
DECIDED = {"approved", "paid", "settlement_submitted", "refund_claimed", "closed"}


def _decided(story: Story) -> history.Past:
    return history.Past(story.org, story.title, story.place, story.activity, story.amount, story.spent,
                        story.field, stop="" if story.target == "closed" else story.target)


def _create(story: Story, programme, orgs, municipalities, users) -> Application:
    organisation = orgs[story.org]
    applicant = organisation.members.order_by("pk").first()
    application = app_services.application_create(
        user=applicant, organisation=organisation, programme=programme, title=story.title
    )
    today = timezone.localdate()
    app_services.application_update(
        user=applicant, application_id=application.pk,
        data={
            "summary": f"{story.title}: ein niedrigschwelliges Angebot für Menschen mit und ohne Fluchtgeschichte.",
            "goals": "Begegnung ermöglichen, Teilhabe stärken, Ehrenamt vernetzen.",
            "target_group": "Geflüchtete und Neuzugewanderte, Nachbarschaft, Ehrenamtliche",
            "expected_participants": 40, "activity_type": story.activity, "funding_field": story.field,
            "planned_start": today + timedelta(days=21), "planned_end": today + timedelta(days=80),
            "place": municipalities[story.place], "own_funds": Decimal("100.00"), "third_party_funds": Decimal("0"),
            "declaration_truthful": True, "declaration_not_started": True, "declaration_privacy": True,
            "declaration_conditions": True,
        },
        cost_lines=_cost_lines(Decimal(story.amount) + Decimal("100.00")),
    )
    return application


def _cost_lines(total: Decimal) -> list[CostLineData]:
    fees = (total * Decimal("0.6")).quantize(Decimal("0.01"))
    return [CostLineData("Honorare Referent:innen", fees), CostLineData("Material und Verpflegung", total - fees)]


def _advance(application: Application, story: Story, users) -> None:
    applicant = application.organisation.members.order_by("pk").first()
    staff = users["sachbearbeitung"]
    target = story.target
    pk = application.pk
    if target == "draft":
        return
    app_services.application_submit(user=applicant, application_id=pk)
    if target == "withdrawn":
        app_services.application_withdraw(user=applicant, application_id=pk, note="Projekt entfällt.")
        return
    if target == "submitted":
        return
    review.application_start_review(user=staff, application_id=pk)
    if target == "changes_requested":
        review.application_request_changes(
            user=staff, application_id=pk,
            message="Bitte schlüsseln Sie die Materialkosten genauer auf und ergänzen Sie die Zielgruppe.",
        )
        return
    if target == "rejected":
        review.application_reject(
            user=staff, application_id=pk,
            reasons="Das Vorhaben ist überwiegend sportlich ausgerichtet; ein Integrationsbezug ist nicht erkennbar.",
        )
        return
    if target == "in_review":
        return
    review.application_recommend(user=staff, application_id=pk, note="Förderfähig, Kostenplan plausibel.")


@transaction.atomic
def build_all() -> dict:
    municipalities = build_district()
    users = build_users()
    programmes = build_programmes()
    orgs = build_organisations(municipalities, users)
    # The past first (and with it the decided stories), so file numbers and primary keys follow the calendar.
    past = history.build_history(programmes["IMP"], municipalities, orgs, users,
                                 recent=[_decided(s) for s in STORIES if s.target in DECIDED])
    created = [(_create(s, programmes["IMP"], orgs, municipalities, users), s)
               for s in STORIES if s.target not in DECIDED]
    for application, story in created:
        _advance(Application.objects.get(pk=application.pk), story, users)
    # One of the approved grants waits in a batch the Kasse has not executed yet.
    waiting = next(s.title for s in STORIES if s.target == "approved")
    payouts.payout_batch_create(user=users["kasse"], application_ids=[a.pk for a in past if a.title == waiting])
    _coordinating_post(programmes["KOS"], orgs["gemeinde"], municipalities, users)
    build_pending_bank_change(orgs, users)
    soforthilfe = formula.build_formula_demo(programmes[formula.CODE], municipalities, users)
    committee_items = committee.build_committee_demo(programmes, municipalities, orgs, users)
    committee.build_base_rates()
    build_casework(municipalities)
    return {"applications": len(past) + len(created) + 1 + len(soforthilfe) + len(committee_items),
            "programmes": list(programmes.values())}


def _coordinating_post(programme, organisation, municipalities, users) -> Application:
    """Gemeinde Talhausen's half-time coordinating post for the next 12 months, recommended for the Leitung."""
    applicant = organisation.members.order_by("pk").first()
    application = app_services.application_create(
        user=applicant, organisation=organisation, programme=programme,
        title="Koordinierende Stelle Integrationsmanagement (0,5 VZÄ)",
    )
    start = timezone.localdate() + timedelta(days=21)
    app_services.application_update(
        user=applicant, application_id=application.pk,
        data={
            "summary": "Eine halbe Stelle koordiniert das Integrationsmanagement der Gemeinde und ihrer Partner.",
            "goals": "Einheitliche Beratung nach der VwV Integrationsmanagement, Vernetzung mit den Regeldiensten.",
            "target_group": "Integrationsmanager:innen und Geflüchtete in der Anschlussunterbringung",
            "expected_participants": 120, "activity_type": ActivityType.ORGANISATIONAL_DEVELOPMENT,
            "funding_field": FundingField.INTEGRATION, "post_fte": Decimal("0.50"),
            "planned_start": start, "planned_end": start + timedelta(days=364),
            "place": municipalities["Talhausen"], "own_funds": Decimal("6000.00"),
            "third_party_funds": Decimal("0"), "declaration_truthful": True, "declaration_not_started": True,
            "declaration_privacy": True, "declaration_conditions": True,
        },
        cost_lines=[CostLineData("Personalkosten Koordination 0,5 VZÄ (TVöD S 12)", Decimal("38000.00"))],
    )
    app_services.application_submit(user=applicant, application_id=application.pk)
    review.application_start_review(user=users["sachbearbeitung"], application_id=application.pk)
    review.application_recommend(user=users["sachbearbeitung"], application_id=application.pk,
                                 note="Stellenumfang 0,5 VZÄ, nur Personalkosten, innerhalb der Obergrenze.")
    return application
