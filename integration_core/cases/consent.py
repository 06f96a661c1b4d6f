"""Consent records: recording, withdrawal, and the gates that depend on them.

A purpose is valid on a day when the consent was given on or before it and the purpose was not
withdrawn on or before it. A withdrawal stops the use from its day on: new figures leave the case
out (``cases_usable_for_statistics(today)``), a handover is refused, and without a valid consent to
counselling and documentation no new entries go into Part A or Part B (``ensure_counselling_consent``).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Case, Consent, ConsentPurpose, ConsentPurposeKind, Provider
from .access import CHANGE_CASE, case_for_write, case_scope_q
from .duration import ensure_open


def valid_purpose_q(on: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}consent__given_on__lte": on}) & (
        Q(**{f"{prefix}withdrawn_on__isnull": True}) | Q(**{f"{prefix}withdrawn_on__gt": on})
    )


def cases_usable_for_statistics(on: date, *, queryset: QuerySet | None = None) -> QuerySet[Case]:
    """Cases whose statistics consent is valid on ``on`` (pass today when producing new figures)."""
    queryset = Case.objects.all() if queryset is None else queryset
    usable = ConsentPurpose.objects.filter(valid_purpose_q(on), purpose=ConsentPurposeKind.STATISTICS)
    return queryset.filter(pk__in=usable.values("consent__case_id"))


def valid_purpose(case, purpose: str, *, on: date | None = None,
                  recipient_provider_id: int | None = None) -> ConsentPurpose | None:
    """The most recent valid purpose of ``case`` (for a handover: naming ``recipient_provider_id``)."""
    on = on or timezone.localdate()
    purposes = ConsentPurpose.objects.filter(valid_purpose_q(on), consent__case_id=case.pk, purpose=purpose)
    if recipient_provider_id is not None:
        purposes = purposes.filter(recipient_provider_id=recipient_provider_id)
    return purposes.select_related("consent").order_by("-consent__given_on", "-pk").first()


def counselling_consent_refusal(case, *, on: date | None = None) -> str | None:
    """Why Part A and Part B take no new entries for want of consent on ``on``; None while it is valid.

    Read through ``case.consents.all()`` so a prefetched plan needs no further query.
    """
    on = on or timezone.localdate()
    withdrawn = []
    for consent in case.consents.all():
        for purpose in consent.purposes.all():
            if purpose.purpose != ConsentPurposeKind.COUNSELLING or consent.given_on > on:
                continue
            if purpose.withdrawn_on is None or purpose.withdrawn_on > on:
                return None
            withdrawn.append(purpose.withdrawn_on)
    if withdrawn:
        return _("Die Einwilligung in Beratung und Dokumentation wurde am %(date)s widerrufen; in Teil A und "
                 "Teil B sind keine neuen Einträge mehr möglich.") % {"date": f"{max(withdrawn):%d.%m.%Y}"}
    return _("Für Einträge in Teil A und Teil B braucht es eine gültige Einwilligung in Beratung und "
             "Dokumentation. Bitte erfassen Sie zuerst die Einwilligung der Person.")


def ensure_counselling_consent(case, *, on: date | None = None) -> None:
    """Refuse new Part A / Part B entries without a valid consent to counselling and documentation.

    Part A holds special-category data (health, disability, residence status): recording it needs the
    person's consent first, and a withdrawal stops it from its day on (GDPR Art. 7(3), 9(2)(a)).
    """
    refusal = counselling_consent_refusal(case, on=on)
    if refusal:
        raise ValidationError(refusal)


def _clean_purposes(purposes: list[dict]) -> list[ConsentPurpose]:
    if not purposes:
        raise ValidationError({"purposes": _("Bitte wählen Sie mindestens einen Zweck der Einwilligung.")})
    rows, seen = [], set()
    for item in purposes:
        kind = item.get("purpose")
        if kind not in ConsentPurposeKind.values:
            raise ValidationError({"purposes": _("Unbekannter Zweck der Einwilligung.")})
        provider_id = item.get("recipient_provider_id") or None
        name = (item.get("recipient_name") or "").strip()
        if kind in (ConsentPurposeKind.HANDOVER, ConsentPurposeKind.DATA_EXCHANGE) and not (provider_id or name):
            raise ValidationError({"purposes": _("Bei Übergabe und Datenaustausch ist die empfangende Stelle zu "
                                                 "benennen.")})
        if provider_id and not Provider.objects.filter(pk=provider_id).exists():
            raise ValidationError({"purposes": _("Der empfangende Träger ist unbekannt.")})
        key = (kind, provider_id, name)
        if key in seen:
            continue
        seen.add(key)
        rows.append(ConsentPurpose(purpose=kind, recipient_provider_id=provider_id, recipient_name=name[:200]))
    return rows


@transaction.atomic
def consent_record(*, user, case_id: int, notice_version: str, language: str, given_on: date,
                   purposes: list[dict]) -> Consent:
    """Record one signed consent with its purposes (dicts: purpose, recipient_provider_id, recipient_name)."""
    case = case_for_write(user=user, case_id=case_id)
    ensure_open(case)
    errors = {}
    if not (notice_version or "").strip():
        errors["notice_version"] = _("Bitte geben Sie die Fassung der Datenschutzinformation an.")
    if not (language or "").strip():
        errors["language"] = _("Bitte geben Sie die Sprache der Erklärung an.")
    if given_on is None:
        errors["given_on"] = _("Bitte geben Sie das Datum der Einwilligung an.")
    elif given_on > timezone.localdate():
        errors["given_on"] = _("Das Datum der Einwilligung darf nicht in der Zukunft liegen.")
    elif given_on < case.first_contact_on:
        errors["given_on"] = _("Die Einwilligung kann nicht vor dem Erstkontakt erteilt worden sein.")
    if errors:
        raise ValidationError(errors)
    rows = _clean_purposes(purposes)
    consent = Consent.objects.create(case=case, notice_version=notice_version.strip()[:50],
                                     language=language.strip()[:10], given_on=given_on, collected_by=user)
    for row in rows:
        row.consent = consent
    ConsentPurpose.objects.bulk_create(rows)
    return consent


@transaction.atomic
def consent_withdraw(*, user, consent_id: int, withdrawn_on: date, purpose_ids: list[int] | None = None) -> Consent:
    """Withdraw all purposes of a consent, or the listed ones, from ``withdrawn_on`` on.

    Allowed on ended cases too (a withdrawal must always be recordable); never in the future.
    """
    if not user.has_perm(CHANGE_CASE):
        raise PermissionDenied(_("Sie dürfen Fälle nicht bearbeiten."))
    consent = Consent.objects.filter(pk=consent_id, case__in=Case.objects.filter(case_scope_q(user))).first()
    if consent is None:
        raise Http404(_("Einwilligung nicht gefunden."))
    if withdrawn_on is None or withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("Das Datum des Widerrufs darf nicht in der Zukunft liegen.")})
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("Der Widerruf kann nicht vor der Einwilligung liegen.")})
    purposes = consent.purposes.select_for_update().filter(withdrawn_on__isnull=True)
    if purpose_ids is not None:
        purposes = purposes.filter(pk__in=purpose_ids)
    if not purposes.exists():
        raise ValidationError(_("Diese Einwilligung ist bereits widerrufen."))
    purposes.update(withdrawn_on=withdrawn_on, withdrawal_recorded_by=user)
    return consent
