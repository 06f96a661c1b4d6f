"""Part A of the Integrationsplan: the competences (Kompetenzerfassung), one record per case.

Health, disability and residence status are special-category data (GDPR Art. 9) and are
encrypted at rest (django-fernet-encrypted-fields, keys from SECRET_KEY + SALT_KEY); they
cannot be filtered in the database. German level, labour status and housing are plain,
indexed choices because the indicators and "Eigenständiges Leben" are computed from them.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from .case_choices import (
    ChildCare,
    Gender,
    GermanCourseKind,
    GermanLevel,
    Housing,
    LabourStatus,
    LanguageLevel,
    MaritalStatus,
    Recognition,
    ResidenceStatus,
    YesNo,
)
from .cases import Case


def _yes_no(label):
    return models.BooleanField(label, null=True, blank=True)


def _recognition(label):
    return models.CharField(label, max_length=20, choices=Recognition.choices, blank=True)


class Competences(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="competences",
                                verbose_name=_("Fall"))
    # Personal situation (gender and birth year sit on the case: statistics need them for every type).
    marital_status = models.CharField(_("Familienstand"), max_length=20, choices=MaritalStatus.choices, blank=True)
    household_size = models.PositiveSmallIntegerField(_("Personen im Haushalt"), null=True, blank=True,
                                                      validators=[MinValueValidator(1), MaxValueValidator(30)])
    single_parent = _yes_no(_("alleinerziehend"))
    # Languages.
    first_language = models.CharField(_("Muttersprache"), max_length=100, blank=True)
    literate = _yes_no(_("alphabetisiert"))
    literate_latin = _yes_no(_("in lateinischer Schrift alphabetisiert"))
    german_level = models.PositiveSmallIntegerField(_("aktuelles Deutschniveau"), choices=GermanLevel.choices,
                                                    null=True, blank=True, db_index=True)
    # Schooling, vocational qualification, studies.
    school_attended = _yes_no(_("Schulbesuch"))
    school_years = models.PositiveSmallIntegerField(_("Schuljahre"), null=True, blank=True)
    school_degree = _yes_no(_("Schulabschluss"))
    school_degree_kind = models.CharField(_("Art des Schulabschlusses"), max_length=200, blank=True)
    documents_translated = _yes_no(_("Dokumente ins Deutsche übersetzt"))
    school_recognition = _recognition(_("Anerkennung Schulabschluss"))
    vocation = models.CharField(_("Beruf"), max_length=200, blank=True)
    work_experience_years = models.PositiveSmallIntegerField(_("Berufserfahrung in Jahren"), null=True, blank=True)
    vocational_certificate = _yes_no(_("Zertifikat über den Berufsabschluss"))
    vocational_recognition = _recognition(_("Anerkennung Berufsabschluss"))
    study_subject = models.CharField(_("Studienfach"), max_length=200, blank=True)
    study_years = models.PositiveSmallIntegerField(_("Studienjahre"), null=True, blank=True)
    study_degree = _yes_no(_("Studienabschluss"))
    study_recognition = _recognition(_("Anerkennung Studienabschluss"))
    recognition_body = models.CharField(_("Anerkennung in Bearbeitung bei"), max_length=200, blank=True)
    # Labour market.
    labour_status = models.CharField(_("Stellung am Arbeitsmarkt"), max_length=30, choices=LabourStatus.choices,
                                     blank=True, db_index=True)
    fixed_term = _yes_no(_("befristet"))
    job_title = models.CharField(_("Berufsbezeichnung"), max_length=200, blank=True)
    employer = models.CharField(_("Arbeitgeber"), max_length=200, blank=True)
    measure = models.CharField(_("Qualifizierungsmaßnahme"), max_length=200, blank=True)
    skill_areas = models.JSONField(_("besondere Kenntnisse"), default=list, blank=True,
                                   help_text=_("Werte aus SkillArea"))
    skills_other = models.CharField(_("weitere Kenntnisse"), max_length=200, blank=True)
    # Mobility.
    driving_licence = _yes_no(_("Führerschein"))
    licence_valid_in_germany = _yes_no(_("in Deutschland gültig"))
    car = _yes_no(_("Kfz vorhanden"))
    public_transport = _yes_no(_("Anschluss an öffentliche Verkehrsmittel"))
    monthly_ticket = _yes_no(_("Monatsfahrkarte"))
    # Housing ("eigene Wohnung" counts for "Eigenständiges Leben").
    housing = models.CharField(_("Wohnsituation"), max_length=20, choices=Housing.choices, blank=True,
                               db_index=True)
    # Special categories, encrypted at rest (null when empty: the field stores "" as NULL).
    residence_status = EncryptedCharField(_("aufenthaltsrechtlicher Status"), max_length=30,
                                          choices=ResidenceStatus.choices, null=True, blank=True)
    disability = EncryptedCharField(_("Behinderung"), max_length=5, choices=YesNo.choices, null=True, blank=True)
    disability_marks = EncryptedCharField(_("Merkzeichen"), max_length=50, null=True, blank=True)
    health_notes = EncryptedTextField(_("Gesundheit (Anmerkungen)"), null=True, blank=True)

    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Teil A: Kompetenzerfassung")
        verbose_name_plural = _("Teil A: Kompetenzerfassungen")

    def __str__(self):
        return _("Teil A zu %(case)s") % {"case": self.case}


class Child(models.Model):
    competences = models.ForeignKey(Competences, on_delete=models.CASCADE, related_name="children",
                                    verbose_name=_("Teil A"))
    gender = models.CharField(_("Geschlecht"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("Geburtsjahr"), null=True, blank=True)
    care = models.CharField(_("Kita / Schule / Ausbildung"), max_length=20, choices=ChildCare.choices,
                            default=ChildCare.NONE)
    extracurricular = models.BooleanField(_("außerschulische Angebote"), default=False)

    class Meta:
        verbose_name = _("Kind")
        verbose_name_plural = _("Kinder")
        ordering = ["birth_year", "pk"]

    def __str__(self):
        return f"{self.get_gender_display()} {self.birth_year or ''}".strip()


class LanguageSkill(models.Model):
    """Another language than German (German is ``Competences.german_level``)."""

    competences = models.ForeignKey(Competences, on_delete=models.CASCADE, related_name="languages",
                                    verbose_name=_("Teil A"))
    language = models.CharField(_("Sprache"), max_length=100)
    level = models.CharField(_("Niveau"), max_length=20, choices=LanguageLevel.choices)

    class Meta:
        verbose_name = _("weitere Sprache")
        verbose_name_plural = _("weitere Sprachen")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.language} ({self.get_level_display()})"


class GermanCourse(models.Model):
    competences = models.ForeignKey(Competences, on_delete=models.CASCADE, related_name="german_courses",
                                    verbose_name=_("Teil A"))
    kind = models.CharField(_("Kurs"), max_length=20, choices=GermanCourseKind.choices)
    certificate = models.BooleanField(_("Bescheinigung / Zertifikat"), default=False)
    current = models.BooleanField(_("aktuell besucht"), default=False)

    class Meta:
        verbose_name = _("Deutschkurs")
        verbose_name_plural = _("Deutschkurse")
        ordering = ["pk"]

    def __str__(self):
        return str(self.get_kind_display())
