"""What the case-work forms share: model fields for labels and choices, services for the writes.

The forms take their fields from the integration_core models (one source for labels, choices,
lengths) but never save: the views hand ``cleaned_data`` to the services, which check the
rules and the permission. ``_post_clean`` is switched off so no model instance is touched.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms.kern import DraftFormMixin, KernForm, KernModelForm, date_widget

BLANK_LABEL = _("– keine Angabe –")
NULL_BOOLEAN_CHOICES = [("unknown", _("keine Angabe")), ("true", _("ja")), ("false", _("nein"))]


class ServiceModelForm(DraftFormMixin, KernModelForm):
    """A ModelForm as a field source only: validates the fields, never builds or saves the instance.

    ``needed_later``: fields shown as required (no "optional") that may still be saved empty;
    the plan check (integration_core.cases.parts.missing_parts) names them while they are missing.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.needed_later:
                field.required = True
            tidy_field(field)

    def _post_clean(self):
        # The services validate and write; the instance stays as it was loaded.
        pass


class CaseworkForm(KernForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            tidy_field(field)


def tidy_field(field) -> None:
    """German prompts instead of Django's "---------", ISO date inputs, three-way yes/no selects."""
    prompt = _("Bitte wählen") if field.required else BLANK_LABEL
    if isinstance(field, forms.NullBooleanField):
        field.widget = forms.NullBooleanSelect()
        field.widget.choices = NULL_BOOLEAN_CHOICES
    elif isinstance(field, forms.DateField):
        field.widget = date_widget()
    elif isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = prompt
    elif isinstance(field, forms.ChoiceField) and not isinstance(field.widget, forms.RadioSelect):
        choices = list(field.choices)
        if choices and choices[0][0] in ("", None):
            field.choices = [("", prompt), *choices[1:]]
