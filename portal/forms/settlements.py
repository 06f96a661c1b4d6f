"""The settlement (einfacher Verwendungsnachweis) as the applicant fills it in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .applications import cost_plan_formset
from .kern import KernForm, date_widget, money_field

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
    # Before the planned end a settlement is accepted only with this declaration and the day (service checks).
    ended_early = forms.BooleanField(
        label=_("Das Vorhaben wurde vor dem geplanten Ende beendet"), required=False,
        help_text=_("Nur ankreuzen, wenn das Vorhaben früher als im Antrag geplant abgeschlossen wurde."),
    )
    ended_early_on = forms.DateField(
        label=_("Tag des vorzeitigen Endes"), required=False, widget=date_widget(),
        help_text=_("Der letzte Tag des Vorhabens; nicht vor dem Beginn und nicht in der Zukunft."),
        error_messages={"invalid": _("Bitte geben Sie ein gültiges Datum an.")},
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("ended_early"):
            cleaned["ended_early_on"] = None
        elif cleaned.get("ended_early_on") is None and "ended_early_on" not in self.errors:
            self.add_error("ended_early_on", _("Bitte geben Sie an, an welchem Tag das Vorhaben beendet wurde."))
        return cleaned


def settlement_initial(settlement) -> dict:
    if settlement is None:
        return {}
    return {"report": settlement.report, "participants_reached": settlement.participants_reached,
            "income": settlement.income.amount, "ended_early": settlement.ended_early_on is not None,
            "ended_early_on": settlement.ended_early_on}


def settlement_cost_formset(data=None, *, initial=None):
    return cost_plan_formset(data, initial=initial, prefix=SETTLEMENT_COST_PREFIX)
