"""The duration rule, in one place: at most 3 years from first contact, one extension by at most
1 year with a written reason; a warning from 60 days before the end; no new activity after it.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_YEARS = 3
EXTENSION_YEARS = 1
WARNING_DAYS = 60
MIN_REASON_LENGTH = 20


def add_years(day: date, years: int) -> date:
    """Same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clipped to the month's last day."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def base_end(case) -> date:
    """Last day of counselling without extension: the day before the third anniversary of the first contact."""
    return add_years(case.first_contact_on, MAX_YEARS) - timedelta(days=1)


def latest_extension(case) -> date:
    """The furthest date an extension may reach."""
    return add_years(base_end(case), EXTENSION_YEARS)


def permitted_end(case) -> date:
    return case.extended_until or base_end(case)


def days_left(case, *, today: date | None = None) -> int:
    return (permitted_end(case) - (today or timezone.localdate())).days


def duration_warning(case, *, today: date | None = None) -> str | None:
    """A German warning from 60 days before the permitted end (and after it); None otherwise."""
    if case.ended_on or case.anonymised_at:
        return None
    left = days_left(case, today=today)
    end = f"{permitted_end(case):%d.%m.%Y}"
    if left < 0:
        if case.extended_until:
            return _("Die verlängerte Beratungsdauer ist am %(end)s abgelaufen. Bitte beenden Sie die Beratung.") % {
                "end": end}
        return _("Die Höchstdauer von drei Jahren ist am %(end)s abgelaufen. Neue Einträge sind erst nach einer "
                 "Verlängerung möglich.") % {"end": end}
    if left > WARNING_DAYS:
        return None
    text = ngettext("Die Beratung endet am %(end)s, in %(days)d Tag.",
                    "Die Beratung endet am %(end)s, in %(days)d Tagen.", left) % {"end": end, "days": left}
    if case.extended_until:
        return text + " " + _("Eine weitere Verlängerung ist nicht möglich.")
    return text + " " + _("Eine Verlängerung um höchstens ein Jahr ist einmal mit schriftlicher Begründung möglich.")


def ensure_open(case, *, today: date | None = None) -> None:
    """Refuse new activity on a case that is anonymised, ended or past its permitted end."""
    today = today or timezone.localdate()
    if case.anonymised_at:
        raise ValidationError(_("Der Fall ist anonymisiert und kann nicht mehr bearbeitet werden."))
    if case.ended_on and case.ended_on < today:
        raise ValidationError(_("Die Beratung wurde am %(date)s beendet; neue Einträge sind nicht mehr möglich.")
                              % {"date": f"{case.ended_on:%d.%m.%Y}"})
    if today > permitted_end(case):
        if case.extended_until:
            raise ValidationError(_("Die verlängerte Beratungsdauer ist am %(date)s abgelaufen; neue Einträge "
                                    "sind nicht mehr möglich.") % {"date": f"{case.extended_until:%d.%m.%Y}"})
        raise ValidationError(_("Die Höchstdauer von drei Jahren ist am %(date)s abgelaufen. Neue Einträge sind "
                                "nur nach einer Verlängerung möglich.") % {"date": f"{base_end(case):%d.%m.%Y}"})


def validate_extension(case, *, until: date, reason: str, today: date | None = None) -> None:
    """One extension, to a date after the regular end and at most one year beyond it, with a written reason."""
    today = today or timezone.localdate()
    errors = {}
    if case.extended_at:
        errors["until"] = _("Die Beratung wurde bereits am %(date)s verlängert; eine zweite Verlängerung ist "
                            "nicht möglich.") % {"date": f"{timezone.localtime(case.extended_at):%d.%m.%Y}"}
    elif until <= base_end(case):
        errors["until"] = _("Die Verlängerung muss nach dem regulären Ende am %(date)s liegen.") % {
            "date": f"{base_end(case):%d.%m.%Y}"}
    elif until > latest_extension(case):
        errors["until"] = _("Die Beratung kann höchstens um ein Jahr, also bis zum %(date)s, verlängert "
                            "werden.") % {"date": f"{latest_extension(case):%d.%m.%Y}"}
    elif until < today:
        errors["until"] = _("Das Ende der Verlängerung darf nicht in der Vergangenheit liegen.")
    if len((reason or "").strip()) < MIN_REASON_LENGTH:
        errors["reason"] = _("Bitte begründen Sie die Verlängerung schriftlich (mindestens %(n)d Zeichen).") % {
            "n": MIN_REASON_LENGTH}
    if case.ended_on:
        errors.setdefault("until", _("Eine beendete Beratung kann nicht verlängert werden."))
    if errors:
        raise ValidationError(errors)


# The same rule as database filters (for lists), checked against days_left() over every day in a test.
def _open_q(prefix: str) -> Q:
    return Q(**{f"{prefix}ended_on__isnull": True, f"{prefix}anonymised_at__isnull": True})


def _first_contact_for_end_before(day: date) -> date:
    """The latest first contact whose regular end lies before ``day``."""
    # base_end is non-decreasing in the first contact; start a little above and step back (29 February).
    latest = add_years(day, -MAX_YEARS) + timedelta(days=2)
    while add_years(latest, MAX_YEARS) - timedelta(days=1) >= day:
        latest -= timedelta(days=1)
    return latest


def past_end_q(*, today: date | None = None, prefix: str = "") -> Q:
    """Open cases (not ended, not anonymised) whose permitted end lies before today."""
    today = today or timezone.localdate()
    return _open_q(prefix) & (
        Q(**{f"{prefix}extended_until__isnull": True,
             f"{prefix}first_contact_on__lte": _first_contact_for_end_before(today)})
        | Q(**{f"{prefix}extended_until__lt": today})
    )


def ending_soon_q(*, today: date | None = None, prefix: str = "") -> Q:
    """Open cases whose permitted end lies within WARNING_DAYS from today (today included), not yet past."""
    today = today or timezone.localdate()
    last = today + timedelta(days=WARNING_DAYS)
    return _open_q(prefix) & (
        Q(**{f"{prefix}extended_until__isnull": True,
             f"{prefix}first_contact_on__gt": _first_contact_for_end_before(today),
             f"{prefix}first_contact_on__lte": _first_contact_for_end_before(last + timedelta(days=1))})
        | Q(**{f"{prefix}extended_until__gte": today, f"{prefix}extended_until__lte": last})
    )
