"""The grant programmes' figures for the monitoring (``integration_core.indicators.providers``).

Registered from ``grants.apps.GrantsConfig.ready``; integration_core never imports this module.

Definitions (one database aggregate per measure asked for, at most four queries whatever the data size):

- **municipality** of an application: the project's place (``Application.place``) if set, else the
  seat of the applicant organisation (``Organisation.seat_municipality``);
- **approved** (bewilligt): ``approved_amount`` of applications decided (``decided_at``) in the period
  that are approved or further along (paid, settlement submitted, refund claimed, closed) — a grant
  declined before payout (withdrawn) no longer counts; the count is the number of funded projects;
- **paid** (ausgezahlt): payout items of executed batches, by the batch's ``executed_at`` (grants and
  later increases alike); the count is the number of applications paid;
- **settled** (abgerechnet): the amount recognised when the settlement was checked
  (``Settlement.checked_at``) in the period — the grant less the refund claimed at that check
  (``Refund.amount``; for a fixed amount: the grant, at most the recognised costs); the refund itself
  shows under refunded too, by the day it was claimed;
- **refunded** (zurückgefordert): refund claims (``Refund.amount``) by ``claimed_at``.

The year of a figure is the calendar year of that date in the portal's time zone.
"""

from collections.abc import Collection
from decimal import Decimal

from django.db.models import Case as Switch
from django.db.models import Count, DecimalField, ExpressionWrapper, F, IntegerField, QuerySet, Sum, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce

from integration_core.indicators.periods import Period
from integration_core.indicators.providers import FundingFigure, Measure, register

from .models import Application, PayoutBatch, PayoutItem, Refund, Settlement
from .states import State

PROVIDER_NAME = "grants"
APPROVED_OR_LATER = [State.APPROVED, State.PAID, State.SETTLEMENT_SUBMITTED, State.REFUND_CLAIMED, State.CLOSED]
# Granted less what was reclaimed: what the settlement recognised (a refund row exists only when one was claimed).
RECOGNISED = ExpressionWrapper(
    F("application__approved_amount") - Coalesce(F("application__refund__amount"), Value(Decimal("0.00"))),
    output_field=DecimalField(max_digits=12, decimal_places=2))


def _in_period(queryset: QuerySet, field: str, period: Period) -> QuerySet:
    start, end = period.datetime_range()
    return queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})


def _year(field: str, period: Period):
    """The calendar year of ``field`` as plain comparisons with the years' bounds in the portal's time zone.

    Same result as ExtractYear, but SQLite computes ExtractYear with a Python function per row, which made
    the dashboard's five-year history five times slower.
    """
    whens = [When(**{f"{field}__lt": Period.year(year).datetime_range()[1]}, then=Value(year))
             for year in period.years]
    return Switch(*whens, default=Value(period.end.year), output_field=IntegerField())


def _rows(queryset: QuerySet, *, application: str, date_field: str, amount: str | Expression, count: str,
          period: Period,
          municipality_ids: Collection[int] | None):
    """Group by municipality, programme and year; sum ``amount`` and count distinct ``count``."""
    prefix = f"{application}__" if application else ""
    queryset = queryset.annotate(
        municipality_id=Coalesce(F(f"{prefix}place_id"), F(f"{prefix}organisation__seat_municipality_id")),
        year=_year(date_field, period),
        programme_code=F(f"{prefix}programme__code"),
        programme_name=F(f"{prefix}programme__name"),
    )
    if municipality_ids is not None:
        queryset = queryset.filter(municipality_id__in=list(municipality_ids))
    return (
        queryset.values("municipality_id", "year", "programme_code", "programme_name")
        .annotate(total=Sum(amount), number=Count(count, distinct=True))
        .order_by()
    )


def funding_figures(*, period: Period, municipality_ids: Collection[int] | None = None,
                    measures: Collection[Measure] | None = None) -> list[FundingFigure]:
    """The figures of the period; ``measures``: only these (None: all four), one query each."""
    sources = [
        (Measure.APPROVED, _in_period(Application.objects.filter(state__in=APPROVED_OR_LATER), "decided_at", period),
         {"application": "", "date_field": "decided_at", "amount": "approved_amount", "count": "pk"}),
        (Measure.PAID, _in_period(PayoutItem.objects.filter(batch__status=PayoutBatch.Status.EXECUTED),
                                  "batch__executed_at", period),
         {"application": "application", "date_field": "batch__executed_at", "amount": "amount",
          "count": "application_id"}),
        (Measure.SETTLED, _in_period(Settlement.objects.all(), "checked_at", period),
         {"application": "application", "date_field": "checked_at", "amount": RECOGNISED, "count": "application_id"}),
        (Measure.REFUNDED, _in_period(Refund.objects.all(), "claimed_at", period),
         {"application": "application", "date_field": "claimed_at", "amount": "amount", "count": "application_id"}),
    ]
    figures = []
    for measure, queryset, spec in sources:
        if measures is not None and measure not in measures:
            continue
        for row in _rows(queryset, period=period, municipality_ids=municipality_ids, **spec):
            figures.append(FundingFigure(
                municipality_id=row["municipality_id"], programme_code=row["programme_code"],
                programme_name=row["programme_name"], year=row["year"], measure=measure,
                amount=Decimal(row["total"] or 0).quantize(Decimal("0.01")), count=row["number"],
            ))
    return figures


# Imported from GrantsConfig.ready (like signal handlers): registering twice is harmless.
register(PROVIDER_NAME, funding_figures)
