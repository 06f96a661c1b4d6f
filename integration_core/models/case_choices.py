"""The choice lists of the Integrationsplan (Singen template, Anhang 3), in one module.

German labels as on the paper form; values are stable English slugs (they are stored).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    DISTRICT = "district", _("Landkreis")
    MUNICIPALITY = "municipality", _("Kommune")
    WELFARE = "welfare", _("Wohlfahrtsverband")


class ProviderRole(models.TextChoices):
    CASE_WORKER = "case_worker", _("Integrationsmanager:in")
    LEAD = "lead", _("Fallleitung")


class CounsellingType(models.TextChoices):
    ONE_OFF = "one_off", _("Einmalige Anfrage")
    SIMPLE = "simple", _("Einfache Beratung")
    FULL = "full", _("Ausführliche Fallsteuerung")


class Referral(models.TextChoices):
    AUTHORITY = "authority", _("Zuweisung durch Behörde")
    HANDOVER_WITH_PLAN = "handover_with_plan", _("Übergabe durch IntMan mit Integrationsplan")
    HANDOVER_WITHOUT_PLAN = "handover_without_plan", _("Übergabe durch IntMan ohne Integrationsplan")
    OWN_INITIATIVE = "own_initiative", _("Eigeninitiative")
    OTHER = "other", _("Sonstiges")


class EndReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("Ziele erreicht")
    NO_FURTHER_NEED = "no_further_need", _("Kein weiterer Beratungsbedarf")
    ABORTED = "aborted", _("Abbruch / kam nicht zustande")
    LEFT_COUNTRY = "left_country", _("Ausreise")
    MOVED_AWAY = "moved_away", _("Wegzug aus dem Landkreis")
    HANDED_OVER = "handed_over", _("Übergabe an andere Stelle")
    MAX_DURATION = "max_duration", _("Höchstdauer erreicht")
    OTHER = "other", _("Sonstiges")


class Gender(models.TextChoices):
    FEMALE = "w", _("weiblich")
    MALE = "m", _("männlich")
    DIVERSE = "d", _("divers")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("ledig")
    MARRIED = "married", _("verheiratet / eingetragene Partnerschaft")
    SEPARATED = "separated", _("getrennt lebend / geschieden")
    WIDOWED = "widowed", _("verwitwet")


class GermanLevel(models.IntegerChoices):
    """Ordered: stored as an integer so "B1 or better" is ``german_level__gte=GermanLevel.B1``."""

    BELOW_A1 = 0, _("unter A1")
    A1 = 1, "A1"
    A2 = 2, "A2"
    B1 = 3, "B1"
    B2 = 4, "B2"
    C1 = 5, "C1"
    C2 = 6, "C2"


class LanguageLevel(models.TextChoices):
    BASIC = "basic", _("rudimentär")
    FLUENT = "fluent", _("fließend")
    PROFICIENT = "proficient", _("verhandlungssicher")


class GermanCourseKind(models.TextChoices):
    STATE = "state", _("Sprachkurs (FlüAG + VwV)")
    JOB_ORIENTED = "job_oriented", _("Berufsorientierter Sprachkurs")
    BAMF_INTEGRATION = "bamf_integration", _("BAMF-Integrationskurs")
    ESF_BAMF = "esf_bamf", _("Berufsbezogener Kurs ESF-BAMF")
    OTHER = "other", _("Anderer Kurs")


class ChildCare(models.TextChoices):
    NONE = "none", _("keine Betreuung")
    KITA = "kita", _("Kita")
    SCHOOL = "school", _("Schule")
    TRAINING = "training", _("Ausbildung")
    OTHER = "other", _("Sonstiges")


class Recognition(models.TextChoices):
    NOT_STARTED = "not_started", _("kein Verfahren eingeleitet")
    COUNSELLING = "counselling", _("aktuell in Beratung")
    IN_PROGRESS = "in_progress", _("Verfahren läuft")
    RECOGNISED = "recognised", _("anerkannt")
    PARTIAL = "partial", _("teilweise anerkannt")
    REFUSED = "refused", _("nicht anerkannt")


class LabourStatus(models.TextChoices):
    EMPLOYED_FULL_TIME = "employed_full_time", _("erwerbstätig in Vollzeit")
    EMPLOYED_PART_TIME = "employed_part_time", _("erwerbstätig in Teilzeit")
    MINIJOB = "minijob", _("Minijob")
    SELF_EMPLOYED = "self_employed", _("selbständig")
    VOCATIONAL_TRAINING = "vocational_training", _("betriebliche Ausbildung")
    SCHOOL_TRAINING = "school_training", _("schulische Ausbildung")
    STUDIES = "studies", _("Studium")
    MEASURE = "measure", _("Qualifizierungs- oder Fördermaßnahme")
    LANGUAGE_COURSE = "language_course", _("im Sprachkurs")
    SCHOOL = "school", _("Schulbesuch")
    UNEMPLOYED = "unemployed", _("arbeitslos / arbeitsuchend")
    NOT_AVAILABLE = "not_available", _("nicht verfügbar (Elternzeit, Pflege, Krankheit)")
    OTHER = "other", _("Sonstiges")


# "In Arbeit, Ausbildung oder Studium" for "Eigenständiges Leben" and the employment indicators.
IN_WORK_TRAINING_STUDIES = (
    LabourStatus.EMPLOYED_FULL_TIME, LabourStatus.EMPLOYED_PART_TIME, LabourStatus.MINIJOB,
    LabourStatus.SELF_EMPLOYED, LabourStatus.VOCATIONAL_TRAINING, LabourStatus.SCHOOL_TRAINING,
    LabourStatus.STUDIES,
)


class SkillArea(models.TextChoices):
    IT = "it", _("EDV")
    TECHNICAL = "technical", _("technisch")
    COMMERCIAL = "commercial", _("kaufmännisch")
    SERVICE = "service", _("Service / Dienstleistung")
    AGRICULTURE = "agriculture", _("Landwirtschaft")
    CARE = "care", _("Gesundheit / Krankenpflege")
    ARTS = "arts", _("künstlerisch")
    CRAFTS = "crafts", _("handwerklich")


class Housing(models.TextChoices):
    OWN_FLAT = "own_flat", _("eigene Wohnung (eigener Mietvertrag)")
    FOLLOW_UP = "follow_up", _("Anschlussunterbringung")
    SHARED = "shared", _("Gemeinschaftsunterkunft")
    WITH_OTHERS = "with_others", _("bei Familie oder Bekannten")
    HOMELESS = "homeless", _("wohnungslos")
    OTHER = "other", _("Sonstiges")


class ResidenceStatus(models.TextChoices):
    PERMISSION_TO_STAY = "gestattung", _("Aufenthaltsgestattung (Asylverfahren)")
    TOLERATION = "duldung", _("Duldung")
    HUMANITARIAN = "humanitarian", _("Aufenthaltserlaubnis aus humanitären Gründen")
    TEMPORARY_PROTECTION = "temporary_protection", _("vorübergehender Schutz (§ 24 AufenthG)")
    OTHER_PERMIT = "other_permit", _("andere Aufenthaltserlaubnis")
    SETTLEMENT = "settlement", _("Niederlassungserlaubnis")
    EU = "eu", _("EU-Freizügigkeit")
    NATURALISED = "naturalised", _("eingebürgert")
    OTHER = "other", _("Sonstiges")


class YesNo(models.TextChoices):
    YES = "yes", _("ja")
    NO = "no", _("nein")


class GoalArea(models.TextChoices):
    LANGUAGE = "language", _("Sprache")
    WORK = "work", _("Arbeit")
    TRAINING = "training", _("Ausbildung und Qualifizierung")
    HOUSING = "housing", _("Wohnen")
    HEALTH = "health", _("Gesundheit")
    FAMILY = "family", _("Familie, Kita und Schule")
    PARTICIPATION = "participation", _("Soziale Teilhabe")
    OTHER = "other", _("Sonstiges")


class Achievement(models.TextChoices):
    YES = "yes", _("ja")
    NO = "no", _("nein")
    PARTLY = "partly", _("zum Teil")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")


class PlanStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("befindet sich in der Umsetzung")
    ABORTED = "aborted", _("kam nicht zustande / Abbruch")
    LEFT_COUNTRY = "left_country", _("Ausreise")
    NO_FURTHER_NEED = "no_further_need", _("kein weiterer Bedarf an Beratungsleistungen")


class ConsentPurposeKind(models.TextChoices):
    COUNSELLING = "counselling", _("Beratung und Dokumentation im Integrationsmanagement")
    HANDOVER = "handover", _("Übergabe an eine andere Stelle")
    DATA_EXCHANGE = "data_exchange", _("Austausch mit einer benannten Stelle")
    STATISTICS = "statistics", _("Verwendung in der Statistik")


class ReadPurpose(models.TextChoices):
    """Why a case was read (the read log stores the code, the log screens show the label)."""

    CASE_VIEW = "case_view", _("Fallansicht")
    FRAME_EDIT = "frame_edit", _("Rahmendaten bearbeiten")
    PART_A_EDIT = "part_a_edit", _("Teil A bearbeiten")
    CONSENT_RECORD = "consent_record", _("Einwilligung erfassen")
    CONSENT_WITHDRAW = "consent_withdraw", _("Widerruf erfassen")
    # Who may read cases: an entry without a case, naming the provider and the person (integration_core.cases.staff).
    ACCESS_GRANTED = "access_granted", _("Fallzugriff erteilt")
    ACCESS_REVOKED = "access_revoked", _("Fallzugriff entzogen")
    # Cases shown in a list (one row per case on the page), and rows of the pseudonymised extract.
    CASE_LIST = "case_list", _("Fallliste")
    CASE_SEARCH = "case_search", _("Fallsuche")
    STATISTICS_EXTRACT = "statistics_extract", _("Statistikauszug")
