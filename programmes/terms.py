"""The money-deciding settings of a programme: who may change them, their log, and their snapshot.

``MONEY_TERMS`` are the settings that decide how much money an application can get and who decides it: the
amount bounds, the staff and head-of-unit limits, "the committee decides", the caps, the co-financing ratio,
the financing type and the payout mode (the yearly budgets count too, see ``ProgrammeBudget``). Only the head
of unit or an administrator changes them (``CHANGE_MONEY_TERMS``), each change with a reason, each recorded in
the programme log. An application takes a snapshot of them when it is recommended (or decided without a
recommendation); ``with_terms`` lays the snapshot over the programme, so every rule reads the terms the
application was recommended under, whatever changed since.
"""

import copy
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from djmoney.models.fields import MoneyField
from djmoney.money import Money

from .models import Programme, ProgrammeBudget, ProgrammeLogEntry

CHANGE_MONEY_TERMS = "programmes.change_money_terms"

MONEY_TERMS = (
    "min_amount", "max_amount", "staff_approval_limit", "head_approval_limit", "committee_decides_all",
    "cap_per_period", "cap_period_months", "cap_per_municipality_year", "max_funding_share",
    "matching_funds_required", "financing_type", "payout_mode", "allocation_min_share", "allocation_cap",
)


def may_change_money_terms(user) -> bool:
    """The head of unit (Leitung) holds the permission; a superuser (administrator) holds every permission."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.has_perm(CHANGE_MONEY_TERMS))


def _field(name: str):
    return Programme._meta.get_field(name)


def _stored(value):
    """A value as it goes into a snapshot: JSON, exact (money and decimals as strings)."""
    if isinstance(value, Money):
        return str(value.amount.quantize(Decimal("0.01")))
    if isinstance(value, Decimal):
        return str(value)
    return value


def _loaded(name: str, value):
    if value is None:
        return None
    field = _field(name)
    if isinstance(field, MoneyField):
        return Money(Decimal(value), "EUR")
    if isinstance(value, str) and field.get_internal_type() == "DecimalField":
        return Decimal(value)
    return value


def terms_snapshot(programme: Programme) -> dict:
    return {name: _stored(getattr(programme, name)) for name in MONEY_TERMS}


def with_terms(programme: Programme, snapshot: dict | None) -> Programme:
    """``programme`` as it was when ``snapshot`` was taken (an unsaved copy); the programme itself without one."""
    if not snapshot:
        return programme
    frozen = copy.copy(programme)
    frozen._state = copy.copy(programme._state)
    for name in MONEY_TERMS:
        if name in snapshot:
            setattr(frozen, name, _loaded(name, snapshot[name]))
    return frozen


def display(programme: Programme, name: str, value) -> str:
    """A setting's value as a person reads it in the log: 3.000,00 €, Ja/Nein, the choice's label, –."""
    from .rules import format_eur

    if value is None or value == "":
        return "–"
    if isinstance(value, Money):
        return format_eur(value)
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nein"))
    field = _field(name) if name in MONEY_TERMS else None
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)[:200]


def changed_terms(before: dict, programme: Programme) -> list[str]:
    return [name for name in MONEY_TERMS if before.get(name) != _stored(getattr(programme, name))]


def _require(user, reason: str) -> str:
    if not may_change_money_terms(user):
        raise PermissionDenied(_("Geldentscheidende Einstellungen ändern nur die Amtsleitung oder die Administration."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"change_reason": _("Begründen Sie die Änderung; sie steht im Programmprotokoll.")})
    return reason


@transaction.atomic
def record_programme_changes(*, user, programme: Programme, before: dict, reason: str) -> list[ProgrammeLogEntry]:
    """Log each money-deciding setting of ``programme`` that differs from ``before`` (a ``terms_snapshot``).

    Called in the transaction that saves the programme; refuses the change without the right or a reason.
    """
    names = changed_terms(before, programme)
    if not names:
        return []
    reason = _require(user, reason)
    return ProgrammeLogEntry.objects.bulk_create([
        ProgrammeLogEntry(
            programme=programme, field=name, field_label=str(_field(name).verbose_name)[:200],
            old_value=display(programme, name, _loaded(name, before.get(name))),
            new_value=display(programme, name, getattr(programme, name)), reason=reason, actor=user)
        for name in names
    ])


@transaction.atomic
def record_budget_change(*, user, budget: ProgrammeBudget, old_amount: Money | None,
                         reason: str) -> ProgrammeLogEntry | None:
    """Log a new budget or a changed plan figure; refuses it without the right or a reason."""
    if old_amount is not None and old_amount == budget.amount:
        return None
    reason = _require(user, reason)
    return ProgrammeLogEntry.objects.create(
        programme_id=budget.programme_id, budget_year=budget.year, field="budget.amount",
        field_label=str(_("Haushaltsansatz %(year)s") % {"year": budget.year}),
        old_value=display(budget.programme, "amount", old_amount), new_value=display(budget.programme, "amount",
                                                                                     budget.amount),
        reason=reason, actor=user)
