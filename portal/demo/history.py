"""Past years of Integrationsimpulse: four grants a half-year for five calendar years, paid and settled; and
the demo's current grants that are approved or further along, decided weeks or months ago.

Without them the monitoring (which opens on the last finished half-year) showed no funding anywhere, its
five-year history a single year, and grants were settled before their projects had begun. Every record goes
through the services, as on the screens; only the clock is the demo's: the services read the time from
``django.utils.timezone.now``, and ``_clock`` sets it to the moment of each step. So the event rows,
submission, decision and payment dates, payout batches, budget years, file numbers, settlement checks, refund
claims and letters all carry coherent past dates, in the order of the state machine, and never a moment after
the real now (a later step simply has not happened yet).
"""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from unittest import mock

from django.contrib.auth.models import Group
from django.utils import timezone
from djmoney.money import Money

from grants import tasks
from grants.models import Application, DocumentKind
from grants.services import applications as app_services
from grants.services import payouts, review, settlements
from grants.services.applications import CostLineData
from portal.accounts.models import User
from portal.accounts.roles import APPLICANT
from portal.organisations.models import Membership, Organisation
from programmes.choices import ActivityType as Act
from programmes.choices import ApplicantType, FundingField
from programmes.models import ProgrammeBudget

YEARS_BACK = 4  # this year and four before: the dashboard's five-year history
SUBMIT_DAYS = (8, 44, 80, 116)  # days after the start of a half-year: paid well before its end

# Local applicants of the small municipalities (key, name, legal form, type, seat, IBAN); no demo login.
ORGANISATIONS = [
    ("altdorf", "Freundeskreis Asyl Altdorf e. V.", "ev", ApplicantType.ASSOCIATION, "Altdorf an der Murg",
     "DE02120300000000202051"),
    ("neuweiler", "Helferkreis Neuweiler", "nev", ApplicantType.LOCAL_NETWORK, "Neuweiler", "DE02500105170137075030"),
    ("kirchberg", "Deutsch-Ukrainischer Verein Kirchberg e. V.", "ev", ApplicantType.MIGRANT_ORGANISATION,
     "Kirchberg", "DE88100900001234567892"),
    ("steinach", "TSV Steinach 1921 e. V.", "ev", ApplicantType.ASSOCIATION, "Steinach", "DE02300209000106531065"),
    ("wiesental", "Ökumenischer Arbeitskreis Asyl Wiesental", "nev", ApplicantType.LOCAL_NETWORK, "Wiesental",
     "DE02700100800030876808"),
    ("oberried", "Gemeinde Oberried", "public", ApplicantType.MUNICIPALITY, "Oberried", "DE02200505501015871393"),
]


@dataclass(frozen=True)
class Past:
    org: str
    title: str
    place: str
    activity: str
    amount: str
    spent: str | None = None  # eligible costs; below the grant the difference is reclaimed (Festbetrag)
    funding_field: str = FundingField.INTEGRATION
    rejected: str = ""  # the reasons, for the one that is not funded
    stop: str = ""  # the state it stays in (approved, paid, settlement_submitted, refund_claimed); "" = closed

    @property
    def refunds(self) -> bool:
        return self.spent is not None and Decimal(self.spent) < Decimal(self.amount)


# How many days ago a current grant was handed in, so that its last step lies a few days back and the next
# one (payment, settlement, check, refund) is still ahead; a closed one was checked a month ago.
RECENT_SUBMITTED_DAYS_AGO = {"approved": 16, "paid": 60, "settlement_submitted": 110, "refund_claimed": 135,
                             "closed": 160}
# The steps in order and the last one each stop state keeps.
STEPS = ["create", "submit", "review", "recommend", "decide", "pay", "settle", "check", "refund_received"]
LAST_STEP = {"approved": "decide", "paid": "pay", "settlement_submitted": "settle", "refund_claimed": "check",
             "": "refund_received"}


# The Freundeskreis in Altdorf (first by name, where the dashboard opens) applies every half-year.
ALTDORF = [
    Past("altdorf", "Sprachtreff im Alten Schulhaus", "Altdorf an der Murg", Act.PROJECT, "650.00"),
    Past("altdorf", "Begegnungsfest am Murgufer", "Altdorf an der Murg", Act.ENCOUNTER, "1200.00", "1034.80"),
]
OTHERS = [
    Past("kultur", "Vortrag Kolonialgeschichte und Rassismus heute", "Musterstadt", Act.TALK, "380.00",
         funding_field=FundingField.ANTI_RACISM),
    Past("neuweiler", "Fahrradkurs für geflüchtete Frauen", "Neuweiler", Act.PROJECT, "480.00"),
    Past("gemeinde", "Interkulturelle Woche Talhausen", "Talhausen", Act.ENCOUNTER, "2600.00", "2312.45"),
    Past("kirchberg", "Ukrainisch-deutscher Kinderchor", "Kirchberg", Act.PROJECT, "900.00"),
    Past("netz", "Sommerfest der Kulturen in Mühlhofen", "Mühlhofen", Act.ENCOUNTER, "1500.00"),
    Past("wiesental", "Fortbildung traumasensible Begleitung", "Wiesental", Act.TRAINING, "1400.00"),
    Past("cafe", "Internationaler Kochabend", "Lindenau", Act.ENCOUNTER, "520.00", "448.60"),
    Past("steinach", "Offenes Training für Neuzugewanderte", "Steinach", Act.PROJECT, "750.00"),
    Past("oberried", "Willkommensmappe in fünf Sprachen", "Oberried", Act.ORGANISATIONAL_DEVELOPMENT, "2100.00",
         "1870.00", FundingField.INTERCULTURAL_OPENING),
    Past("frauen", "Supervision für die Ehrenamtlichen", "Rheinfelden am Wald", Act.SUPERVISION, "1350.00"),
    Past("kultur", "Vereinsausflug in den Freizeitpark", "Musterstadt", Act.EXCURSION, "1800.00",
         rejected="Ein Freizeitausflug ohne Begegnungs- oder Bildungsanteil ist nicht förderfähig."),
    Past("netz", "Exkursion in den Landtag", "Buchenau", Act.EXCURSION, "860.00"),
    Past("kirchberg", "Hausaufgabenhilfe in zwei Sprachen", "Kirchberg", Act.PROJECT, "1150.00", "987.30"),
    Past("cafe", "Workshop Antidiskriminierung für Vereine", "Lindenau", Act.TRAINING, "690.00",
         funding_field=FundingField.ANTI_RACISM),
    Past("wiesental", "Begegnungscafé im Gemeindehaus", "Unterried", Act.ENCOUNTER, "560.00"),
]


@dataclass
class _Project:
    past: Past
    submitted: date
    pk: int | None = None
    steps: list = field(default_factory=list)


@contextmanager
def _clock(moment: datetime):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _organisations(municipalities, orgs) -> dict[str, Organisation]:
    result = dict(orgs)
    for key, name, legal, kind, seat, iban in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(name=name, defaults=dict(
            legal_form=legal, applicant_type=kind, street="Hauptstraße", house_number="12",
            postcode=f"76{municipalities[seat].ags[-3:]}", town=seat, seat_municipality=municipalities[seat],
            iban=iban, account_holder=name[:70], contact_name="Demo-Kontakt", contact_email=f"{key}@demo.example"))
        if created:
            user = User(email=organisation.contact_email, first_name="Demo",
                        last_name=name[:100])
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=APPLICANT))
            Membership.objects.create(organisation=organisation, user=user)
        result[key] = organisation
    return result


def _schedule(first_year: int, today: date) -> list[_Project]:
    projects = []
    for year in range(first_year, today.year + 1):
        for half, month in ((0, 1), (1, 7)):
            number = (year - first_year) * 2 + half
            for slot, offset in enumerate(SUBMIT_DAYS):
                past = ALTDORF[number % 2] if slot == 0 else OTHERS[(number * 3 + slot - 1) % len(OTHERS)]
                day = date(year, month, 1) + timedelta(days=offset)
                projects.append(_Project(replace(past, title=f"{past.title} {year}"), day))
    return projects


def _cost_lines(total: Decimal) -> list[CostLineData]:
    fees = (total * Decimal("0.6")).quantize(Decimal("0.01"))
    return [CostLineData("Honorare und Aufwandsentschädigungen", fees),
            CostLineData("Material, Miete und Verpflegung", total - fees)]


def _plan_steps(project: _Project, programme, orgs, municipalities, users, pay_days) -> None:
    """The steps of one application with their moments, in the order of the state machine."""
    past, day = project.past, project.submitted
    organisation = orgs[past.org]
    applicant = organisation.members.order_by("pk").first()
    staff, finance = users["sachbearbeitung"], users["kasse"]
    start = day + timedelta(days=35)
    end = start + timedelta(days=45)

    def create():
        application = app_services.application_create(user=applicant, organisation=organisation,
                                                      programme=programme, title=past.title)
        project.pk = application.pk
        app_services.application_update(user=applicant, application_id=application.pk, data={
            "summary": f"{past.title}: ein offenes Angebot für Menschen mit und ohne Einwanderungsgeschichte.",
            "goals": "Begegnung ermöglichen, Teilhabe stärken, Ehrenamt vernetzen.",
            "target_group": "Geflüchtete und Neuzugewanderte, Nachbarschaft, Ehrenamtliche",
            "expected_participants": 30, "activity_type": past.activity, "funding_field": past.funding_field,
            "planned_start": start, "planned_end": end, "place": municipalities[past.place],
            "own_funds": Decimal("100.00"), "third_party_funds": Decimal("0"), "declaration_truthful": True,
            "declaration_not_started": True, "declaration_privacy": True, "declaration_conditions": True,
        }, cost_lines=_cost_lines(Decimal(past.amount) + Decimal("100.00")))

    def decide():
        if past.rejected:
            review.application_reject(user=staff, application_id=project.pk, reasons=past.rejected)
            tasks.generate_document(project.pk, DocumentKind.REJECTION)  # dated now, not at the commit
            return
        # Four eyes: not the recommender; above the staff limit the head of unit.
        above = Decimal(past.amount) > programme.staff_approval_limit.amount
        review.application_approve(user=users["leitung"] if above else users["sachbearbeitung2"],
                                   application_id=project.pk)
        tasks.generate_document(project.pk, DocumentKind.APPROVAL)

    def settle():
        settlements.settlement_save(
            user=applicant, application_id=project.pk, participants_reached=28, income=Decimal("100.00"),
            report="Das Vorhaben hat wie geplant stattgefunden; Fotos und Teilnahmeliste liegen vor.",
            cost_lines=_cost_lines(Decimal(past.spent or past.amount) + Decimal("100.00")), submit=True)

    def check():
        settlements.settlement_accept(user=staff, application_id=project.pk,
                                      eligible_costs=Money(Decimal(past.spent or past.amount), "EUR"),
                                      note="Verwendungsnachweis geprüft.")
        if past.refunds:
            tasks.generate_document(project.pk, DocumentKind.REFUND_NOTICE)

    decided = day + timedelta(days=13)
    # The Kasse pays on the 1st and the 15th of a month whatever was approved before.
    pay_day = next(d for d in (decided + timedelta(days=n) for n in range(1, 17)) if d.day in (1, 15))
    steps = {
        "create": (_at(day - timedelta(days=4), 16), create),
        "submit": (_at(day, 9, 30), lambda: app_services.application_submit(user=applicant, application_id=project.pk)),
        "review": (_at(day + timedelta(days=3), 10, 15),
                   lambda: review.application_start_review(user=staff, application_id=project.pk)),
        "recommend": (_at(day + timedelta(days=9), 11), lambda: review.application_recommend(
            user=staff, application_id=project.pk, note="Förderfähig, Kostenplan plausibel.")),
        "decide": (_at(decided, 14, 30), decide),
        "settle": (_at(end + timedelta(days=25), 18), settle),
        "check": (_at(end + timedelta(days=48), 10, 30), check),
        "refund_received": (_at(end + timedelta(days=68), 12), lambda: settlements.refund_record_received(
            user=finance, application_id=project.pk, received_on=timezone.localdate())),
    }
    skipped = {"recommend"} if past.rejected else set() if past.refunds else {"refund_received"}
    for name in STEPS[:STEPS.index("decide" if past.rejected else LAST_STEP[past.stop]) + 1]:
        if name == "pay":
            pay_days[pay_day].append(project)  # paid with the others of that day (build_history)
        elif name not in skipped:
            project.steps.append(steps[name])


def _pay(finance, projects):
    def run():
        batch = payouts.payout_batch_create(user=finance, application_ids=[p.pk for p in projects])
        payouts.payout_batch_execute(user=finance, batch_id=batch.pk)
    return run


def build_history(programme, municipalities, orgs, users, recent: list[Past]) -> list[Application]:
    """The programme's past grants and the ``recent`` ones, in the order of their dates (file numbers, batches);
    nothing if the programme has applications already (idempotent)."""
    if programme.applications.exists():
        return []
    now, today = timezone.now(), timezone.localdate()
    first_year = today.year - YEARS_BACK
    for year in range(first_year, today.year):
        ProgrammeBudget.objects.get_or_create(programme=programme, year=year, defaults={
            "amount": Money(Decimal(60000 - 5000 * (today.year - year)), "EUR")})
    applicants = _organisations(municipalities, orgs)
    pay_days: dict[date, list[_Project]] = defaultdict(list)
    projects = _schedule(first_year, today) + [
        _Project(past, today - timedelta(days=RECENT_SUBMITTED_DAYS_AGO[past.stop or "closed"])) for past in recent]
    for project in projects:
        _plan_steps(project, programme, applicants, municipalities, users, pay_days)
    steps = [step for project in projects for step in project.steps]
    steps += [(_at(day, 10), _pay(users["kasse"], group)) for day, group in pay_days.items()]
    for moment, step in sorted(steps, key=lambda s: s[0]):  # stable: same moment keeps the planned order
        if moment > now:
            break  # not yet happened; every later step is later still
        with _clock(moment):
            step()
    return list(Application.objects.filter(pk__in=[p.pk for p in projects if p.pk]).order_by("pk"))
