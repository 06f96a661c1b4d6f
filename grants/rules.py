"""Completeness of an application, as the applicant reads it: plain German."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from programmes import rules as programme_rules

from .states import State

# Applications whose approved amount stands: they count against a programme's cap per period.
COMMITTED_STATES = [State.APPROVED, State.PAID, State.SETTLEMENT_SUBMITTED, State.REFUND_CLAIMED, State.CLOSED]


def committed_in_overlapping_periods(application) -> Money:
    """Approved amounts of the same organisation in the same programme whose period overlaps this one.

    No pro-rating: an approval whose period overlaps this application's period by a single day counts in
    full against the same cap (the cap is per funding period of the post, not per calendar month). The
    approved amount is taken as granted, before any later refund. The application itself is left out.
    """
    start, end = application.planned_start, application.planned_end
    if start is None or end is None:
        return Money(Decimal("0.00"), "EUR")
    total = (
        type(application).objects.filter(
            programme_id=application.programme_id, organisation_id=application.organisation_id,
            state__in=COMMITTED_STATES, planned_start__lte=end, planned_end__gte=start,
        )
        .exclude(pk=application.pk)
        .aggregate(total=Sum("approved_amount"))["total"]
    )
    return Money(total or Decimal("0.00"), "EUR")


def period_cap_error(application, amount: Money) -> str | None:
    """The programme's cap per period for ``amount`` on top of the overlapping approvals; None without a cap."""
    if application.programme.cap_per_period is None:
        return None  # no query for programmes without a cap
    return programme_rules.period_cap_error(
        application.programme, amount, committed_in_overlapping_periods(application)
    )


def missing_items(application, today: date | None = None) -> list[str]:
    """Everything that keeps the application from being submitted, one sentence each."""
    today = today or timezone.localdate()
    missing = []
    required_text = [
        ("title", _("Geben Sie einen Titel an.")),
        ("summary", _("Beschreiben Sie das Vorhaben kurz.")),
        ("goals", _("Nennen Sie die Ziele des Vorhabens.")),
        ("target_group", _("Beschreiben Sie die Zielgruppe.")),
        ("activity_type", _("Wählen Sie die Art der Maßnahme.")),
        ("funding_field", _("Wählen Sie das Handlungsfeld.")),
    ]
    for field, message in required_text:
        if not (getattr(application, field) or "").strip():
            missing.append(message)
    programme = application.programme
    if application.activity_type and application.activity_type not in programme.activity_types:
        missing.append(_("Diese Art der Maßnahme wird in diesem Programm nicht gefördert."))
    if application.funding_field and application.funding_field not in programme.funding_fields:
        missing.append(_("Dieses Handlungsfeld wird in diesem Programm nicht gefördert."))
    if not application.expected_participants:
        missing.append(_("Geben Sie die erwartete Zahl der Teilnehmenden an."))
    if application.place_id is None:
        missing.append(_("Wählen Sie den Ort (die Kreiskommune) der Maßnahme."))
    if not application.planned_start or not application.planned_end:
        missing.append(_("Geben Sie den geplanten Beginn und das geplante Ende an."))
    else:
        if application.planned_end < application.planned_start:
            missing.append(_("Das geplante Ende liegt vor dem Beginn."))
        # The application date as the district's calendar shows it (not UTC's).
        start_reference = timezone.localdate(application.submitted_at) if application.submitted_at else today
        if application.planned_start < start_reference and not application.early_start_requested:
            missing.append(_(
                "Der Beginn liegt vor dem Antragsdatum. Beantragen Sie den vorzeitigen Maßnahmebeginn "
                "oder verschieben Sie den Beginn."))
        length_error = programme_rules.period_length_error(
            programme, application.planned_start, application.planned_end)
        if length_error:
            missing.append(length_error)
    fte_error = programme_rules.post_fte_error(programme, application.post_fte)
    if fte_error:
        missing.append(fte_error)
    if application.early_start_requested and not application.early_start_reason.strip():
        missing.append(_("Begründen Sie den vorzeitigen Maßnahmebeginn."))
    if not application.cost_lines.exists():
        missing.append(_("Legen Sie einen Kostenplan mit mindestens einer Position an."))
    else:
        error = programme_rules.amount_error(programme, application.requested_amount)
        if error:
            missing.append(error)
        if programme.personnel_costs_only:
            kind_error = programme_rules.cost_kind_error(
                programme, application.cost_lines.values_list("kind", flat=True))
            if kind_error:
                missing.append(kind_error)
        if application.planned_start and application.planned_end:
            cap_error = period_cap_error(application, application.requested_amount)
            if cap_error:
                missing.append(cap_error)
    type_error = programme_rules.applicant_type_error(programme, application.organisation.applicant_type)
    if type_error:
        missing.append(type_error)
    declarations = [
        application.declaration_truthful, application.declaration_not_started,
        application.declaration_privacy, application.declaration_conditions,
    ]
    if not all(declarations):
        missing.append(_("Bestätigen Sie alle Erklärungen am Ende des Antrags."))
    return missing
