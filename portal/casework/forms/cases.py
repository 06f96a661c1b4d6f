"""The frame data (Rahmendaten) of a plan, new and edited, and the case list's search form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from integration_core.cases.parts import required_parts
from integration_core.models import Case, CounsellingType, Municipality
from portal.forms.kern import KernForm

from .base import ServiceModelForm

FRAME_FIELDS = (
    "first_name", "last_name", "birth_date", "birth_year", "gender", "country_of_origin",
    "phone", "email", "address",
    "municipality", "counselling_type", "first_contact_on", "referral", "referral_other", "agreement_signed_on",
    "notes",
)
# Shown as fieldsets, in this order (template: casework/includes/frame_fields.html).
FRAME_GROUPS = (
    ("person", _("Person"), ("first_name", "last_name", "birth_date", "birth_year", "gender", "country_of_origin")),
    ("kontakt", _("Kontakt"), ("phone", "email", "address")),
    ("rahmen", _("Rahmendaten"), ("municipality", "counselling_type", "first_contact_on", "referral",
                                  "referral_other", "agreement_signed_on")),
    ("notizen", _("Notizen"), ("notes",)),
)


def counselling_type_choices():
    """Each type with the parts it requires, so the choice says what the plan will ask for."""
    choices = []
    for value, label in CounsellingType.choices:
        parts = " + ".join(part.label for part in required_parts(value))
        choices.append((value, f"{label} ({parts})"))
    return choices


class FrameForm(ServiceModelForm):
    # The frame check (missing_parts) asks for these for every type; a plan can be started without them.
    needed_later = ("gender", "birth_year")

    class Meta:
        model = Case
        fields = FRAME_FIELDS
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "birth_year": _("Genügt, wenn das Geburtsdatum nicht bekannt ist; sonst wird es aus dem Datum "
                            "übernommen."),
            "notes": _("Keine Gesundheitsangaben hier: dafür gibt es in Teil A eigene, verschlüsselte Felder."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["counselling_type"] = forms.ChoiceField(
            label=Case._meta.get_field("counselling_type").verbose_name,
            choices=counselling_type_choices(), widget=forms.RadioSelect,
            help_text=_("Die Art bestimmt, welche Teile des Integrationsplans auszufüllen sind. Eine Änderung "
                        "blendet die Teile nach dem Speichern ein oder aus."),
        )
        self.fields["birth_year"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["country_of_origin"].widget.attrs.update({"size": 4, "autocomplete": "off"})

    def clean_country_of_origin(self):
        return (self.cleaned_data.get("country_of_origin") or "").strip().upper()

    def groups(self):
        """(id, legend, bound fields) per fieldset, for the template."""
        return [(key, legend, [self[name] for name in names if name in self.fields])
                for key, legend, names in FRAME_GROUPS]

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in FRAME_FIELDS if name in self.cleaned_data}


class CaseCreateForm(FrameForm):
    """The frame plus who holds the case: the provider (if the user works for several) and, for a lead,
    the case worker."""

    def __init__(self, *args, providers, case_workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.providers = list(providers)
        if len(self.providers) > 1:
            self.fields["provider"] = forms.TypedChoiceField(
                label=_("Träger"), coerce=int, choices=[("", _("Bitte wählen"))]
                + [(p.pk, p.name) for p in self.providers],
            )
        if case_workers:
            self.fields["case_worker"] = forms.TypedChoiceField(
                label=_("Integrationsmanager:in"), coerce=int, required=False,
                choices=[("", _("ich selbst"))] + [(u.pk, u.get_full_name() or u.email) for u in case_workers],
                help_text=_("Als Fallleitung können Sie den Fall einer Person Ihres Trägers zuordnen."),
            )
        self.order_fields([name for name in ("provider", "case_worker") if name in self.fields])

    def provider_id(self) -> int:
        return self.cleaned_data.get("provider") or self.providers[0].pk

    def case_worker_id(self) -> int | None:
        return self.cleaned_data.get("case_worker") or None


STATUS_OPEN = "offen"
STATUS_ENDING = "endet_bald"
STATUS_PAST_END = "abgelaufen"
STATUS_ENDED = "beendet"


class CaseSearchForm(KernForm):
    """GET form of the case list; every field optional, an invalid value is ignored."""

    q = forms.CharField(label=_("Name oder Nummer"), required=False, max_length=100,
                        help_text=_("z. B. „Amani“ oder „IP-000042“"))
    counselling_type = forms.ChoiceField(label=_("Art der Beratung"), required=False,
                                         choices=[("", _("alle")), *list(CounsellingType.choices)])
    status = forms.ChoiceField(label=_("Stand"), required=False, choices=[
        ("", _("alle")),
        (STATUS_OPEN, _("laufend")),
        (STATUS_ENDING, _("endet in den nächsten 60 Tagen")),
        (STATUS_PAST_END, _("Höchstdauer überschritten")),
        (STATUS_ENDED, _("beendet")),
    ])
