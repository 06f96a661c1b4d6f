"""Filters of the staff application listing: state, programme, place, applicant type, year, overdue."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from integration_core.models import Municipality
from programmes.choices import ApplicantType
from programmes.models import Programme

from ..models import Application
from ..states import State

FIRST_YEAR = 2020


def _year_choices():
    # A fixed range instead of a DISTINCT query: the listing's query count stays constant.
    return [(str(y), str(y)) for y in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


def _state_choices():
    return [(value, label) for value, label in State.choices if value != State.DRAFT]


class ApplicationFilterSet(WagtailFilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=_state_choices, widget=forms.CheckboxSelectMultiple
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Förderprogramm"), queryset=Programme.objects.order_by("name"), empty_label=_("Alle")
    )
    place = django_filters.ModelChoiceFilter(
        label=_("Ort der Maßnahme"), queryset=Municipality.objects.order_by("name"), empty_label=_("Alle")
    )
    applicant_type = django_filters.ChoiceFilter(
        label=_("Art der Antragstellerin"), field_name="organisation__applicant_type",
        choices=ApplicantType.choices, empty_label=_("Alle"), widget=forms.RadioSelect,
    )
    year = django_filters.ChoiceFilter(
        label=_("Jahr der Einreichung"), field_name="submitted_at", lookup_expr="year",
        choices=_year_choices, empty_label=_("Alle"),
    )

    # The daily reminder task flags settlements past their due date; staff chase them from here.
    settlement_overdue = django_filters.BooleanFilter(
        label=_("Verwendungsnachweis überfällig"), field_name="settlement_overdue",
        widget=forms.NullBooleanSelect,
    )

    class Meta:
        model = Application
        fields = ["state", "programme", "place", "applicant_type", "year", "settlement_overdue"]
