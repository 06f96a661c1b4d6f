"""Retention: a case is anonymised CASE_RETENTION_MONTHS after the end of counselling.

The end is ``ended_on``, or the permitted end (3 years, or the extension) when a case ran out
without being closed. Anonymisation removes names, contact, the exact birth date (the year
stays), and every free text; it keeps what statistics need, i.e. what the indicators, the yearly
table and the statistics extract read (municipality, provider, types, dates, gender, birth year,
country of origin for the origin groups, German level, courses, labour status, housing, children's
care, goal areas and achievement, reporting statuses, consent records without the named recipient).

Also removed because no figure reads them: residence status and disability (special categories; the
stricter suppression threshold is for health goals, a goal area, not for these fields, which are
encrypted and cannot be counted in the database anyway), the first language and the other languages
(free text; origin breakdowns use the country of origin), and the recipient named in a consent.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Case, CaseHandover, Competences, ConsentPurpose, Goal, LanguageSkill
from .duration import MAX_YEARS, add_months, add_years

CASE_BLANKS = {"first_name": "", "last_name": "", "birth_date": None, "phone": "", "email": "", "address": "",
               "notes": "", "referral_other": "", "extension_reason": ""}
COMPETENCE_BLANKS = {"health_notes": None, "disability_marks": None, "disability": None, "residence_status": None,
                     "first_language": "", "employer": "", "job_title": "", "measure": "", "skills_other": "",
                     "recognition_body": "", "school_degree_kind": "", "vocation": "", "study_subject": ""}
# A handover purpose must name its recipient (constraint consent_handover_names_recipient): a neutral
# placeholder replaces the name.
ANONYMISED_RECIPIENT = "anonymisiert"
GOAL_BLANKS = {"goal": "", "step_1": "", "step_2": "", "step_3": "", "who": "", "services_involved": "",
               "remarks": ""}


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


@transaction.atomic
def case_anonymise(*, case_id: int) -> bool:
    """Anonymise one case under a row lock; False if it was anonymised already (safe to run twice)."""
    case = Case.objects.select_for_update().filter(pk=case_id, anonymised_at__isnull=True).first()
    if case is None:
        return False
    for name, value in CASE_BLANKS.items():
        setattr(case, name, value)
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
    return True
