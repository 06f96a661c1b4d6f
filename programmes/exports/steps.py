"""Calculation steps and engine errors in the active language, with its number and date formats.

Every place that shows a step (run page, preview, XLSX, PDF, letters, rejection reasons) goes through
:func:`explain_step`, so a stored run reads in German or English alike; see ``programmes.step_params``.
"""

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext

from ..step_params import AllocationError, Formats, render


def _number(value: Decimal, places: int) -> str:
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _money(amount: Decimal) -> str:
    return f"{_number(amount, 2)} €"


def _date(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT", use_l10n=True)


# Read per call: gettext and the formats follow the language active at that moment.
ACTIVE = Formats(translate=gettext, money=_money, number=_number, date=_date)


def explain(message: str, params: dict) -> str:
    return render(message, params, ACTIVE)


def explain_step(step: dict) -> str:
    """One stored step in the active language; the German text stored with it if it cannot be rendered."""
    try:
        return explain(step["message"], step.get("params") or {})
    except (KeyError, TypeError, ValueError):
        return step.get("explanation", "")


def error_text(error: Exception) -> str:
    """An engine error in the active language (its German text if it carries no template)."""
    if isinstance(error, AllocationError):
        try:
            return explain(error.template, error.params)
        except (KeyError, TypeError, ValueError):
            pass
    return str(error)
