"""The settlement (einfacher Verwendungsnachweis) as the applicant fills it in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .applications import cost_plan_formset
from .kern import KernForm, money_field

SETTLEMENT_COST_PREFIX = "ausgaben"


class SettlementForm(KernForm):
    report = forms.CharField(
        label=_("Sachbericht: Was wurde umgesetzt, was wurde erreicht?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Beschreiben Sie kurz den Ablauf, die Teilnehmenden und was gut oder weniger gut lief."),
    )
    participants_reached = forms.IntegerField(label=_("Erreichte Teilnehmende"), min_value=0)
    income = money_field(
        _("Einnahmen in Euro"), help_text=_("Eigen- und Drittmittel sowie Teilnahmebeiträge, die eingegangen sind.")
    )


def settlement_initial(settlement) -> dict:
    if settlement is None:
        return {}
    return {"report": settlement.report, "participants_reached": settlement.participants_reached,
            "income": settlement.income.amount}


def settlement_cost_formset(data=None, *, initial=None):
    return cost_plan_formset(data, initial=initial, prefix=SETTLEMENT_COST_PREFIX)
