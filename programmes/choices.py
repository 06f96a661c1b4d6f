"""Vocabulary of programme settings; shared by programmes and applications."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    MUNICIPALITY = "municipality", _("Kreiskommune")
    MIGRANT_ORGANISATION = "migrant_organisation", _("Migrantenselbstorganisation")
    ASSOCIATION = "association", _("Verein")
    LOCAL_NETWORK = "local_network", _("Lokales Netzwerk")
    # Verbund of municipalities (e.g. a Verwaltungsgemeinschaft): its population is the sum of its members'.
    MUNICIPAL_ASSOCIATION = "municipal_association", _("Kommunaler Verbund")


class ActivityType(models.TextChoices):
    PROJECT = "project", _("Projekt")
    TALK = "talk", _("Vortrag")
    TRAINING = "training", _("Fortbildung")
    EXCURSION = "excursion", _("Exkursion")
    ORGANISATIONAL_DEVELOPMENT = "org_development", _("Organisationsentwicklung")
    ENCOUNTER = "encounter", _("Begegnungsveranstaltung")
    SUPERVISION = "supervision", _("Supervision")


class FundingField(models.TextChoices):
    INTEGRATION = "integration", _("Integration")
    INTERCULTURAL_OPENING = "intercultural_opening", _("Interkulturelle Öffnung")
    ANTI_RACISM = "anti_racism", _("Antirassismus und Antidiskriminierung")


class FinancingType(models.TextChoices):
    FIXED = "fixed", _("Festbetragsfinanzierung")
    SHARE = "share", _("Anteilfinanzierung")
    DEFICIT = "deficit", _("Fehlbedarfsfinanzierung")


class PayoutMode(models.TextChoices):
    FULL_ON_APPROVAL = "full_on_approval", _("Vollständige Auszahlung nach Bewilligung")
    CALL_OFF = "call_off", _("Auszahlung nach Mittelabruf")


class SettlementForm(models.TextChoices):
    SIMPLE = "simple", _("Einfacher Verwendungsnachweis (Sachbericht und Kostenübersicht)")
    FULL = "full", _("Verwendungsnachweis mit Belegliste")


class CostKind(models.TextChoices):
    """Kind of a cost line; a programme may fund personnel costs only (Programme.personnel_costs_only)."""

    PERSONNEL = "personnel", _("Personalkosten")
    MATERIAL = "material", _("Sachkosten")


class AllocationMethod(models.TextChoices):
    """How a programme decides amounts: per application, or by sharing a fixed pot by formula."""

    INDIVIDUAL = "individual", _("Einzelförderung (beantragter Betrag)")
    FORMULA = "formula", _("Formelzuweisung (fester Topf nach Einwohnerzahl)")


class RemainderUse(models.TextChoices):
    """What happens to the shares of ineligible applicants in a formula allocation."""

    RESHARE = "reshare", _("unter den Förderfähigen neu verteilen")
    KEEP = "keep", _("beim Landkreis belassen (kreisweites Angebot)")


class DecidingBody(models.TextChoices):
    """Who decides an application of a given amount (programmes.rules.deciding_body)."""

    STAFF = "staff", _("Sachbearbeitung")
    HEAD = "head", _("Amtsleitung")
    COMMITTEE = "committee", _("Ausschuss")
