"""Retention: a case is anonymised CASE_RETENTION_MONTHS after the end of counselling.

The end is ``ended_on``, or the permitted end (3 years, or the extension) when a case ran out
without being closed. Anonymisation removes names, contact, the exact birth date (the year
stays), and every free text; it keeps what statistics need, i.e. what the indicators, the yearly
table and the statistics extract read (municipality, provider, types, dates coarsened to the first of
their month, gender, birth year,
country of origin for the origin groups, German level, courses, labour status, housing, children's
care, goal areas and achievement, reporting statuses, consent records without the named recipient).

Also removed because no figure reads them: residence status and disability (special categories; the
stricter suppression threshold is for health goals, a goal area, not for these fields, which are
encrypted and cannot be counted in the database anyway), the first language and the other languages
(free text; origin breakdowns use the country of origin), and the recipient named in a consent.

Dates are coarsened to the first of their month (``_coarsen_dates``): first contact, agreement, end,
extension, goals, reporting dates, consents and withdrawals, handovers, and the record's own time stamps.
Every figure reads months, quarters, half-years or years, so none changes; every order between two dates
(end after first contact, due after agreed) survives. Two reporting statuses in one month become one: the
later stays, as the figures read the latest status of a year. The extension reason is free text, but an
extension must have one (constraint ``case_extension_needs_reason``): a neutral word replaces it.

The daily task (``anonymise_due_cases``) anonymises each due case in its own transaction. A case that
fails is reported (log, Sentry, ``AnonymisationFailure`` shown on the admin home page) and the others go on;
the next run tries it again.
"""

import logging
from datetime import date, datetime, time, timedelta

import sentry_sdk
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ..models import (
    AnonymisationFailure,
    Case,
    CaseHandover,
    Competences,
    Consent,
    ConsentPurpose,
    Goal,
    LanguageSkill,
    ReportingStatus,
)
from .duration import MAX_YEARS, add_months, add_years

log = logging.getLogger(__name__)

# A neutral word where a constraint needs text: an extension needs a reason, a handover purpose its recipient
# (constraints case_extension_needs_reason and consent_handover_names_recipient).
ANONYMISED_TEXT = "anonymisiert"
ANONYMISED_RECIPIENT = ANONYMISED_TEXT
CASE_BLANKS = {"first_name": "", "last_name": "", "birth_date": None, "phone": "", "email": "", "address": "",
               "notes": "", "referral_other": ""}
COMPETENCE_BLANKS = {"health_notes": None, "disability_marks": None, "disability": None, "residence_status": None,
                     "first_language": "", "employer": "", "job_title": "", "measure": "", "skills_other": "",
                     "recognition_body": "", "school_degree_kind": "", "vocation": "", "study_subject": ""}
GOAL_BLANKS = {"goal": "", "step_1": "", "step_2": "", "step_3": "", "who": "", "services_involved": "",
               "remarks": ""}
ERROR_LENGTH = 300


class AnonymisationError(Exception):
    """What is reported of a failed case: its number and the error's first line (no row values)."""


def month_start(day: date | None) -> date | None:
    return day.replace(day=1) if day else None


def retention_cutoff(today: date | None = None) -> date:
    """Counselling that ended on or before this day is due for anonymisation."""
    return add_months(today or timezone.localdate(), -settings.CASE_RETENTION_MONTHS)


def cases_due_for_anonymisation(*, today: date | None = None) -> QuerySet[Case]:
    cutoff = retention_cutoff(today)
    # Never closed: the regular end (first contact + 3 years - 1 day) lies on or before the cutoff,
    # i.e. the first contact on or before (cutoff + 1 day) - 3 years; extended cases by their extension.
    never_closed = Q(ended_on__isnull=True) & (
        Q(extended_until__isnull=True, first_contact_on__lte=add_years(cutoff + timedelta(days=1), -MAX_YEARS))
        | Q(extended_until__lte=cutoff)
    )
    return Case.objects.filter(anonymised_at__isnull=True).filter(Q(ended_on__lte=cutoff) | never_closed)


def month_start_at(moment: datetime | None) -> datetime | None:
    """Midnight (Berlin) on the first of the Berlin month of ``moment``."""
    if moment is None:
        return None
    return timezone.make_aware(datetime.combine(month_start(timezone.localdate(moment)), time.min))


# (model, its path to the case, dates, time stamps) of every row of a case that holds a date.
COARSENED = (
    (Case, "pk", ("first_contact_on", "agreement_signed_on", "ended_on", "extended_until"),
     ("extended_at", "created_at", "updated_at")),
    (Competences, "case_id", (), ("updated_at",)),
    (Goal, "case_id", ("agreed_on", "due_by", "achieved_changed_on"), ("created_at", "updated_at")),
    (ReportingStatus, "case_id", ("reporting_date",), ("recorded_at",)),
    (Consent, "case_id", ("given_on",), ("created_at",)),
    (ConsentPurpose, "consent__case_id", ("withdrawn_on",), ()),
    (CaseHandover, "case_id", (), ("handed_over_at",)),
)


def _coarsen_dates(case: Case) -> None:
    """Every date and time stamp of the case's rows to the first of its month (a few rows per case)."""
    # One status per case and date (unique): of two in one month the later stays.
    kept: dict[date, int] = {}
    for pk, day in ReportingStatus.objects.filter(case_id=case.pk).order_by("-reporting_date").values_list(
            "pk", "reporting_date"):
        kept.setdefault(month_start(day), pk)
    ReportingStatus.objects.filter(case_id=case.pk).exclude(pk__in=kept.values()).delete()
    for model, to_case, days, stamps in COARSENED:
        # bulk_update writes the values as set: auto_now does not put today back.
        rows = list(model.objects.filter(**{to_case: case.pk}).only(*days, *stamps))
        for row in rows:
            for name in days:
                setattr(row, name, month_start(getattr(row, name)))
            for name in stamps:
                setattr(row, name, month_start_at(getattr(row, name)))
        if rows:
            model.objects.bulk_update(rows, [*days, *stamps])


@transaction.atomic
def case_anonymise(*, case_id: int) -> bool:
    """Anonymise one case under a row lock; False if it was anonymised already (safe to run twice)."""
    case = Case.objects.select_for_update().filter(pk=case_id, anonymised_at__isnull=True).first()
    if case is None:
        return False
    for name, value in CASE_BLANKS.items():
        setattr(case, name, value)
    case.extension_reason = ANONYMISED_TEXT if case.extended_until else ""
    case.anonymised_at = timezone.now()
    case.save()
    # Encrypted fields are blanked by saving the instance (a queryset update would also encrypt None -> NULL).
    for competences in Competences.objects.filter(case_id=case.pk):
        for name, value in COMPETENCE_BLANKS.items():
            setattr(competences, name, value)
        competences.save()
    Goal.objects.filter(case_id=case.pk).update(**GOAL_BLANKS)
    CaseHandover.objects.filter(case_id=case.pk).update(note="")
    LanguageSkill.objects.filter(competences__case_id=case.pk).update(language="")
    ConsentPurpose.objects.filter(consent__case_id=case.pk).exclude(recipient_name="").update(
        recipient_name=ANONYMISED_RECIPIENT)
    _coarsen_dates(case)
    AnonymisationFailure.objects.filter(case_id=case.pk).delete()
    return True


def _summary(exc: BaseException) -> str:
    """Class and first line: PostgreSQL puts the failing row (names and all) into the following DETAIL line."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:ERROR_LENGTH]


@transaction.atomic
def anonymisation_failure_record(*, case_id: int, exc: BaseException) -> AnonymisationFailure:
    """Report a case that could not be anonymised: log, Sentry, and the row the admin home page lists.

    Sentry and the log receive an ``AnonymisationError`` with the original traceback but only the summary
    as its message, never the original message (see ``_summary``).
    """
    error = _summary(exc)
    number = f"IP-{case_id:06d}"
    reported = AnonymisationError(f"{number}: {error}").with_traceback(exc.__traceback__)
    log.error("anonymisation of case %s failed: %s", number, error, exc_info=reported)
    sentry_sdk.capture_exception(reported)
    now = timezone.now()
    if not AnonymisationFailure.objects.filter(case_id=case_id).update(
            error=error, last_failed_at=now, attempts=F("attempts") + 1):
        return AnonymisationFailure.objects.create(case_id=case_id, error=error, last_failed_at=now)
    return AnonymisationFailure.objects.get(case_id=case_id)


def anonymise_due_cases(*, today: date | None = None) -> tuple[int, int]:
    """Anonymise every due case, each in its own transaction; returns (anonymised, failed).

    A failing case is reported and left for the next run; it never stops the others.
    """
    done = failed = 0
    for case_id in list(cases_due_for_anonymisation(today=today).order_by("pk").values_list("pk", flat=True)):
        try:
            done += case_anonymise(case_id=case_id)
        except Exception as exc:  # any failure of one case is reported; the rest go on
            anonymisation_failure_record(case_id=case_id, exc=exc)
            failed += 1
    return done, failed
