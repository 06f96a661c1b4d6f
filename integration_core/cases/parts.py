"""Which parts of the Integrationsplan a counselling type requires — the one place that says so.

Anhang 4 of the Singen template ("Wenn-Dann-Logik"): a one-off enquiry has frame data only,
simple counselling frame data and Part A, full case management frame data, Part A and Part B.
Simple counselling may fill Part B voluntarily; it is then kept, just not required.
The requirement bites when counselling ends with a reason saying it took place (``validate_plan_for_end``).
"""

from enum import StrEnum

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ConsentPurposeKind, CounsellingType, EndReason


class Part(StrEnum):
    FRAME = "frame"
    PART_A = "part_a"
    PART_B = "part_b"

    @property
    def label(self) -> str:
        return str(PART_LABELS[self])


PART_LABELS = {
    Part.FRAME: gettext_lazy("Rahmendaten"),
    Part.PART_A: gettext_lazy("Teil A: Kompetenzerfassung"),
    Part.PART_B: gettext_lazy("Teil B: Zielvereinbarung"),
}

REQUIRED_PARTS: dict[str, tuple[Part, ...]] = {
    CounsellingType.ONE_OFF: (Part.FRAME,),
    CounsellingType.SIMPLE: (Part.FRAME, Part.PART_A),
    CounsellingType.FULL: (Part.FRAME, Part.PART_A, Part.PART_B),
}
# Parts a type may hold at all (Part B is optional for simple counselling, absent for one-off enquiries).
ALLOWED_PARTS: dict[str, tuple[Part, ...]] = {
    CounsellingType.ONE_OFF: (Part.FRAME,),
    CounsellingType.SIMPLE: (Part.FRAME, Part.PART_A, Part.PART_B),
    CounsellingType.FULL: (Part.FRAME, Part.PART_A, Part.PART_B),
}

# Part A is complete when these are known (the evaluation data of the template plus the
# three facts "Eigenständiges Leben" is derived from).
PART_A_REQUIRED = {
    "german_level": gettext_lazy("das aktuelle Deutschniveau"),
    "labour_status": gettext_lazy("die Stellung am Arbeitsmarkt"),
    "housing": gettext_lazy("die Wohnsituation"),
    "household_size": gettext_lazy("die Zahl der Personen im Haushalt"),
    "first_language": gettext_lazy("die Muttersprache"),
}


def required_parts(counselling_type: str) -> tuple[Part, ...]:
    try:
        return REQUIRED_PARTS[counselling_type]
    except KeyError:
        raise ValueError(f"unknown counselling type {counselling_type!r}") from None


def allows(counselling_type: str, part: Part) -> bool:
    return part in ALLOWED_PARTS.get(counselling_type, ())


def _frame_messages(case) -> list[str]:
    messages = []
    if not case.first_contact_on:
        messages.append(_("Bitte geben Sie das Datum des Erstkontakts an."))
    if not case.referral:
        messages.append(_("Bitte geben Sie an, wie die Person zur Beratung gekommen ist."))
    if not case.gender or not case.birth_year:
        messages.append(_("Bitte geben Sie Geschlecht und Geburtsjahr an (für die Auswertung)."))
    if case.counselling_type != CounsellingType.ONE_OFF:
        # Beyond a one-off enquiry counselling needs the agreement and the consent (Anhang 4).
        if not case.agreement_signed_on:
            messages.append(_("Bitte erfassen Sie das Datum der unterschriebenen Beratungsvereinbarung."))
        # Read through .all() so a prefetched plan (case_plan_for_read) needs no further query.
        if not case.pk or not any(
            purpose.purpose == ConsentPurposeKind.COUNSELLING and purpose.withdrawn_on is None
            for consent in case.consents.all() for purpose in consent.purposes.all()
        ):
            messages.append(_("Bitte erfassen Sie die Einwilligungs- und Datenschutzerklärung."))
    return messages


def _part_a_messages(case) -> list[str]:
    try:
        competences = case.competences
    except ObjectDoesNotExist:
        return [_("Teil A (Kompetenzerfassung) ist noch nicht ausgefüllt.")]
    missing = [str(label) for field, label in PART_A_REQUIRED.items() if getattr(competences, field) in (None, "")]
    if missing:
        return [_("In Teil A fehlen noch: %(fields)s.") % {"fields": ", ".join(missing)}]
    return []


def _part_b_messages(case) -> list[str]:
    if not case.pk or not case.goals.all():
        return [_("Teil B (Zielvereinbarung) braucht mindestens ein Ziel.")]
    return []


_CHECKS = {Part.FRAME: _frame_messages, Part.PART_A: _part_a_messages, Part.PART_B: _part_b_messages}


def missing_parts(case) -> dict[Part, list[str]]:
    """German messages for each required part that is incomplete; empty when the plan is complete."""
    result = {}
    for part in required_parts(case.counselling_type):
        messages = _CHECKS[part](case)
        if messages:
            result[part] = messages
    return result


def validate_plan(case) -> None:
    """Raise ValidationError listing everything the case's type still requires."""
    missing = missing_parts(case)
    if missing:
        raise ValidationError([message for messages in missing.values() for message in messages])


# End reasons saying the counselling took place and ran its course: the plan must then hold every part
# its type requires, or it would count as a complete plan in the figures. The other reasons record an
# interruption from outside (did not come about or broken off, left the country or the district, taken
# over by another service, other): what is missing can no longer be collected, and requiring it would
# force invented entries or keep the case open until the retention period lapses.
END_REASONS_NEEDING_COMPLETE_PLAN = (EndReason.GOALS_REACHED, EndReason.NO_FURTHER_NEED, EndReason.MAX_DURATION)


def validate_plan_for_end(case, end_reason: str) -> None:
    """Ending with a reason of END_REASONS_NEEDING_COMPLETE_PLAN needs the complete plan (German messages)."""
    if end_reason not in END_REASONS_NEEDING_COMPLETE_PLAN:
        return
    missing = [message for messages in missing_parts(case).values() for message in messages]
    if missing:
        intro = _("Mit dem Grund „%(reason)s“ kann die Beratung erst beendet werden, wenn alle Teile vollständig "
                  "sind, die zur Art der Beratung gehören. Kam die Beratung nicht zustande oder wurde sie "
                  "abgebrochen, wählen Sie „%(aborted)s“.") % {
            "reason": EndReason(end_reason).label, "aborted": EndReason.ABORTED.label}
        raise ValidationError([intro, *missing])
