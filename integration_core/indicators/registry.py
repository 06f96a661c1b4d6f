"""The indicator registry: what is measured, over which records, for whom — in code, reviewed like code.

Each indicator names its *source* (case plans, goal rows, children, or the funding providers), a
numerator and — for shares — a denominator as Q objects over that source (and in words, for the registry
page), the reference type (stock at the period's reference date, or flow within the period), the
counselling types that count, the breakdowns that may be shown (``compute.count_pairs`` refuses others),
and whether the stricter small-count threshold applies (health data). The level follows the PHINEO impact
staircase (Wirkungstreppe): *output* = stages 1–3 (offers take place, reach the target group, are
accepted), *outcome* = stages 4–6 (skills, behaviour, life situation change).

Seeded from the indicator list of the Singen working paper (Anhang 5) as far as the plan records
support it. Not supported, for lack of data: social environment, club membership, hobbies, knowledge of
offers, independence of social benefits (not recorded in the plan); settlement permit (residence status
is encrypted at rest and cannot be counted in the database); case workers at network meetings (not
recorded anywhere yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..cases.independence import independent_living_q
from ..models import (
    IN_WORK_TRAINING_STUDIES,
    Achievement,
    ChildCare,
    CounsellingType,
    GermanCourse,
    GermanLevel,
    GoalArea,
    Housing,
    LabourStatus,
)
from .providers import Measure
from .suppression import default_threshold, sensitive_threshold


class Level(StrEnum):
    OUTPUT = "output"
    OUTCOME = "outcome"


LEVEL_LABELS = {Level.OUTPUT: _("Output"), Level.OUTCOME: _("Outcome")}


class Reference(StrEnum):
    STOCK = "stock"  # open cases at the reference date (Stichtag)
    FLOW = "flow"  # events within the period


REFERENCE_LABELS = {Reference.STOCK: _("Bestand zum Stichtag"), Reference.FLOW: _("Zugang im Zeitraum")}


class Source(StrEnum):
    CASES = "cases"  # integration_core.Case
    GOALS = "goals"  # integration_core.Goal (Part B rows)
    CHILDREN = "children"  # integration_core.Child (Part A rows)
    FUNDING = "funding"  # figure providers (grants)


class Kind(StrEnum):
    COUNT = "count"
    SHARE = "share"
    AMOUNT = "amount"


class Breakdown(StrEnum):
    MUNICIPALITY = "municipality"
    GENDER = "gender"
    AGE_BAND = "age_band"
    ORIGIN = "origin"  # country-of-origin group
    GOAL_AREA = "goal_area"
    PROGRAMME = "programme"


BREAKDOWN_LABELS = {
    Breakdown.MUNICIPALITY: _("Kommune"),
    Breakdown.GENDER: _("Geschlecht"),
    Breakdown.AGE_BAND: _("Altersgruppe"),
    Breakdown.ORIGIN: _("Herkunftsgruppe"),
    Breakdown.GOAL_AREA: _("Zielbereich"),
    Breakdown.PROGRAMME: _("Förderprogramm"),
}
PERSON_BREAKDOWNS = (Breakdown.MUNICIPALITY, Breakdown.GENDER, Breakdown.AGE_BAND, Breakdown.ORIGIN)
WITH_PART_A = (CounsellingType.SIMPLE, CounsellingType.FULL)
ALL_TYPES = tuple(CounsellingType.values)

# Path from each source model to its case (for municipality, type and the period filter).
CASE_PATH = {Source.CASES: "", Source.GOALS: "case__", Source.CHILDREN: "competences__case__"}
FLOW_DATE = {Source.CASES: "first_contact_on", Source.GOALS: "agreed_on"}


@dataclass(frozen=True)
class Indicator:
    code: str
    title: Promise | str
    level: Level
    source: Source
    kind: Kind
    reference: Reference
    description: Promise | str
    numerator: Q | None = None  # over the source model; None = every row in the base
    denominator: Q | None = None  # shares only; None = every row in the base
    counselling_types: tuple[str, ...] = ALL_TYPES
    breakdowns: tuple[Breakdown, ...] = PERSON_BREAKDOWNS
    sensitive: bool = False  # health or disability: the stricter small-count threshold
    numerator_text: Promise | str = ""  # in words; "" = the description says it
    denominator_text: Promise | str = ""  # shares: in words
    measure: Measure | None = None  # funding indicators: which provider measure
    use_count: bool = False  # funding: the number of applications instead of the amount
    flow_date: str = ""  # flow indicators: the date field on the source (default per source, see FLOW_DATE)
    # Figures from the content of Part A / Part B count only cases with a valid statistics consent (the
    # purpose the client agreed to; a withdrawal stops the use from then on). Pure case counts by type are
    # a reporting obligation and count every case (one-off enquiries have no consent at all).
    consent_required: bool = True

    @property
    def date_field(self) -> str:
        return self.flow_date or FLOW_DATE.get(self.source, "")

    @property
    def threshold(self) -> int:
        """The smallest count shown, from the settings (read when the figures are made)."""
        return sensitive_threshold() if self.sensitive else default_threshold()

    @property
    def numerator_words(self) -> Promise | str:
        return self.numerator_text or self.description


# One object shared by all Part A shares: compute.count_pairs counts each distinct filter once.
PART_A = Q(competences__isnull=False)


def _certificate() -> Exists:
    # Correlated on the Part A row the share already joins: one index look-up per case.
    return Exists(GermanCourse.objects.filter(competences=OuterRef("competences"), certificate=True))


EMPLOYED = [LabourStatus.EMPLOYED_FULL_TIME, LabourStatus.EMPLOYED_PART_TIME, LabourStatus.MINIJOB]
_CASE_SHARE = {"source": Source.CASES, "kind": Kind.SHARE, "reference": Reference.STOCK, "level": Level.OUTCOME,
               "counselling_types": WITH_PART_A,
               "denominator_text": _("Laufende Fälle (einfache Beratung oder ausführliche Fallsteuerung) mit Teil A "
                                     "am Stichtag.")}


def _funding(code, title, description, measure, *, use_count=False) -> Indicator:
    return Indicator(code=code, title=title, description=description, level=Level.OUTPUT, source=Source.FUNDING,
                     consent_required=False,
                     kind=Kind.COUNT if use_count else Kind.AMOUNT, reference=Reference.FLOW, measure=measure,
                     use_count=use_count, counselling_types=(),
                     breakdowns=(Breakdown.MUNICIPALITY, Breakdown.PROGRAMME))


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="cases_open", title=_("Laufende Beratungsfälle"), level=Level.OUTPUT, source=Source.CASES,
        kind=Kind.COUNT, reference=Reference.STOCK, consent_required=False,
        description=_("Fälle mit Erstkontakt bis zum Stichtag, deren Beratung am Stichtag weder beendet noch über "
                      "die zulässige Dauer (drei Jahre, mit Verlängerung höchstens vier) hinaus war."),
    ),
    Indicator(
        code="cases_new", title=_("Neue Beratungsfälle"), level=Level.OUTPUT, source=Source.CASES,
        kind=Kind.COUNT, reference=Reference.FLOW, consent_required=False,
        description=_("Fälle mit Erstkontakt im Zeitraum."),
    ),
    Indicator(
        code="cases_full", title=_("Anteil ausführliche Fallsteuerung"), level=Level.OUTPUT, source=Source.CASES,
        kind=Kind.SHARE, reference=Reference.STOCK, numerator=Q(counselling_type=CounsellingType.FULL),
        consent_required=False, numerator_text=_("Laufende Fälle mit ausführlicher Fallsteuerung (Teil A und B)."),
        denominator_text=_("Alle laufenden Fälle am Stichtag."),
        description=_("Laufende Fälle mit ausführlicher Fallsteuerung (Teil A und B) unter allen laufenden Fällen."),
    ),
    Indicator(
        code="employed", numerator_text=_("Erwerbstätig in Voll- oder Teilzeit oder im Minijob."),
        title=_("Anteil mit Anstellungsverhältnis"),
        numerator=Q(competences__labour_status__in=EMPLOYED),
        denominator=PART_A, **_CASE_SHARE,
        description=_("Erwerbstätig in Voll- oder Teilzeit oder im Minijob, unter den laufenden Fällen mit Teil A "
                      "(Anhang 5: Integration in Arbeit)."),
    ),
    Indicator(
        code="work_training", numerator_text=_("Erwerbstätig, selbständig, in Ausbildung oder im Studium."),
        title=_("Anteil in Arbeit, Ausbildung oder Studium"),
        numerator=Q(competences__labour_status__in=list(IN_WORK_TRAINING_STUDIES)), denominator=PART_A,
        **_CASE_SHARE,
        description=_("Erwerbstätig, selbständig, in Ausbildung oder im Studium, unter den laufenden Fällen "
                      "mit Teil A."),
    ),
    Indicator(
        code="measure", numerator_text=_("In einer Maßnahme der Arbeitsmarktintegration."),
        title=_("Anteil in Qualifizierungs- oder Fördermaßnahmen"),
        numerator=Q(competences__labour_status=LabourStatus.MEASURE), denominator=PART_A, **_CASE_SHARE,
        description=_("In einer Maßnahme der Arbeitsmarktintegration, unter den laufenden Fällen mit Teil A "
                      "(Anhang 5: Weiterbildungen/Maßnahmen)."),
    ),
    Indicator(
        code="german_b1", numerator_text=_("Aktuelles Deutschniveau B1 oder höher (unbekannt zählt nicht)."),
        title=_("Anteil mit Deutsch B1 oder besser"),
        numerator=Q(competences__german_level__gte=GermanLevel.B1), denominator=PART_A, **_CASE_SHARE,
        description=_("Aktuelles Deutschniveau B1 oder höher, unter den laufenden Fällen mit Teil A (unbekannt "
                      "zählt als nicht erreicht)."),
    ),
    Indicator(
        code="german_certificate", numerator_text=_("Mindestens ein Deutschkurs mit Bescheinigung oder Zertifikat."),
        title=_("Anteil mit abgeschlossenem Deutschkurs"),
        numerator=Q(_certificate()), denominator=PART_A, **_CASE_SHARE,
        description=_("Mindestens ein Deutschkurs mit Bescheinigung oder Zertifikat, unter den laufenden Fällen "
                      "mit Teil A (Anhang 5: Spracherwerb)."),
    ),
    Indicator(
        code="own_flat", numerator_text=_("Eigene Wohnung mit eigenem Mietvertrag."),
        title=_("Anteil mit eigener Wohnung"),
        numerator=Q(competences__housing=Housing.OWN_FLAT), denominator=PART_A, **_CASE_SHARE,
        description=_("Eigene Wohnung mit eigenem Mietvertrag, unter den laufenden Fällen mit Teil A (Anhang 5: "
                      "gesicherter privater Wohnraum)."),
    ),
    Indicator(
        code="independent_living",
        numerator_text=_("Mindestens zwei von drei: Deutsch B1 oder besser, Arbeit/Ausbildung/Studium, eigene "
                         "Wohnung."),
        title=_("Anteil mit „eigenständigem Leben“"), numerator=independent_living_q(),
        denominator=PART_A, **_CASE_SHARE,
        description=_("Mindestens zwei von drei erfüllt: Deutsch B1 oder besser, in Arbeit/Ausbildung/Studium, "
                      "eigene Wohnung (Städtetag); unter den laufenden Fällen mit Teil A."),
    ),
    Indicator(
        code="children_care", title=_("Anteil der Kinder in Kita, Schule oder Ausbildung"), level=Level.OUTCOME,
        source=Source.CHILDREN, kind=Kind.SHARE, reference=Reference.STOCK, counselling_types=WITH_PART_A,
        numerator=Q(care__in=[ChildCare.KITA, ChildCare.SCHOOL, ChildCare.TRAINING]),
        breakdowns=(Breakdown.MUNICIPALITY,),
        numerator_text=_("Kinder, die eine Kita, Schule oder Ausbildung besuchen."),
        denominator_text=_("Kinder der laufenden Fälle mit Teil A am Stichtag."),
        description=_("Kinder der laufenden Fälle mit Teil A, die eine Kita, Schule oder Ausbildung besuchen "
                      "(Anhang 5: Integration in Schule und Kita)."),
    ),
    Indicator(
        code="goals_agreed", title=_("Vereinbarte Ziele"), level=Level.OUTPUT, source=Source.GOALS,
        kind=Kind.COUNT, reference=Reference.FLOW, counselling_types=WITH_PART_A,
        breakdowns=(Breakdown.MUNICIPALITY, Breakdown.GOAL_AREA),
        description=_("Zeilen der Zielvereinbarung (Teil B), vereinbart im Zeitraum."),
    ),
    Indicator(
        code="goals_achieved", title=_("Erreichte Ziele"), level=Level.OUTCOME, source=Source.GOALS,
        kind=Kind.COUNT, reference=Reference.FLOW, counselling_types=WITH_PART_A,
        numerator=Q(achieved=Achievement.YES), flow_date="achieved_changed_on",
        breakdowns=(Breakdown.MUNICIPALITY, Breakdown.GOAL_AREA),
        description=_("Ziele, die im Zeitraum als erreicht markiert wurden (Stand „ja“ seit einem Tag im Zeitraum)."),
    ),
    Indicator(
        code="health_goals", title=_("Vereinbarte Ziele im Bereich Gesundheit"), level=Level.OUTPUT,
        source=Source.GOALS, kind=Kind.COUNT, reference=Reference.FLOW, counselling_types=WITH_PART_A,
        numerator=Q(area=GoalArea.HEALTH), breakdowns=(Breakdown.MUNICIPALITY,), sensitive=True,
        description=_("Gesundheitsbezogene Ziele, vereinbart im Zeitraum; Gesundheitsdaten: es gilt die strengere "
                      "Schwelle für kleine Zahlen."),
    ),
    _funding("funds_approved", _("Bewilligte Fördermittel"), _("Bewilligte Beträge der im Zeitraum entschiedenen "
             "Anträge (bewilligt oder weiter), je Programm."), Measure.APPROVED),
    _funding("funded_projects", _("Geförderte Projekte"), _("Anzahl der im Zeitraum bewilligten Anträge."),
             Measure.APPROVED, use_count=True),
    _funding("funds_paid", _("Ausgezahlte Fördermittel"), _("Auszahlungen ausgeführter Zahlungsläufe im Zeitraum."),
             Measure.PAID),
    _funding("funds_settled", _("Abgerechnete Fördermittel"), _("Bei der Prüfung des Verwendungsnachweises im "
             "Zeitraum anerkannte Beträge: Bewilligung abzüglich der dabei festgesetzten Rückforderung."),
             Measure.SETTLED),
    _funding("funds_refunded", _("Zurückgeforderte Fördermittel"), _("Im Zeitraum festgesetzte Rückforderungen."),
             Measure.REFUNDED),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
if len(BY_CODE) != len(INDICATORS):  # pragma: no cover - a typo in the table above
    raise RuntimeError("indicator codes must be unique")


def get(code: str) -> Indicator:
    return BY_CODE[code]


def of_source(source: Source) -> list[Indicator]:
    return [indicator for indicator in INDICATORS if indicator.source == source]
