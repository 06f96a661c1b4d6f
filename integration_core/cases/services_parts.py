"""Writes on the parts of the plan: Part A (competences), Part B (goal rows), status at reporting dates.

Each refuses new activity after the end of counselling (``duration.ensure_open``), parts the
counselling type does not have (``parts.allows``) and, for Part A and Part B, entries without a valid
consent to counselling and documentation (``consent.ensure_counselling_consent``). Deleting a goal
needs no consent (removing data is always allowed); the status at reporting dates neither (it is the
reporting obligation, also for plans that ended or whose consent was withdrawn).
"""

from datetime import date

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Achievement,
    Case,
    Child,
    Competences,
    EndReason,
    GermanCourse,
    Goal,
    GoalArea,
    LanguageSkill,
    PlanStatus,
    ReportingStatus,
    SkillArea,
)
from . import duration, parts
from .access import CHANGE_CASE, case_for_write, case_scope_q
from .consent import ensure_counselling_consent

# Part A edits may also set these case fields (the form shows them with Part A).
PART_A_CASE_FIELDS = ["gender", "birth_year", "country_of_origin"]
COMPETENCE_FIELDS = [
    f.name for f in Competences._meta.concrete_fields if f.name not in ("id", "case", "updated_at")
]
GOAL_FIELDS = ["area", "goal", "step_1", "step_2", "step_3", "who", "agreed_on", "due_by", "services_involved",
               "remarks"]
MAX_STEPS = 3


def _open_case(*, user, case_id: int, part: parts.Part) -> Case:
    case = case_for_write(user=user, case_id=case_id)
    duration.ensure_open(case)
    if not parts.allows(case.counselling_type, part):
        raise ValidationError(_("Zur Art der Beratung „%(type)s“ gehört kein %(part)s.") % {
            "type": case.get_counselling_type_display(), "part": part.label})
    ensure_counselling_consent(case)
    return case


def _rows(model, competences, items, fields):
    rows = []
    for item in items:
        unknown = set(item) - set(fields)
        if unknown:
            raise ValueError(f"not {model.__name__} fields: {sorted(unknown)}")
        row = model(competences=competences, **item)
        row.full_clean(exclude=["competences"])
        rows.append(row)
    model.objects.filter(competences=competences).delete()
    model.objects.bulk_create(rows)


@transaction.atomic
def competences_save(*, user, case_id: int, data: dict, children: list[dict] | None = None,
                     languages: list[dict] | None = None, german_courses: list[dict] | None = None) -> Competences:
    """Create or update Part A. Row lists replace the stored rows; None leaves them as they are."""
    case = _open_case(user=user, case_id=case_id, part=parts.Part.PART_A)
    unknown = set(data) - set(COMPETENCE_FIELDS) - set(PART_A_CASE_FIELDS)
    if unknown:
        raise ValueError(f"not Part A fields: {sorted(unknown)}")
    try:
        competences = case.competences
    except ObjectDoesNotExist:
        competences = Competences(case=case)
    for name, value in data.items():
        target = case if name in PART_A_CASE_FIELDS else competences
        field = type(target)._meta.get_field(name)
        if value is None and not field.null:
            value = [] if name == "skill_areas" else ""
        if value == "" and field.null and field.get_internal_type() != "CharField":
            value = None
        setattr(target, name, value)
    skills = competences.skill_areas or []
    if not isinstance(skills, list) or any(s not in SkillArea.values for s in skills):
        raise ValidationError({"skill_areas": _("Bitte wählen Sie die Kenntnisse aus der Liste.")})
    competences.skill_areas = sorted(set(skills))
    if competences.literate is False and competences.literate_latin:
        raise ValidationError({"literate_latin": _("Wer nicht alphabetisiert ist, kann nicht in lateinischer "
                                                   "Schrift alphabetisiert sein.")})
    if competences.driving_licence is False and competences.licence_valid_in_germany:
        raise ValidationError({"licence_valid_in_germany": _("Ohne Führerschein gibt es keine Anerkennung.")})
    competences.full_clean(exclude=["case"])
    if set(data) & set(PART_A_CASE_FIELDS):
        case.country_of_origin = (case.country_of_origin or "").upper()
        case.full_clean(exclude=["provider", "case_worker", "created_by", "extended_by", "municipality"])
        case.save(update_fields=[*PART_A_CASE_FIELDS, "updated_at"])
    competences.save()
    if children is not None:
        _rows(Child, competences, children, ["gender", "birth_year", "care", "extracurricular"])
    if languages is not None:
        _rows(LanguageSkill, competences, languages, ["language", "level"])
    if german_courses is not None:
        _rows(GermanCourse, competences, german_courses, ["kind", "certificate", "current"])
    return competences


def _goal_for_write(*, user, goal_id: int, needs_consent: bool = True) -> Goal:
    if not user.has_perm(CHANGE_CASE):
        raise PermissionDenied(_("Sie dürfen Fälle nicht bearbeiten."))
    goal = Goal.objects.filter(pk=goal_id, case__in=Case.objects.filter(case_scope_q(user))).first()
    if goal is None:
        raise Http404(_("Ziel nicht gefunden."))
    goal.case = case_for_write(user=user, case_id=goal.case_id)  # lock the case: one writer per plan
    duration.ensure_open(goal.case)
    if needs_consent:
        ensure_counselling_consent(goal.case)
    return goal


def _validate_goal(goal: Goal) -> None:
    errors = {}
    if goal.area not in GoalArea.values:
        errors["area"] = _("Bitte wählen Sie den Bereich des Ziels.")
    if not (goal.goal or "").strip():
        errors["goal"] = _("Bitte beschreiben Sie das Ziel.")
    if goal.agreed_on is None:
        errors["agreed_on"] = _("Bitte geben Sie an, wann das Ziel vereinbart wurde.")
    else:
        if goal.agreed_on > timezone.localdate():
            errors["agreed_on"] = _("Das Datum der Vereinbarung darf nicht in der Zukunft liegen.")
        elif goal.agreed_on < goal.case.first_contact_on:
            errors["agreed_on"] = _("Ein Ziel kann nicht vor dem Erstkontakt vereinbart worden sein.")
        if goal.due_by and goal.due_by < goal.agreed_on:
            errors["due_by"] = _("Die geplante Umsetzung kann nicht vor der Vereinbarung liegen.")
    if errors:
        raise ValidationError(errors)
    goal.full_clean(exclude=["case", "created_by"])


@transaction.atomic
def goal_add(*, user, case_id: int, area: str, goal: str, agreed_on: date, steps: list[str] | tuple = (),
             who: str = "", due_by: date | None = None, achieved: str = Achievement.IN_PROGRESS,
             services_involved: str = "", remarks: str = "") -> Goal:
    """Add one row of the goal agreement in one step."""
    case = _open_case(user=user, case_id=case_id, part=parts.Part.PART_B)
    steps = [s.strip() for s in steps if s and s.strip()]
    if len(steps) > MAX_STEPS:
        raise ValidationError({"steps": _("Ein Ziel hat höchstens drei Arbeitsschritte.")})
    steps += [""] * (MAX_STEPS - len(steps))
    if achieved not in Achievement.values:
        raise ValidationError({"achieved": _("Bitte wählen Sie, ob das Ziel erreicht ist.")})
    row = Goal(case=case, area=area, goal=(goal or "").strip(), step_1=steps[0], step_2=steps[1], step_3=steps[2],
               who=who.strip(), agreed_on=agreed_on, due_by=due_by, achieved=achieved,
               achieved_changed_on=timezone.localdate() if achieved != Achievement.IN_PROGRESS else None,
               services_involved=services_involved.strip(), remarks=remarks.strip(), created_by=user)
    _validate_goal(row)
    row.save()
    return row


@transaction.atomic
def goal_update(*, user, goal_id: int, data: dict) -> Goal:
    goal = _goal_for_write(user=user, goal_id=goal_id)
    unknown = set(data) - set(GOAL_FIELDS)
    if unknown:
        raise ValueError(f"not goal fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(goal, name, value if value is not None or name in ("agreed_on", "due_by") else "")
    _validate_goal(goal)
    goal.save()
    return goal


@transaction.atomic
def goal_set_achieved(*, user, goal_id: int, achieved: str) -> Goal:
    """Tick a goal (yes / no / partly / in progress) in one step."""
    goal = _goal_for_write(user=user, goal_id=goal_id)
    if achieved not in Achievement.values:
        raise ValidationError({"achieved": _("Bitte wählen Sie, ob das Ziel erreicht ist.")})
    if goal.achieved != achieved:
        goal.achieved, goal.achieved_changed_on = achieved, timezone.localdate()
        goal.save(update_fields=["achieved", "achieved_changed_on", "updated_at"])
    return goal


@transaction.atomic
def goal_delete(*, user, goal_id: int) -> None:
    goal = _goal_for_write(user=user, goal_id=goal_id, needs_consent=False)
    goal.delete()


# The status an ended plan can have at a reporting date on or after its end, by the reason of the end.
# Reasons not listed (moved away, handed over, maximum duration, other) allow any status but "in progress":
# the plan here is no longer carried out, and which of the others fits the case worker knows best.
STATUS_AFTER_END = {
    EndReason.ABORTED: (PlanStatus.ABORTED,),
    EndReason.LEFT_COUNTRY: (PlanStatus.LEFT_COUNTRY,),
    EndReason.GOALS_REACHED: (PlanStatus.NO_FURTHER_NEED,),
    EndReason.NO_FURTHER_NEED: (PlanStatus.NO_FURTHER_NEED,),
}


def statuses_after_end(end_reason: str) -> tuple[str, ...]:
    default = tuple(s for s in PlanStatus.values if s != PlanStatus.IN_PROGRESS)
    return STATUS_AFTER_END.get(end_reason, default)


def suggested_status(case) -> str | None:
    """The status an ended case has at the next reporting date, when its end reason decides it."""
    if not case.ended_on:
        return None
    allowed = statuses_after_end(case.end_reason)
    return allowed[0] if len(allowed) == 1 else None


@transaction.atomic
def reporting_status_record(*, user, case_id: int, reporting_date: date, status: str) -> ReportingStatus:
    """The plan's status at a reporting date; recording the same date again corrects that row.

    Also after the end of counselling: the next reporting date must show why the plan ended ("left the
    country", "aborted"), so an ended case takes statuses that agree with its end reason from its end
    on (and any status for earlier dates, to complete its history). Not on anonymised cases.
    """
    case = case_for_write(user=user, case_id=case_id)
    if case.anonymised_at or not case.ended_on:
        duration.ensure_open(case)
    errors = {}
    if status not in PlanStatus.values:
        errors["status"] = _("Bitte wählen Sie den Stand des Integrationsplans.")
    if reporting_date is None:
        errors["reporting_date"] = _("Bitte geben Sie den Stichtag an.")
    elif reporting_date < case.first_contact_on:
        errors["reporting_date"] = _("Der Stichtag kann nicht vor dem Erstkontakt liegen.")
    elif reporting_date > timezone.localdate():
        errors["reporting_date"] = _("Der Stichtag darf nicht in der Zukunft liegen.")
    elif not case.ended_on and reporting_date > duration.permitted_end(case):
        errors["reporting_date"] = _("Der Stichtag liegt nach dem Ende der zulässigen Beratungsdauer.")
    elif case.ended_on and reporting_date >= case.ended_on and "status" not in errors:
        allowed = statuses_after_end(case.end_reason)
        if status not in allowed:
            errors["status"] = _("Die Beratung wurde am %(date)s beendet (%(reason)s). Zu einem Stichtag ab "
                                 "diesem Tag passt nur: %(statuses)s.") % {
                "date": f"{case.ended_on:%d.%m.%Y}", "reason": case.get_end_reason_display(),
                "statuses": ", ".join(f"„{PlanStatus(s).label}“" for s in allowed)}
    if errors:
        raise ValidationError(errors)
    row, _created = ReportingStatus.objects.update_or_create(
        case=case, reporting_date=reporting_date, defaults={"status": status, "recorded_by": user},
    )
    return row
