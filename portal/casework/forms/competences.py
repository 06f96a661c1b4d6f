"""Part A of the plan (Kompetenzerfassung): one form in fieldsets per area, plus rows for children,
other languages and German courses, as on the Singen template (Anhang 3).

Row formsets work without JavaScript: the page always carries a few empty rows; an untouched
empty row is ignored, a row marked "entfernen" is dropped (the service replaces the rows).
"""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from integration_core.cases.parts import PART_A_REQUIRED
from integration_core.models import Child, Competences, GermanCourseKind, LanguageSkill, SkillArea

from .base import ServiceModelForm

SPECIAL_CATEGORY_HINT = _("Besondere Kategorie personenbezogener Daten (Art. 9 DSGVO): verschlüsselt gespeichert. "
                          "Nur erfassen, was für die Beratung nötig ist und wozu die Einwilligung vorliegt.")

# (id, legend, fields, special category?) — the areas of the template, in its order.
PART_A_GROUPS = (
    ("haushalt", _("Person und Haushalt"), ("marital_status", "household_size", "single_parent"), False),
    ("sprachen", _("Sprachen und Deutschkenntnisse"),
     ("first_language", "literate", "literate_latin", "german_level"), False),
    ("schule", _("Schulbildung"), ("school_attended", "school_years", "school_degree", "school_degree_kind",
                                   "documents_translated", "school_recognition"), False),
    ("beruf", _("Berufsabschluss"), ("vocation", "work_experience_years", "vocational_certificate",
                                     "vocational_recognition"), False),
    ("studium", _("Studium"), ("study_subject", "study_years", "study_degree", "study_recognition",
                               "recognition_body"), False),
    ("arbeit", _("Arbeit und Ausbildung"), ("labour_status", "fixed_term", "job_title", "employer", "measure"),
     False),
    ("kenntnisse", _("Besondere Kenntnisse"), ("skill_areas", "skills_other"), False),
    ("mobilitaet", _("Mobilität"), ("driving_licence", "licence_valid_in_germany", "car", "public_transport",
                                    "monthly_ticket"), False),
    ("wohnen", _("Wohnen"), ("housing",), False),
    ("aufenthalt", _("Aufenthaltsrechtlicher Status"), ("residence_status",), True),
    ("gesundheit", _("Gesundheit und Behinderung"), ("disability", "disability_marks", "health_notes"), True),
)
PART_A_FIELDS = tuple(name for _key, _legend, names, _special in PART_A_GROUPS for name in names)
COURSE_FLAGS = ("attended", "certificate", "current")


class CompetencesForm(ServiceModelForm):
    needed_later = tuple(PART_A_REQUIRED)

    skill_areas = forms.MultipleChoiceField(
        label=_("Bereiche"), choices=SkillArea.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Competences
        fields = PART_A_FIELDS
        widgets = {"health_notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "recognition_body": _("Stelle, bei der ein Anerkennungsverfahren (Schule, Beruf, Studium) läuft."),
            "housing": _("„Eigene Wohnung“ zählt für „Eigenständiges Leben“."),
            "german_level": _("B1 oder besser zählt für „Eigenständiges Leben“."),
            "disability_marks": _("z. B. G, aG, B, H, RF, Bl, Gl"),
        }

    def __init__(self, *args, courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["labour_status"].help_text = _("Arbeit, Ausbildung oder Studium zählen für „Eigenständiges "
                                                   "Leben“.")
        # One row per course kind, as on the paper form: attended, certificate, attending now.
        taken = {course.kind: course for course in courses}
        for kind, label in GermanCourseKind.choices:
            course = taken.get(kind)
            flags = {
                "attended": (_("besucht"), course is not None),
                "certificate": (_("Bescheinigung / Zertifikat"), bool(course and course.certificate)),
                "current": (_("aktuell besucht"), bool(course and course.current)),
            }
            for flag, (flag_label, initial) in flags.items():
                self.fields[f"course_{kind}_{flag}"] = forms.BooleanField(
                    label=f"{label}: {flag_label}", required=False, initial=initial,
                )

    def groups(self):
        return [(key, legend, [self[name] for name in names], special)
                for key, legend, names, special in PART_A_GROUPS]

    def course_rows(self):
        return [(label, [self[f"course_{kind}_{flag}"] for flag in COURSE_FLAGS])
                for kind, label in GermanCourseKind.choices]

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PART_A_FIELDS}

    def german_courses(self) -> list[dict]:
        """A course counts as attended when any of its boxes is ticked."""
        rows = []
        for kind, _label in GermanCourseKind.choices:
            flags = {flag: self.cleaned_data.get(f"course_{kind}_{flag}") for flag in COURSE_FLAGS}
            if any(flags.values()):
                rows.append({"kind": kind, "certificate": bool(flags["certificate"]),
                             "current": bool(flags["current"])})
        return rows


class ChildForm(ServiceModelForm):
    class Meta:
        model = Child
        fields = ("gender", "birth_year", "care", "extracurricular")


class LanguageForm(ServiceModelForm):
    class Meta:
        model = LanguageSkill
        fields = ("language", "level")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An empty extra row may stay empty; a started row needs both (checked in clean).
        self.fields["language"].required = False
        self.fields["level"].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("language") and not cleaned.get("level"):
            self.add_error("level", _("Bitte geben Sie das Niveau an."))
        if cleaned.get("level") and not cleaned.get("language"):
            self.add_error("language", _("Bitte geben Sie die Sprache an."))
        return cleaned


MAX_ROWS = 10
ChildFormSet = formset_factory(ChildForm, extra=2, can_delete=True, max_num=MAX_ROWS, validate_max=True)
LanguageFormSet = formset_factory(LanguageForm, extra=2, can_delete=True, max_num=MAX_ROWS, validate_max=True)


def child_formset(data=None, children=()):
    initial = [{"gender": c.gender, "birth_year": c.birth_year, "care": c.care,
                "extracurricular": c.extracurricular} for c in children]
    return ChildFormSet(data, initial=initial, prefix="kinder")


def language_formset(data=None, languages=()):
    initial = [{"language": s.language, "level": s.level} for s in languages]
    return LanguageFormSet(data, initial=initial, prefix="sprachen")


def formset_rows(formset, fields) -> list[dict]:
    """The kept rows of a valid formset as dicts for the service (empty and removed rows dropped)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and form.empty_permitted:
            continue
        if form.cleaned_data.get("DELETE"):
            continue
        row = {name: form.cleaned_data.get(name) for name in fields}
        if any(value not in (None, "", False) for value in row.values()):
            rows.append(row)
    return rows


def children_rows(formset) -> list[dict]:
    return formset_rows(formset, ChildForm.Meta.fields)


def language_rows(formset) -> list[dict]:
    return formset_rows(formset, LanguageForm.Meta.fields)
