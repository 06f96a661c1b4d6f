"""Admin views and columns of the programmes app: the budget overview (Haushalt).

The overview lists every programme's budget per year with committed, paid,
refunded and remaining, computed by the database in one query for the table.
"""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import DecimalField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.forms.widgets import MoneyWidget
from djmoney.money import Money
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from .fields import MultipleChoiceField
from .models import BaseRate, Programme, ProgrammeBudget
from .rules import format_eur
from .terms import (
    MONEY_TERMS,
    may_change_money_terms,
    record_budget_change,
    record_programme_changes,
    terms_snapshot,
)


class MoneyColumn(Column):
    """Money (or a Decimal in euros) in German format, 3.000,00 €, right-aligned."""

    def __init__(self, name, **kwargs):
        kwargs.setdefault("classname", "w-text-right")
        super().__init__(name, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        if value is None:
            context["value"] = "–"
        else:
            context["value"] = format_eur(value if isinstance(value, Money) else Money(value, "EUR"))
        return context


def _budget_years():
    this_year = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this_year + 2, 2019, -1)]


class BudgetFilterSet(WagtailFilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Förderprogramm"), queryset=Programme.objects.order_by("name"), empty_label=_("Alle")
    )
    year = django_filters.ChoiceFilter(
        label=_("Haushaltsjahr"), choices=_budget_years, empty_label=_("Alle"), widget=forms.RadioSelect
    )

    class Meta:
        model = ProgrammeBudget
        fields = ["programme", "year"]


class EuroWidget(MoneyWidget):
    """Amount input only (the currency is always EUR), labelled by the field's own label."""

    def __init__(self, attrs=None):
        super().__init__(
            amount_widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
            currency_widget=forms.HiddenInput, default_currency="EUR", attrs=attrs,
        )

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """Checkboxes inside a fieldset whose legend names the group (screen readers announce it)."""

    template_name = "programmes/admin/checkbox_group.html"

    def __init__(self, legend, attrs=None, choices=()):
        super().__init__(attrs=attrs, choices=choices)
        self.legend = legend

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["legend"] = self.legend
        return context


class AccessibleFieldsMixin:
    """Replaces the money and checkbox widgets of the model form with accessible ones."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, MoneyWidget):
                field.widget = EuroWidget()
            elif isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget = CheckboxGroup(legend=field.label, choices=field.choices)


REASON_LABEL = _("Begründung der Änderung")
REASON_HELP = _("Pflicht, wenn Sie Beträge, Grenzen, Obergrenzen, die Kofinanzierung, die Finanzierungsart, die "
                "Auszahlung oder den Haushaltsansatz ändern. Die Begründung steht im Programmprotokoll.")
LOCKED_HELP = _("Nur die Amtsleitung oder die Administration kann diese Einstellung ändern.")


def reason_field():
    return forms.CharField(label=REASON_LABEL, required=False, max_length=2000, help_text=REASON_HELP,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ProgrammeForm(AccessibleFieldsMixin, WagtailAdminModelForm):
    """The programme's settings; the money-deciding ones (programmes.terms) only for head of unit and admins.

    For anyone else they are shown but disabled (a disabled field ignores what is posted for it). A change of
    any of them needs a reason and is written to the programme log in the same transaction as the save.
    """

    # Settings with a default that older forms (and scripts posting them) may leave out: empty keeps the default.
    DEFAULTED = ("cap_period_months", "allocation_method", "remainder_use", "committee_name")

    change_reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.DEFAULTED:
            if name in self.fields:
                self.fields[name].required = False
        self.terms_before = terms_snapshot(self.instance) if self.instance.pk else None
        self.money_locked = not may_change_money_terms(self.for_user)
        if self.money_locked:
            for name in MONEY_TERMS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = LOCKED_HELP

    def _default(self, name):
        return self.cleaned_data.get(name) or Programme._meta.get_field(name).default

    def clean_cap_period_months(self):
        return self._default("cap_period_months")

    def clean_allocation_method(self):
        return self._default("allocation_method")

    def clean_remainder_use(self):
        return self._default("remainder_use")

    def clean_committee_name(self):
        return (self.cleaned_data.get("committee_name") or "").strip() or Programme._meta.get_field(
            "committee_name").default

    def clean(self):
        cleaned = super().clean()
        changed = [name for name in MONEY_TERMS if name in self.changed_data]
        if changed and self.money_locked:
            raise forms.ValidationError(LOCKED_HELP)
        if changed and self.instance.pk and not (cleaned.get("change_reason") or "").strip():
            self.add_error("change_reason", _("Begründen Sie die Änderung; sie steht im Programmprotokoll."))
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if commit and self.terms_before is not None:
            record_programme_changes(user=self.for_user, programme=instance, before=self.terms_before,
                                     reason=self.cleaned_data.get("change_reason", ""))
        return instance


class BudgetForm(AccessibleFieldsMixin, WagtailAdminModelForm):
    """Edits only the plan figure; the running totals belong to the services. Each new figure with a reason."""

    EDITABLE = ["amount", "amount_currency"]

    change_reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.amount_before = self.instance.amount if self.instance.pk else None
        if self.instance.pk:
            # Bookings belong to this programme and year: an existing budget cannot move.
            for name in ("programme", "year"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Kann nach dem Anlegen nicht mehr geändert werden.")

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("amount")
        if not may_change_money_terms(self.for_user):
            raise forms.ValidationError(_("Haushaltsansätze legen nur die Amtsleitung oder die Administration fest."))
        if (not self.instance.pk or "amount" in self.changed_data) and not (cleaned.get("change_reason") or "").strip():
            self.add_error("change_reason", _("Begründen Sie den Haushaltsansatz; die Begründung steht im "
                                              "Programmprotokoll."))
        if self.instance.pk and amount is not None:
            # Current totals, not the ones loaded with the form: approvals may have run meanwhile.
            current = ProgrammeBudget.objects.filter(pk=self.instance.pk).values("committed", "refunded").first()
            if current and amount.amount + current["refunded"] < current["committed"]:
                self.add_error("amount", _(
                    "Der Haushaltsansatz darf nicht unter den bereits gebundenen Mitteln abzüglich "
                    "Rückzahlungen liegen (%(bound)s)."
                ) % {"bound": format_eur(Money(current["committed"] - current["refunded"], "EUR"))})
        return cleaned

    def save(self, commit=True):
        if not commit:
            return super().save(commit=commit)
        if self.instance.pk:
            # Never write committed/paid/refunded from a form: that would undo concurrent bookings.
            instance = super().save(commit=False)
            instance.save(update_fields=self.EDITABLE)
        else:
            instance = super().save(commit=True)
        record_budget_change(user=self.for_user, budget=instance, old_amount=self.amount_before,
                             reason=self.cleaned_data.get("change_reason", ""))
        return instance


class BaseRateForm(WagtailAdminModelForm):
    """A base rate with a German decimal comma (−0,88) and a German message for a date already taken."""

    rate = forms.DecimalField(
        label=_("Basiszinssatz (Prozent)"), max_digits=5, decimal_places=2, localize=True,
        min_value=Decimal("-10.00"), max_value=Decimal("20.00"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Kann negativ sein, z. B. −0,88. Veröffentlicht von der Deutschen Bundesbank zum 1. Januar und "
                    "1. Juli."),
        error_messages={"required": _("Bitte geben Sie den Basiszinssatz an."),
                        "invalid": _("Bitte geben Sie einen Prozentsatz wie 1,27 oder -0,88 an."),
                        "min_value": _("Der Basiszinssatz liegt nicht unter -10 Prozent."),
                        "max_value": _("Der Basiszinssatz liegt nicht über 20 Prozent."),
                        "max_decimal_places": _("Bitte höchstens zwei Nachkommastellen angeben.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].error_messages.update({
            "required": _("Bitte geben Sie an, ab wann der Basiszinssatz gilt."),
            "invalid": _("Bitte geben Sie ein Datum wie 01.07.2026 an.")})

    def clean_valid_from(self):
        value = self.cleaned_data["valid_from"]
        taken = BaseRate.objects.filter(valid_from=value).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Für den %(day)s ist bereits ein Basiszinssatz eingetragen.")
                                        % {"day": value.strftime("%d.%m.%Y")})
        return value


class GermanInspectView(generic.InspectView):
    """Shows choice lists by their labels and money as 3.000,00 €."""

    extra_labels = {"remaining": _("Verbleibend")}

    def get_field_label(self, field_name, field):
        if field_name in self.extra_labels:
            return self.extra_labels[field_name]
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if isinstance(field, MultipleChoiceField):
            labels = dict(field.choices_class.choices)
            return ", ".join(str(labels.get(v, v)) for v in value or []) or "–"
        if isinstance(value, Money):
            return format_eur(value)
        return super().get_field_display_value(field_name, field)


def budget_rows():
    """Budgets with their remaining amount computed by the database (remaining = amount − committed + refunded)."""
    return ProgrammeBudget.objects.select_related("programme").annotate(
        remaining_amount=ExpressionWrapper(
            F("amount") - F("committed") + F("refunded"), output_field=DecimalField(max_digits=14, decimal_places=2)
        )
    )


class BudgetIndexView(generic.IndexView):
    """All budgets on one page: a district has a handful of programmes, so no pagination (one table query)."""

    page_title = _("Haushalt")
    default_ordering = "programme__name"
    paginate_by = None

    def get_base_queryset(self):
        return budget_rows()

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        return queryset.order_by(ordering, "-year", "pk")

    def get_paginate_by(self, queryset):
        return None

    def get_copy_url(self, instance):
        return None
