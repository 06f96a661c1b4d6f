"""KERN markup for Django form controls.

``templates/includes/field.html`` writes the label, hint (``<id>-hint``) and error
(``<id>-error``) around ``{{ field }}``; the bound field below gives the control
its KERN class and points ``aria-describedby`` at exactly those ids, so screen
readers announce hint and error with the control.
"""

from django import forms
from django.forms.boundfield import BoundField


def _kern_class(widget, has_errors: bool) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "kern-form-check__checkbox" + (" kern-form-check__checkbox--error" if has_errors else "")
    if isinstance(widget, forms.Select):
        return "kern-form-input__select" + (" kern-form-input__select--error" if has_errors else "")
    if isinstance(widget, forms.HiddenInput):
        return ""
    return "kern-form-input__input" + (" kern-form-input__input--error" if has_errors else "")


class KernBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden:
            return attrs
        css = _kern_class(widget, bool(self.errors))
        attrs["class"] = " ".join(part for part in (attrs.get("class"), css) if part)
        described = []
        if self.help_text:
            described.append(f"{self.id_for_label}-hint")
        if self.errors:
            described.append(f"{self.id_for_label}-error")
        if described:
            attrs["aria-describedby"] = " ".join(described)
        else:
            attrs.pop("aria-describedby", None)
        return attrs


class KernFormMixin:
    bound_field_class = KernBoundField
    # No browser-side "required" bubbles: drafts may be incomplete, and our own
    # error summary explains every problem in German.
    use_required_attribute = False


class KernForm(KernFormMixin, forms.Form):
    pass


class DraftFormMixin:
    """Fields in ``needed_later`` show as required (no "optional" in the label) but a draft saves without them.

    Whether they are really there is checked on submission, by the grants services, which
    name what is missing in plain German.
    """

    needed_later: tuple[str, ...] = ()

    def full_clean(self):
        required = {name: self.fields[name].required for name in self.needed_later if name in self.fields}
        for name in required:
            self.fields[name].required = False
        try:
            super().full_clean()
        finally:
            for name, value in required.items():
                self.fields[name].required = value


def unbound_copy(form, **kwargs):
    """The same form class, unbound, showing what was posted: re-render without error messages."""
    initial = {name: form[name].data for name in form.fields}
    return type(form)(initial=initial, **kwargs)


class KernModelForm(KernFormMixin, forms.ModelForm):
    pass


def date_widget() -> forms.DateInput:
    # ISO format is what <input type="date"> sends and expects.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money_field(label, *, required: bool = False, help_text: str = "") -> forms.DecimalField:
    """Euro amount typed the German way (1.234,56) or with a dot (1234.56)."""
    return forms.DecimalField(
        label=label, required=required, help_text=help_text, max_digits=12, decimal_places=2,
        min_value=0, localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
