"""Writes on the case itself: create, frame data, end, extension, handover.

Each takes the acting ``user``, checks the right (PermissionDenied) and the scope (Http404),
validates with German messages (ValidationError) and runs in one transaction.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Case, CaseHandover, ConsentPurposeKind, CounsellingType, EndReason, Provider
from . import duration, parts
from .access import ADD_CASE, EXTEND_CASE, HANDOVER_CASE, case_for_write, is_lead, is_member
from .consent import valid_purpose

CASE_FIELDS = [
    "first_name", "last_name", "birth_date", "birth_year", "gender", "country_of_origin", "phone", "email",
    "address", "notes", "municipality", "municipality_id", "counselling_type", "first_contact_on", "referral",
    "referral_other", "agreement_signed_on",
]
# The database defaults for what a caller leaves out.
_CLEAN_EXCLUDE = ["provider", "case_worker", "created_by", "extended_by"]


def _apply(case: Case, data: dict) -> None:
    unknown = set(data) - set(CASE_FIELDS)
    if unknown:
        raise ValueError(f"not case fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(case, name, "" if value is None and name not in _NULLABLE else value)
    if case.birth_date:
        case.birth_year = case.birth_date.year  # the year is what survives anonymisation
    case.country_of_origin = (case.country_of_origin or "").upper()


_NULLABLE = {"birth_date", "birth_year", "agreement_signed_on", "first_contact_on", "municipality",
             "municipality_id"}


def _validate(case: Case) -> None:
    errors = {}
    today = timezone.localdate()
    if case.first_contact_on and case.first_contact_on > today:
        errors["first_contact_on"] = _("Der Erstkontakt darf nicht in der Zukunft liegen.")
    if case.birth_date and case.birth_date > today:
        errors["birth_date"] = _("Das Geburtsdatum darf nicht in der Zukunft liegen.")
    if case.birth_year and not (1900 <= case.birth_year <= today.year):
        errors["birth_year"] = _("Bitte geben Sie ein gültiges Geburtsjahr an.")
    if case.agreement_signed_on and case.first_contact_on and case.agreement_signed_on < case.first_contact_on:
        errors["agreement_signed_on"] = _("Die Beratungsvereinbarung kann nicht vor dem Erstkontakt "
                                          "unterschrieben worden sein.")
    if case.referral == "other" and not case.referral_other.strip():
        errors["referral_other"] = _("Bitte beschreiben Sie den sonstigen Zugang.")
    if case.country_of_origin and (len(case.country_of_origin) != 2 or not case.country_of_origin.isalpha()):
        errors["country_of_origin"] = _("Bitte geben Sie das Herkunftsland als zweistelligen Ländercode an "
                                        "(z. B. SY).")
    if errors:
        raise ValidationError(errors)
    case.full_clean(exclude=_CLEAN_EXCLUDE)


@transaction.atomic
def case_create(*, user, provider_id: int, data: dict, case_worker_id: int | None = None) -> Case:
    """A new case at ``provider_id``. Case workers create their own cases; a lead may name the case worker."""
    if not user.has_perm(ADD_CASE) or not is_member(user, provider_id):
        raise PermissionDenied(_("Sie dürfen bei diesem Träger keine Fälle anlegen."))
    provider = Provider.objects.get(pk=provider_id)
    worker_id = case_worker_id or user.pk
    if worker_id != user.pk:
        if not is_lead(user, provider_id):
            raise PermissionDenied(_("Nur die Fallleitung kann Fälle anderen Integrationsmanager:innen zuordnen."))
        from django.contrib.auth import get_user_model

        worker = get_user_model().objects.filter(pk=worker_id).first()
        if worker is None or not is_member(worker, provider_id):
            raise ValidationError({"case_worker": _("Diese Person arbeitet nicht für den Träger.")})
    case = Case(provider=provider, case_worker_id=worker_id, created_by=user)
    _apply(case, data)
    _validate(case)
    case.save()
    return case


@transaction.atomic
def case_update(*, user, case_id: int, data: dict) -> Case:
    case = case_for_write(user=user, case_id=case_id)
    duration.ensure_open(case)
    old_type = case.counselling_type
    _apply(case, data)
    _validate(case)
    if old_type != case.counselling_type and case.counselling_type == CounsellingType.ONE_OFF and (
        hasattr(case, "competences") or case.goals.exists()
    ):
        raise ValidationError({"counselling_type": _(
                "Eine einmalige Anfrage hat weder Teil A noch Teil B; der Fall enthält aber schon Angaben dazu.")})
    if old_type != case.counselling_type and not parts.allows(case.counselling_type, parts.Part.PART_B) \
            and case.goals.exists():
        raise ValidationError({"counselling_type": _("Der Fall enthält bereits Ziele (Teil B).")})
    case.save()
    return case


@transaction.atomic
def case_end(*, user, case_id: int, ended_on: date, end_reason: str) -> Case:
    case = case_for_write(user=user, case_id=case_id)
    if case.anonymised_at:
        raise ValidationError(_("Der Fall ist anonymisiert und kann nicht mehr bearbeitet werden."))
    if case.ended_on:
        raise ValidationError(_("Die Beratung wurde bereits am %(date)s beendet.") % {
            "date": f"{case.ended_on:%d.%m.%Y}"})
    errors = {}
    if end_reason not in EndReason.values:
        errors["end_reason"] = _("Bitte wählen Sie den Grund für das Ende der Beratung.")
    if ended_on is None or ended_on > timezone.localdate():
        errors["ended_on"] = _("Das Ende der Beratung darf nicht in der Zukunft liegen.")
    elif ended_on < case.first_contact_on:
        errors["ended_on"] = _("Das Ende der Beratung kann nicht vor dem Erstkontakt liegen.")
    elif ended_on > duration.permitted_end(case):
        # Counselling ran out without being closed: it ended at the permitted end at the latest.
        errors["ended_on"] = _("Die Beratung endete spätestens am %(date)s (Höchstdauer).") % {
            "date": f"{duration.permitted_end(case):%d.%m.%Y}"}
    if errors:
        raise ValidationError(errors)
    parts.validate_plan_for_end(case, end_reason)
    case.ended_on, case.end_reason = ended_on, end_reason
    case.save(update_fields=["ended_on", "end_reason", "updated_at"])
    return case


@transaction.atomic
def case_extend(*, user, case_id: int, until: date, reason: str) -> Case:
    """The one extension by at most a year, by the provider's lead, with a written reason."""
    case = case_for_write(user=user, case_id=case_id)
    if not user.has_perm(EXTEND_CASE) or not is_lead(user, case.provider_id):
        raise PermissionDenied(_("Nur die Fallleitung des Trägers kann eine Beratung verlängern."))
    if case.anonymised_at:
        raise ValidationError(_("Der Fall ist anonymisiert und kann nicht mehr bearbeitet werden."))
    duration.validate_extension(case, until=until, reason=reason)
    case.extended_until, case.extension_reason = until, reason.strip()
    case.extended_by, case.extended_at = user, timezone.now()
    case.save(update_fields=["extended_until", "extension_reason", "extended_by", "extended_at", "updated_at"])
    return case


@transaction.atomic
def case_handover(*, user, case_id: int, to_case_worker_id: int, to_provider_id: int | None = None,
                  note: str = "") -> CaseHandover:
    """Hand a case to another case worker; to another provider only with a valid consent naming it."""
    case = case_for_write(user=user, case_id=case_id)
    if not user.has_perm(HANDOVER_CASE) or not (case.case_worker_id == user.pk or is_lead(user, case.provider_id)):
        raise PermissionDenied(_("Nur die zuständige Integrationsmanager:in oder die Fallleitung kann den Fall "
                                 "übergeben."))
    duration.ensure_open(case)
    to_provider_id = to_provider_id or case.provider_id
    to_provider = Provider.objects.filter(pk=to_provider_id, is_active=True).first()
    if to_provider is None:
        raise ValidationError({"to_provider": _("Der Träger ist unbekannt oder nicht aktiv.")})
    from django.contrib.auth import get_user_model

    worker = get_user_model().objects.filter(pk=to_case_worker_id, is_active=True).first()
    if worker is None or not is_member(worker, to_provider_id):
        raise ValidationError({"to_case_worker": _("Diese Person arbeitet nicht für den gewählten Träger.")})
    if worker.pk == case.case_worker_id and to_provider_id == case.provider_id:
        raise ValidationError({"to_case_worker": _("Der Fall liegt bereits bei dieser Person.")})
    purpose = None
    if to_provider_id != case.provider_id:
        purpose = valid_purpose(case, ConsentPurposeKind.HANDOVER, recipient_provider_id=to_provider_id)
        if purpose is None:
            raise ValidationError(_("Für die Übergabe an „%(provider)s“ liegt keine gültige Einwilligung vor. "
                                    "Bitte erfassen Sie zuerst die Einwilligung der Person in diese Übergabe.")
                                  % {"provider": to_provider.name})
    handover = CaseHandover.objects.create(
        case=case, from_provider_id=case.provider_id, from_case_worker_id=case.case_worker_id,
        to_provider=to_provider, to_case_worker=worker, consent_purpose=purpose, note=note.strip(),
        handed_over_by=user,
    )
    case.provider, case.case_worker = to_provider, worker
    case.save(update_fields=["provider", "case_worker", "updated_at"])
    return handover
