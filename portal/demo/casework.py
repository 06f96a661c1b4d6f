"""Demo case plans of the integration counselling: providers, case workers, a few hundred fictitious plans.

Deterministic (fixed seed, dates relative to today) and fast (bulk_create). Idempotent: does
nothing when the demo providers already hold cases. Every name here is invented.
"""

import random
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from integration_core.cases.access import case_for_read
from integration_core.cases.duration import add_years, base_end, latest_extension
from integration_core.cases.parts import END_REASONS_NEEDING_COMPLETE_PLAN
from integration_core.cases.services_parts import suggested_status
from integration_core.models import (
    IN_WORK_TRAINING_STUDIES,
    Achievement,
    Case,
    Child,
    ChildCare,
    Competences,
    Consent,
    ConsentPurpose,
    ConsentPurposeKind,
    CounsellingType,
    EndReason,
    Gender,
    GermanCourse,
    GermanCourseKind,
    GermanLevel,
    Goal,
    GoalArea,
    Housing,
    LabourStatus,
    LanguageLevel,
    LanguageSkill,
    Municipality,
    PlanStatus,
    Provider,
    ProviderKind,
    ProviderMembership,
    ProviderRole,
    ReadPurpose,
    Recognition,
    Referral,
    ReportingStatus,
    ResidenceStatus,
    SkillArea,
    YesNo,
)
from portal.accounts.models import User
from portal.accounts.roles import CASE_LEAD, CASE_WORKER, DATA_PROTECTION, STATISTICS, STATISTICS_OFFICE, sync_roles

from .reference import DEMO_PASSWORD

SEED = 20250611
CASE_COUNT = 360

# (key, name, kind, municipality name or None)
PROVIDERS = [
    ("lra", "Landratsamt Musterstadt – Integrationsmanagement", ProviderKind.DISTRICT, None),
    ("stadt", "Stadt Musterstadt – Integrationsmanagement", ProviderKind.MUNICIPALITY, "Musterstadt"),
    ("rhf", "Stadt Rheinfelden am Wald – Integrationsmanagement", ProviderKind.MUNICIPALITY, "Rheinfelden am Wald"),
    ("caritas", "Caritasverband Musterstadt e. V.", ProviderKind.WELFARE, None),
    ("diakonie", "Diakonisches Werk Lindenau", ProviderKind.WELFARE, None),
]
# (e-mail, first, last, group, provider key or None, provider role or None, is_staff)
USERS = [
    ("fall@demo.example", "Miriam", "Schneider", CASE_WORKER, "caritas", ProviderRole.CASE_WORKER, False),
    ("fallleitung@demo.example", "Andreas", "Keller", CASE_LEAD, "caritas", ProviderRole.LEAD, False),
    ("datenschutz@demo.example", "Birgit", "Hahn", DATA_PROTECTION, None, None, True),
    ("statistik@demo.example", "Felix", "Wagner", STATISTICS, None, None, True),
    ("statistikstelle@demo.example", "Ines", "Roth", STATISTICS_OFFICE, None, None, True),
    ("fall2@demo.example", "Jana", "Krüger", CASE_WORKER, "caritas", ProviderRole.CASE_WORKER, False),
    ("fall3@demo.example", "Hakan", "Demir", CASE_WORKER, "lra", ProviderRole.CASE_WORKER, False),
    ("fall4@demo.example", "Sophie", "Braun", CASE_WORKER, "lra", ProviderRole.CASE_WORKER, False),
    ("fall5@demo.example", "Daniel", "Schulz", CASE_WORKER, "stadt", ProviderRole.CASE_WORKER, False),
    ("fall6@demo.example", "Nadia", "Farah", CASE_WORKER, "stadt", ProviderRole.CASE_WORKER, False),
    ("fall7@demo.example", "Lukas", "Maier", CASE_WORKER, "rhf", ProviderRole.CASE_WORKER, False),
    ("fall8@demo.example", "Elena", "Popescu", CASE_WORKER, "diakonie", ProviderRole.CASE_WORKER, False),
    ("fallleitung2@demo.example", "Monika", "Berger", CASE_LEAD, "lra", ProviderRole.LEAD, False),
]

FIRST_NAMES = {
    "w": ["Amina", "Fatima", "Mariam", "Olena", "Zainab", "Hawa", "Nour", "Leyla", "Tetiana", "Samira", "Roya",
          "Aisha", "Yasmin", "Iryna", "Shirin"],
    "m": ["Ahmad", "Mohammed", "Omid", "Yusuf", "Dmytro", "Ali", "Samir", "Abdullah", "Tesfaye", "Karim",
          "Reza", "Bilal", "Andrii", "Mustafa", "Hamid"],
}
LAST_NAMES = ["Al-Hassan", "Rahimi", "Haddad", "Kovalenko", "Yilmaz", "Tesfay", "Nouri", "Karimi", "Hussein",
              "Shevchenko", "Abdi", "Mohammadi", "Osman", "Bondarenko", "Kaya", "Ahmadi", "Mansour", "Ibrahim"]
# Country of origin with its first language and weight.
ORIGINS = [("SY", "Arabisch", 30), ("AF", "Dari", 20), ("UA", "Ukrainisch", 22), ("IQ", "Kurdisch", 8),
           ("ER", "Tigrinya", 6), ("TR", "Türkisch", 6), ("NG", "Englisch", 4), ("SO", "Somali", 4)]
GOAL_TEXTS = {
    GoalArea.LANGUAGE: ("Deutschkurs bis B1 abschließen", ["Anmeldung Integrationskurs", "Kinderbetreuung klären",
                                                           "Prüfung anmelden"]),
    GoalArea.WORK: ("Sozialversicherungspflichtige Arbeit finden", ["Lebenslauf erstellen",
                                                                    "Termin beim Jobcenter", "Bewerbungen"]),
    GoalArea.TRAINING: ("Ausbildungsplatz finden", ["Berufsorientierung", "Praktikum", "Bewerbung"]),
    GoalArea.HOUSING: ("Eigene Wohnung finden", ["Wohnungsanzeigen prüfen", "WBS beantragen", "Besichtigungen"]),
    GoalArea.HEALTH: ("Hausärztliche Versorgung sichern", ["Hausarzt suchen", "Termin vereinbaren", ""]),
    GoalArea.FAMILY: ("Kitaplatz für das jüngste Kind", ["Anmeldung Kita-Portal", "Gespräch mit Kita", ""]),
    GoalArea.PARTICIPATION: ("Anschluss an einen Verein", ["Vereine vorstellen", "Probetraining", ""]),
    GoalArea.OTHER: ("Führerschein umschreiben lassen", ["Antrag Führerscheinstelle", "Übersetzung", ""]),
}
SERVICES = ["Jobcenter", "Agentur für Arbeit", "Ausländerbehörde", "VHS", "Migrationsberatung", "Kita-Amt",
            "Wohngeldstelle", ""]


def _users(providers) -> dict[str, User]:
    sync_roles()
    users = {}
    for email, first, last, group, provider_key, role, is_staff in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last, is_staff=is_staff)
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=group))
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if provider_key:
            ProviderMembership.objects.get_or_create(provider=providers[provider_key], user=user,
                                                     defaults={"role": role})
        users[email.split("@")[0]] = user
    return users


def _providers() -> dict[str, Provider]:
    result = {}
    for key, name, kind, municipality in PROVIDERS:
        place = Municipality.objects.filter(name=municipality).first() if municipality else None
        result[key], _ = Provider.objects.get_or_create(name=name, defaults={"kind": kind, "municipality": place})
    return result


class _Maker:
    """Draws one fictitious case after another from one seeded generator."""

    def __init__(self, rng: random.Random, today: date, municipalities):
        self.rng, self.today = rng, today
        self.municipalities = municipalities
        self.weights = [m.population for m in municipalities]

    def case(self, worker, provider) -> Case:
        rng = self.rng
        gender = rng.choice([Gender.FEMALE, Gender.MALE, Gender.FEMALE, Gender.MALE, Gender.DIVERSE]) \
            if rng.random() > 0.02 else ""
        names = FIRST_NAMES["w" if gender == Gender.FEMALE else "m"]
        country, _language, _w = rng.choices(ORIGINS, weights=[o[2] for o in ORIGINS])[0]
        kind = rng.choices([CounsellingType.ONE_OFF, CounsellingType.SIMPLE, CounsellingType.FULL],
                           weights=[2, 4, 4])[0]
        first_contact = self.today - timedelta(days=rng.randint(5, 3 * 365 + 120))
        birth = date(rng.randint(1960, 2005), rng.randint(1, 12), rng.randint(1, 28))
        municipality = rng.choices(self.municipalities, weights=self.weights)[0]
        case = Case(
            provider=provider, case_worker=worker, created_by=worker, municipality=municipality,
            first_name=rng.choice(names), last_name=rng.choice(LAST_NAMES), birth_date=birth, birth_year=birth.year,
            gender=gender, country_of_origin=country, phone=f"0151 {rng.randint(1000000, 9999999)}",
            address=f"{rng.choice(['Hauptstraße', 'Gartenweg', 'Bahnhofstraße', 'Am Bach'])} {rng.randint(1, 80)}, "
                    f"{municipality.name}",
            counselling_type=kind, first_contact_on=first_contact,
            referral=rng.choices(Referral.values, weights=[5, 2, 1, 3, 1])[0],
            agreement_signed_on=None if kind == CounsellingType.ONE_OFF else first_contact + timedelta(days=7),
        )
        if case.referral == Referral.OTHER:
            case.referral_other = "Hinweis durch Ehrenamtliche"
        case.agreement_signed_on = min(case.agreement_signed_on, self.today) if case.agreement_signed_on else None
        self._end(case)
        if not case.gender and case.end_reason in END_REASONS_NEEDING_COMPLETE_PLAN:
            case.end_reason = EndReason.OTHER  # without the gender the plan is incomplete: it cannot end "completed"
        return case

    def _end(self, case: Case) -> None:
        rng, end = self.rng, base_end(case)
        if case.counselling_type == CounsellingType.ONE_OFF:
            case.ended_on, case.end_reason = case.first_contact_on, EndReason.NO_FURTHER_NEED
        elif end < self.today or rng.random() < 0.25:
            if end - timedelta(days=120) < self.today <= end + timedelta(days=300) and rng.random() < 0.4:
                case.extended_until = latest_extension(case)
                case.extension_reason = "Anerkennungsverfahren und Ausbildungsbeginn stehen unmittelbar bevor."
                case.extended_at = timezone.now()
                case.extended_by = case.case_worker
                end = case.extended_until
            latest = min(end, self.today)
            if latest < self.today or rng.random() < 0.8:
                span = (latest - case.first_contact_on).days
                case.ended_on = case.first_contact_on + timedelta(days=rng.randint(max(span // 3, 0), span))
                case.end_reason = rng.choices(
                    [EndReason.GOALS_REACHED, EndReason.NO_FURTHER_NEED, EndReason.ABORTED, EndReason.LEFT_COUNTRY,
                     EndReason.MOVED_AWAY, EndReason.MAX_DURATION], weights=[5, 4, 2, 1, 2, 1])[0]
                if case.agreement_signed_on:
                    case.agreement_signed_on = min(case.agreement_signed_on, case.ended_on)

    def competences(self, case: Case, progress: float) -> Competences:
        """Part A; ``progress`` (0..1, time in counselling) makes German, work and flat likelier."""
        rng = self.rng
        level = min(GermanLevel.C2, max(GermanLevel.BELOW_A1, int(rng.gauss(1 + 2.6 * progress, 1.1))))
        work = rng.random() < 0.15 + 0.5 * progress
        labour = rng.choice(IN_WORK_TRAINING_STUDIES) if work else rng.choice(
            [LabourStatus.UNEMPLOYED, LabourStatus.MEASURE, LabourStatus.LANGUAGE_COURSE,
             LabourStatus.NOT_AVAILABLE])
        housing = Housing.OWN_FLAT if rng.random() < 0.2 + 0.5 * progress else rng.choice(
            [Housing.FOLLOW_UP, Housing.SHARED, Housing.WITH_OTHERS])
        language = next(o[1] for o in ORIGINS if o[0] == case.country_of_origin)
        sick = rng.random() < 0.12
        return Competences(
            case=case, household_size=rng.randint(1, 7), single_parent=rng.random() < 0.12,
            first_language=language, literate=rng.random() > 0.08, literate_latin=rng.random() > 0.3,
            german_level=level, school_attended=True, school_years=rng.randint(0, 13),
            school_degree=rng.random() < 0.6, school_recognition=rng.choice(Recognition.values),
            vocation=rng.choice(["Schneiderin", "Elektriker", "Lehrerin", "Koch", "Pflegekraft", ""]),
            work_experience_years=rng.randint(0, 20), labour_status=labour, housing=housing,
            skill_areas=sorted(rng.sample(SkillArea.values, rng.randint(0, 3))),
            driving_licence=rng.random() < 0.35, public_transport=rng.random() < 0.8,
            monthly_ticket=rng.random() < 0.5,
            residence_status=rng.choice(ResidenceStatus.values),
            disability=YesNo.YES if rng.random() < 0.06 else YesNo.NO,
            health_notes="Chronische Rückenschmerzen, in hausärztlicher Behandlung" if sick else None,
        )

    def goals(self, case: Case, progress: float) -> list[Goal]:
        rng, rows = self.rng, []
        last_day = min(case.ended_on or self.today, self.today)
        for area in rng.sample(list(GOAL_TEXTS), rng.randint(1, 4)):
            text, steps = GOAL_TEXTS[area]
            agreed = case.first_contact_on + timedelta(days=rng.randint(0, max((last_day - case.first_contact_on)
                                                                                .days // 2, 0)))
            achieved = rng.choices(Achievement.values, weights=[progress * 5 + 1, 1, 2, 4 - 3 * progress])[0]
            rows.append(Goal(
                case=case, area=area, goal=text, step_1=steps[0], step_2=steps[1], step_3=steps[2],
                who=rng.choice(["Klient:in", "IntMan und Klient:in", "Klient:in mit Ehrenamt"]), agreed_on=agreed,
                due_by=agreed + timedelta(days=rng.choice([60, 90, 180, 365])), achieved=achieved,
                achieved_changed_on=None if achieved == Achievement.IN_PROGRESS else last_day,
                services_involved=rng.choice(SERVICES), created_by=case.case_worker,
            ))
        return rows

    def statuses(self, case: Case) -> list[ReportingStatus]:
        """In progress at each reporting date before the end; at the first one from the end on, why it ended
        (as a case worker records it then, see services_parts.reporting_status_record)."""
        rows, year = [], case.first_contact_on.year
        while year <= self.today.year:
            for day in (date(year, 6, 30), date(year, 12, 31)):
                if not case.first_contact_on <= day <= self.today:
                    continue
                if case.ended_on and day >= case.ended_on:
                    status = suggested_status(case) or PlanStatus.NO_FURTHER_NEED
                    rows.append(ReportingStatus(case=case, reporting_date=day, status=status,
                                                recorded_by=case.case_worker))
                    return rows
                rows.append(ReportingStatus(case=case, reporting_date=day, status=PlanStatus.IN_PROGRESS,
                                            recorded_by=case.case_worker))
            year += 1
        return rows


def _rows_for(maker: _Maker, cases: list[Case], providers):
    rng, today = maker.rng, maker.today
    competences, goals, statuses, consents, purposes = [], [], [], [], []
    for case in cases:
        if case.counselling_type == CounsellingType.ONE_OFF:
            continue
        span = (add_years(case.first_contact_on, 3) - case.first_contact_on).days
        progress = min(1.0, ((case.ended_on or today) - case.first_contact_on).days / span)
        competences.append(maker.competences(case, progress))
        if case.counselling_type == CounsellingType.FULL or rng.random() < 0.2:
            goals.extend(maker.goals(case, progress))
        statuses.extend(maker.statuses(case))
        consent = Consent(case=case, notice_version="DSI 2024-01", given_on=case.agreement_signed_on,
                          language=rng.choice(["de", "de", "ar", "fa", "uk", "en"]), collected_by=case.case_worker)
        consents.append(consent)
        kinds = [ConsentPurposeKind.COUNSELLING, ConsentPurposeKind.STATISTICS]
        purposes.extend(ConsentPurpose(consent=consent, purpose=kind) for kind in kinds)
        if rng.random() < 0.1:
            purposes.append(ConsentPurpose(consent=consent, purpose=ConsentPurposeKind.HANDOVER,
                                           recipient_provider=providers["lra"]))
        if rng.random() < 0.04:  # statistics withdrawn: these cases drop out of new figures
            purposes[-1 if purposes[-1].purpose == ConsentPurposeKind.STATISTICS else -2].withdrawn_on = min(
                today, case.agreement_signed_on + timedelta(days=60))
    Competences.objects.bulk_create(competences)
    Goal.objects.bulk_create(goals)
    ReportingStatus.objects.bulk_create(statuses)
    Consent.objects.bulk_create(consents)
    for purpose in purposes:
        purpose.consent_id = purpose.consent.pk
    ConsentPurpose.objects.bulk_create(purposes)
    _part_a_rows(rng, competences)
    return len(goals)


def _part_a_rows(rng, competences: list[Competences]) -> None:
    children, languages, courses = [], [], []
    for item in competences:
        for _ in range(rng.randint(0, 3) if item.household_size > 2 else 0):
            birth_year = rng.randint(2008, 2024)
            care = ChildCare.KITA if birth_year >= 2019 else ChildCare.SCHOOL
            children.append(Child(competences=item, gender=rng.choice(["w", "m"]), birth_year=birth_year, care=care))
        if rng.random() < 0.5:
            languages.append(LanguageSkill(competences=item, language=rng.choice(["Englisch", "Französisch",
                                                                                 "Russisch", "Türkisch"]),
                                           level=rng.choice(LanguageLevel.values)))
        if item.german_level and item.german_level >= GermanLevel.A1:
            courses.append(GermanCourse(competences=item, kind=rng.choice(GermanCourseKind.values),
                                        certificate=item.german_level >= GermanLevel.A2))
    Child.objects.bulk_create(children)
    LanguageSkill.objects.bulk_create(languages)
    GermanCourse.objects.bulk_create(courses)


def _showcase(users, cases: list[Case], today: date) -> None:
    """fall@demo.example gets a few cases that show the rules: warning window, lapsed, fresh full plan."""
    own = [c for c in cases if c.case_worker_id == users["fall"].pk and c.counselling_type == CounsellingType.FULL]
    updates = [
        (own[0], add_years(today, -3) + timedelta(days=45)),  # ends in 45 days: warning
        (own[1], add_years(today, -3) - timedelta(days=10)),  # ran out 10 days ago: refused
        (own[2], today - timedelta(days=20)),  # new plan
    ]
    for case, first_contact in updates:
        Case.objects.filter(pk=case.pk).update(
            first_contact_on=first_contact, agreement_signed_on=first_contact, ended_on=None, end_reason="",
            extended_until=None, extension_reason="", extended_by=None, extended_at=None)
        Goal.objects.filter(case=case, agreed_on__lt=first_contact).update(agreed_on=first_contact, due_by=None)
        ReportingStatus.objects.filter(case=case, reporting_date__lt=first_contact).delete()
        ReportingStatus.objects.filter(case=case).update(status=PlanStatus.IN_PROGRESS)  # running again
        Consent.objects.filter(case=case).update(given_on=first_contact)
        ConsentPurpose.objects.filter(consent__case=case).update(withdrawn_on=None)
    # Something for the data-protection officer to look at.
    for case in own[:3]:
        case_for_read(user=users["fall"], case_id=case.pk, purpose=ReadPurpose.CASE_VIEW)
    lead_case = next(c for c in cases if c.provider_id == own[0].provider_id and c.case_worker_id != users["fall"].pk)
    case_for_read(user=users["fallleitung"], case_id=lead_case.pk, purpose=ReadPurpose.CASE_VIEW)


@transaction.atomic
def build_casework(municipalities: dict[str, Municipality] | None = None) -> dict:
    """Providers, case workers and CASE_COUNT fictitious case plans; nothing when they exist already."""
    providers = _providers()
    users = _users(providers)
    if Case.objects.filter(provider__in=providers.values()).exists():
        return {"cases": 0}
    places = list((municipalities or {m.name: m for m in Municipality.objects.all()}).values())
    places.sort(key=lambda m: m.ags)
    workers = [(u, m.provider) for u in users.values() for m in u.provider_memberships.select_related("provider")]
    workers.sort(key=lambda pair: pair[0].email)
    today = timezone.localdate()
    maker = _Maker(random.Random(SEED), today, places)  # noqa: S311 - fictitious demo data
    primary = next(pair for pair in workers if pair[0].pk == users["fall"].pk)
    drafts = []
    for i in range(CASE_COUNT):
        # fall@demo.example holds a good share so the case-worker screens have something to show.
        worker, provider = primary if i % 6 == 0 else maker.rng.choice(workers)
        drafts.append(maker.case(worker, provider))
    cases = Case.objects.bulk_create(drafts)
    goals = _rows_for(maker, cases, providers)
    _showcase(users, cases, today)
    return {"cases": len(cases), "goals": goals}
