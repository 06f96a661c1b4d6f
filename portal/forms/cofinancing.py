"""The co-financing part of the application form (e.g. Integrationslotsen): the co-financing municipality, the
municipal contribution and the requested amount per calendar year.

Asked only where the programme settings call for it (``is_cofinanced``); the rules shown next to the fields are
read from the same settings, never written per programme. What is still missing before submission comes from
``grants.rules.missing_items``.
"""

from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from grants.models import Application
from grants.services.applications import YearAmountData
from integration_core.models import Municipality
from programmes import rules as programme_rules
from programmes.choices import ApplicantType, DecidingBody

from .kern import KernForm, money_field

YEAR_PREFIX = "jahre"
YEAR_ROWS = 2
OWN_FUNDS_LABEL = _("Kommunaler Eigenanteil (Kofinanzierung)")


def is_cofinanced(programme) -> bool:
    return bool(programme.matching_funds_required or programme.cap_per_municipality_year is not None
                or programme.max_funding_share is not None)


def cofinancing_rules(programme) -> list[str]:
    """The programme's co-financing rules in the applicant's words, one sentence each, from its settings."""
    rules = []
    if programme.max_funding_share is not None:
        rules.append(_("Der Landkreis fördert höchstens %(percent)s %% der zuwendungsfähigen Kosten "
                       "(Anteilfinanzierung).") % {
            "percent": number_format(programme.max_funding_share * 100, decimal_pos=0)})
    if programme.matching_funds_required:
        rules.append(_("Die Zuwendung ist höchstens so hoch wie der kommunale Eigenanteil (Kofinanzierung 1:1). "
                       "Fügen Sie den Nachweis der Kofinanzierung (Gemeinderatsbeschluss oder Haushaltsstelle) "
                       "als Anlage bei."))
    if programme.cap_per_municipality_year is not None:
        rules.append(_("Höchstens %(cap)s je Kommune und Kalenderjahr, zusammengerechnet über alle Bewilligungen "
                       "dieses Programms für dieselbe Kommune.") % {
            "cap": programme_rules.format_eur(programme.cap_per_municipality_year)})
    if programme_rules.deciding_body(programme, None) == DecidingBody.COMMITTEE:
        rules.append(_("Über den Antrag beschließt der %(committee)s des Landkreises.") % {
            "committee": programme_rules.committee_name(programme)})
    return [str(rule) for rule in rules]


def add_cofinancing_fields(form, programme) -> None:
    """Called by the application form of a co-financed programme: the municipality and the own-funds wording."""
    form.fields["cofinancing_municipality"] = forms.ModelChoiceField(
        label=Application._meta.get_field("cofinancing_municipality").verbose_name,
        queryset=Municipality.objects.order_by("name"), empty_label=_("Bitte wählen"),
        help_text=_("Die Kommune, die den Eigenanteil trägt. Ein Wohlfahrtsverband nennt die Kommune, für die er "
                    "den Antrag stellt."),
    )
    form.needed_later = (*form.needed_later, "cofinancing_municipality")
    own = form.fields["own_funds"]
    own.label = OWN_FUNDS_LABEL
    hints = []
    if programme.matching_funds_required:
        hints.append(_("Der Betrag, den die Kommune selbst trägt; die Zuwendung ist höchstens so hoch."))
    if programme.max_funding_share is not None:
        hints.append(_("Die Zuwendung beträgt höchstens %(percent)s %% der Gesamtkosten.") % {
            "percent": number_format(programme.max_funding_share * 100, decimal_pos=0)})
    own.help_text = " ".join(str(hint) for hint in hints) or own.help_text


def default_municipality(organisation):
    """A municipality applies for itself; any other applicant names the municipality it applies for."""
    if organisation is not None and organisation.applicant_type == ApplicantType.MUNICIPALITY:
        return organisation.seat_municipality_id
    return None


class YearAmountForm(KernForm):
    # A row counts once it has an amount; a prefilled year without an amount is ignored.
    year = forms.IntegerField(
        label=_("Kalenderjahr"), required=False, min_value=2000, max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
        error_messages={"invalid": _("Geben Sie das Kalenderjahr vierstellig an, z. B. 2026.")},
    )
    amount = money_field(_("Betrag in diesem Jahr (Euro)"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("amount") is not None and cleaned.get("year") is None and "year" not in self.errors:
            self.add_error("year", _("Geben Sie das Kalenderjahr zu diesem Betrag an."))
        return cleaned


class BaseYearAmountFormSet(forms.BaseFormSet):
    # The requested amount the rows must add up to; set by the view once the cost plan is valid.
    requested: Decimal | None = None

    def year_amounts(self) -> list[YearAmountData]:
        """The rows with year and amount, in order."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("year") is not None and data.get("amount") is not None:
                rows.append(YearAmountData(year=data["year"], amount=data["amount"]))
        return rows

    def clean(self):
        if any(self.errors):
            return
        rows = self.year_amounts()
        years = [row.year for row in rows]
        if len(set(years)) != len(years):
            raise forms.ValidationError(_("Jedes Kalenderjahr darf nur einmal vorkommen."))
        total = sum((row.amount for row in rows), Decimal("0.00"))
        if rows and self.requested is not None and total != self.requested:
            raise forms.ValidationError(
                _("Die Beträge je Kalenderjahr ergeben zusammen %(total)s; sie müssen den beantragten Betrag von "
                  "%(requested)s ergeben.") % {
                    "total": programme_rules.format_eur(Money(total, "EUR")),
                    "requested": programme_rules.format_eur(Money(self.requested, "EUR"))})


YearAmountFormSet = forms.formset_factory(
    YearAmountForm, formset=BaseYearAmountFormSet, extra=0, min_num=YEAR_ROWS, max_num=5, validate_max=True,
)


def year_formset(data=None, *, initial=None):
    if data is not None:
        return YearAmountFormSet(data, prefix=YEAR_PREFIX)
    return YearAmountFormSet(initial=initial or None, prefix=YEAR_PREFIX)


def years_initial(application: Application | None) -> list[dict]:
    """The stored split; for a period over two years without one, the two years ready to be filled in."""
    if application is None:
        return []
    rows = [{"year": row.year, "amount": row.amount.amount} for row in application.year_amounts.all()]
    start, end = application.planned_start, application.planned_end
    if not rows and start and end and start.year != end.year:
        rows = [{"year": year} for year in range(start.year, end.year + 1)]
    return rows


def spans_years(application: Application) -> bool:
    start, end = application.planned_start, application.planned_end
    return bool(start and end and start.year != end.year)
