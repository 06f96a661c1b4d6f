from django import forms
from django.db import models


class MultipleChoiceField(models.JSONField):
    """A list of choice values stored as JSON, edited as checkboxes.

    Works on SQLite and PostgreSQL alike (no ArrayField), and Wagtail's model
    forms render it as a group of checkboxes with a legend.
    """

    def __init__(self, *args, choices_class=None, **kwargs):
        self.choices_class = choices_class
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_class"] = self.choices_class
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choices_class.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = set(self.choices_class.values)
        unknown = [v for v in value or [] if v not in allowed]
        if unknown:
            from django.core.exceptions import ValidationError

            raise ValidationError(f"Unbekannte Werte: {', '.join(map(str, unknown))}")
