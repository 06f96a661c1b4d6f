"""The committee demo: Integrationslotsen (LOT) and Integrationsprojekte (PRJ) decided by the Sozialausschuss.

Everything goes through the services: applications submitted with their co-financing evidence, reviewed and
recommended with a structured assessment; a meeting a few days ago whose agenda is frozen (so staff can
download the approval list at once and record the decisions by clicking), a few recommended applications not
yet on an agenda, and a future meeting with an open agenda. Plus the base-rate table for refund interest.
"""

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from grants.models import Application, AttachmentKind, ConflictOfInterest
from grants.services import applications as app_services
from grants.services import review
from grants.services.applications import CostLineData, YearAmountData
from grants.services.committee import MemberData, agenda_add, agenda_freeze, conflict_declare, meeting_create
from grants.services.review import AssessmentData
from portal.accounts.models import User
from portal.accounts.roles import APPLICANT
from portal.organisations.models import Membership, Organisation
from programmes.choices import ActivityType, ApplicantType, CostKind, FundingField
from programmes.models import BaseRate

COMMITTEE = "Sozialausschuss"
# Half-yearly Basiszinssatz (§ 247 BGB) as published by the Deutsche Bundesbank. Staff keep this table
# current in the admin (it changes on 1 January and 1 July); these rows only seed the demo.
BASE_RATES = [
    (date(2023, 1, 1), "1.62"), (date(2023, 7, 1), "3.12"), (date(2024, 1, 1), "3.62"), (date(2024, 7, 1), "3.37"),
    (date(2025, 1, 1), "2.27"), (date(2025, 7, 1), "1.27"), (date(2026, 1, 1), "1.27"), (date(2026, 7, 1), "1.27"),
]
MEMBERS = [
    MemberData("Dr. Eva Schneider", "Landrätin", "chair"),
    MemberData("Thomas Becker", "CDU"),
    MemberData("Sabine Wagner", "GRÜNE"),
    MemberData("Michael Schäfer", "SPD"),
    MemberData("Dr. Maria Hoffmann", "Freie Wähler"),
    MemberData("Andreas Koch", "FDP"),
    MemberData("Gülay Yıldız", "Integrationsbeirat", "advisory"),
]
# (name, type, seat) of applicants not in build.ORGANISATIONS; welfare associations apply for a municipality.
EXTRA_ORGANISATIONS = [
    ("Stadt Musterstadt", ApplicantType.MUNICIPALITY, "Musterstadt"),
    ("Stadt Lindenau", ApplicantType.MUNICIPALITY, "Lindenau"),
    ("Gemeinde Bergheim", ApplicantType.MUNICIPALITY, "Bergheim"),
    ("Gemeinde Hohenfels", ApplicantType.MUNICIPALITY, "Hohenfels"),
    ("Gemeinde Sonnenbühl", ApplicantType.MUNICIPALITY, "Sonnenbühl"),
    ("Caritasverband Musterstadt e. V.", ApplicantType.ASSOCIATION, "Musterstadt"),
    ("Diakonisches Werk im Landkreis Musterstadt", ApplicantType.ASSOCIATION, "Rheinfelden am Wald"),
    ("AWO Kreisverband Musterstadt e. V.", ApplicantType.ASSOCIATION, "Musterstadt"),
    ("Internationaler Jugendtreff Lindenau e. V.", ApplicantType.ASSOCIATION, "Lindenau"),
    ("Deutsch-Türkischer Elternverein Musterstadt e. V.", ApplicantType.MIGRANT_ORGANISATION, "Musterstadt"),
]


@dataclass(frozen=True)
class Plan:
    programme: str  # LOT or PRJ
    applicant: str  # a key of build.ORGANISATIONS or a name of EXTRA_ORGANISATIONS
    title: str
    costs: str
    own: str
    municipality: str  # co-financing municipality (LOT) or place (PRJ)
    justification: str
    spans_years: bool = False  # LOT: from next month over the turn of the year, with a split per year
    conditions: str = ""
    on_agenda: bool = True


PLANS = [
    Plan("LOT", "gemeinde", "Integrationslotsen Talhausen", "36000.00", "18000.00", "Talhausen",
         "Bewährtes Lotsenprojekt seit 2022; Gemeinderatsbeschluss über den Eigenanteil liegt vor."),
    Plan("LOT", "Stadt Musterstadt", "Stadtteileltern Musterstadt-Nord", "30000.00", "15000.00", "Musterstadt",
         "Zwölf Stadtteileltern begleiten Familien in Kita und Schule; Haushaltsstelle nachgewiesen."),
    Plan("LOT", "Caritasverband Musterstadt e. V.", "Integrationslotsen in der Südstadt", "20000.00", "10000.00",
         "Musterstadt", "Träger für die Stadt Musterstadt; mit dem Antrag der Stadt zusammen 25.000 € im Jahr.",
         conditions="Qualifizierung der Lotsen vor Einsatzbeginn nachweisen."),
    Plan("LOT", "Stadt Lindenau", "Integrationslotsen Lindenau", "40000.00", "20000.00", "Lindenau",
         "Lotsen in der Anschlussunterbringung; Zeitraum über den Jahreswechsel, Aufteilung je Jahr plausibel.",
         spans_years=True),
    Plan("LOT", "Diakonisches Werk im Landkreis Musterstadt", "Stadtteileltern Rheinfelden", "44000.00",
         "22000.00", "Rheinfelden am Wald", "Träger für die Stadt Rheinfelden am Wald; Kofinanzierung beschlossen."),
    Plan("LOT", "Gemeinde Bergheim", "Ehrenamtliche Integrationslotsen Bergheim", "16000.00", "8000.00", "Bergheim",
         "Aufwandsentschädigungen und Schulung der Lotsen; Kosten angemessen."),
    Plan("LOT", "AWO Kreisverband Musterstadt e. V.", "Stadtteileltern Eichenbach", "12000.00", "6000.00",
         "Eichenbach", "Träger für die Gemeinde Eichenbach; erstes Projektjahr."),
    Plan("LOT", "Gemeinde Hohenfels", "Integrationslotsen Hohenfels", "9000.00", "4500.00", "Hohenfels",
         "Kleines Lotsenteam, eng mit dem Integrationsmanagement verzahnt."),
    Plan("LOT", "Gemeinde Sonnenbühl", "Integrationslotsen Sonnenbühl", "14000.00", "7000.00", "Sonnenbühl",
         "Neuer Standort; Kofinanzierung im Haushalt veranschlagt.", on_agenda=False),
    Plan("PRJ", "cafe", "Sprachpatenschaften im Begegnungscafé", "9400.00", "900.00", "Lindenau",
         "Niedrigschwelliger Spracherwerb mit Ehrenamtlichen; Kosten plausibel."),
    Plan("PRJ", "kultur", "Mentoring für junge Geflüchtete in Ausbildung", "6600.00", "600.00", "Musterstadt",
         "Mentoring mit nachweisbarer Wirkung auf Ausbildungsabbrüche."),
    Plan("PRJ", "netz", "Fortbildungsreihe Ehrenamt und Asylrecht", "4700.00", "500.00", "Bergheim",
         "Qualifiziert Ehrenamtliche kreisweit."),
    Plan("PRJ", "frauen", "Frauencafé mit Kinderbetreuung", "10800.00", "1000.00", "Rheinfelden am Wald",
         "Erreicht Frauen, die Kurse sonst nicht besuchen können."),
    Plan("PRJ", "Internationaler Jugendtreff Lindenau e. V.", "Jugendbegegnung Sport und Sprache", "3900.00",
         "400.00", "Lindenau", "Offene Jugendarbeit mit Sprachförderung."),
    Plan("PRJ", "Deutsch-Türkischer Elternverein Musterstadt e. V.", "Elternakademie Schule verstehen", "7700.00",
         "700.00", "Musterstadt", "Elternbildung in drei Sprachen; Kooperation mit zwei Grundschulen.",
         conditions="Teilnahmelisten je Veranstaltung führen."),
    Plan("PRJ", "cafe", "Interkultureller Gemeinschaftsgarten", "5500.00", "500.00", "Lindenau",
         "Begegnungsort im Quartier; Flächennutzung mit der Stadt geklärt.", on_agenda=False),
    Plan("PRJ", "kultur", "Antirassismus-Workshops an Schulen", "2800.00", "300.00", "Musterstadt",
         "Workshops mit Schulen abgestimmt.", on_agenda=False),
]
def _evidence_pdf() -> bytes:
    """A real one-page PDF (uploads must parse): the council's decision on the municipal share."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawString(72, 770, "Gemeinderatsbeschluss über den Eigenanteil (Demo)")
    page.save()
    return buffer.getvalue()


def build_base_rates() -> None:
    for valid_from, rate in BASE_RATES:
        BaseRate.objects.get_or_create(valid_from=valid_from, defaults={"rate": Decimal(rate)})


def _slug(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    return "-".join(re.findall(r"[a-z0-9]+", name.lower().translate(table)))[:60]


def _organisations(municipalities, orgs) -> dict[str, Organisation]:
    result = dict(orgs)
    for name, kind, seat in EXTRA_ORGANISATIONS:
        municipality = municipalities[seat]
        organisation, _ = Organisation.objects.get_or_create(name=name, defaults=dict(
            legal_form="public" if kind == ApplicantType.MUNICIPALITY else "ev", applicant_type=kind,
            street="Rathausplatz" if kind == ApplicantType.MUNICIPALITY else "Kirchstraße", house_number="1",
            postcode=f"76{municipality.ags[-3:]}", town=seat, seat_municipality=municipality,
            iban="DE89370400440532013000", account_holder=name, contact_name="Demo-Kontakt",
            contact_email=f"{_slug(name)}@demo.example"))
        if not organisation.memberships.exists():
            user = User(email=organisation.contact_email,
                        first_name="Demo", last_name=name[:100])
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=APPLICANT))
            Membership.objects.create(organisation=organisation, user=user)
        result[name] = organisation
    return result


def _period(plan: Plan) -> tuple[date, date, list[YearAmountData] | None]:
    today = timezone.localdate()
    if plan.programme == "PRJ":
        start = today + timedelta(days=30)
        return start, start + timedelta(days=150), None
    if not plan.spans_years:
        return date(today.year + 1, 1, 1), date(today.year + 1, 12, 31), None
    start = today + timedelta(days=10)
    end = date(start.year + 1, start.month, 1) - timedelta(days=1)
    requested = Decimal(plan.costs) - Decimal(plan.own)
    first = Decimal("2000.00")
    return start, end, [YearAmountData(start.year, first), YearAmountData(end.year, requested - first)]


def _apply(plan: Plan, programme, organisation, municipalities, staff) -> Application:
    applicant = organisation.members.order_by("pk").first()
    application = app_services.application_create(user=applicant, organisation=organisation, programme=programme,
                                                  title=plan.title)
    start, end, years = _period(plan)
    municipality = municipalities[plan.municipality]
    lotsen = plan.programme == "LOT"
    app_services.application_update(
        user=applicant, application_id=application.pk,
        data={
            "summary": f"{plan.title}: Begleitung Neuzugewanderter im Alltag, in Behörden, Kita und Schule.",
            "goals": "Orientierung und Teilhabe, Entlastung der Regeldienste, Stärkung des Ehrenamts.",
            "target_group": "Geflüchtete und Neuzugewanderte, Familien, Ehrenamtliche", "expected_participants": 60,
            "activity_type": ActivityType.PROJECT, "funding_field": FundingField.INTEGRATION,
            "planned_start": start, "planned_end": end, "place": municipality,
            "cofinancing_municipality": municipality if lotsen else None,
            "own_funds": Decimal(plan.own), "third_party_funds": Decimal("0"),
            "declaration_truthful": True, "declaration_not_started": True, "declaration_privacy": True,
            "declaration_conditions": True,
        },
        cost_lines=_cost_lines(plan, lotsen), year_amounts=years,
    )
    if lotsen:
        evidence = SimpleUploadedFile("Gemeinderatsbeschluss-Eigenanteil.pdf", _evidence_pdf(), "application/pdf")
        app_services.attachment_add(user=applicant, application_id=application.pk, upload=evidence,
                                    kind=AttachmentKind.COFINANCING)
    app_services.application_submit(user=applicant, application_id=application.pk)
    review.application_start_review(user=staff, application_id=application.pk)
    review.application_recommend(
        user=staff, application_id=application.pk, note="Förderfähig; für die Sitzung des Sozialausschusses.",
        assessment=AssessmentData(eligibility_checked=True, cofinancing_checked=lotsen,
                                  justification=plan.justification, conditions=plan.conditions))
    return application


def _cost_lines(plan: Plan, lotsen: bool) -> list[CostLineData]:
    total = Decimal(plan.costs)
    first = (total * Decimal("0.7")).quantize(Decimal("0.01"))
    if lotsen:  # share financing: the plan shows personnel and material costs apart
        return [CostLineData("Aufwandsentschädigungen und Koordination der Lotsen", first, CostKind.PERSONNEL),
                CostLineData("Schulung, Fahrtkosten und Material", total - first, CostKind.MATERIAL)]
    return [CostLineData("Honorare", first), CostLineData("Sachkosten und Öffentlichkeitsarbeit", total - first)]


def build_committee_demo(programmes, municipalities, orgs, users) -> list[Application]:
    """Seventeen recommended applications, a frozen past meeting and an open future one; nothing if LOT or PRJ
    already has applications (idempotent)."""
    lot, prj = programmes["LOT"], programmes["PRJ"]
    if lot.applications.exists() or prj.applications.exists():
        return []
    staff = users["sachbearbeitung"]
    applicants = _organisations(municipalities, orgs)
    created = [(plan, _apply(plan, programmes[plan.programme], applicants[plan.applicant], municipalities, staff))
               for plan in PLANS]
    today = timezone.localdate()
    past = meeting_create(user=staff, committee=COMMITTEE, day=today - timedelta(days=4),
                          paper_number=f"SOZ/{today.year}/041", location="Landratsamt Musterstadt, Sitzungssaal 1",
                          members=MEMBERS)
    agenda_add(user=staff, meeting_id=past.pk, application_ids=[a.pk for plan, a in created if plan.on_agenda])
    # Dr. Maria Hoffmann sits on the board of the Caritasverband: she does not vote on its item.
    caritas = next(a for plan, a in created if plan.applicant.startswith("Caritas"))
    conflict_declare(user=staff, item_id=past.items.get(application=caritas).pk,
                     member_id=past.members.get(name="Dr. Maria Hoffmann").pk,
                     reason=ConflictOfInterest.Reason.BOARD, note="Mitglied des Vorstands des Caritasverbands")
    agenda_freeze(user=staff, meeting_id=past.pk)
    meeting_create(user=staff, committee=COMMITTEE, day=today + timedelta(days=28),
                   paper_number=f"SOZ/{today.year}/052", location="Landratsamt Musterstadt, Sitzungssaal 1",
                   members=MEMBERS)
    return [application for _plan, application in created]
