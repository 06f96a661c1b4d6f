"""Completeness of an application, as the applicant reads it: plain German."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from programmes import rules as programme_rules


def missing_items(application, today: date | None = None) -> list[str]:
    """Everything that keeps the application from being submitted, one sentence each."""
    today = today or timezone.localdate()
    missing = []
    required_text = [
        ("title", _("Geben Sie einen Titel an.")),
        ("summary", _("Beschreiben Sie das Vorhaben kurz.")),
        ("goals", _("Nennen Sie die Ziele des Vorhabens.")),
        ("target_group", _("Beschreiben Sie die Zielgruppe.")),
        ("activity_type", _("Wählen Sie die Art der Maßnahme.")),
        ("funding_field", _("Wählen Sie das Handlungsfeld.")),
    ]
    for field, message in required_text:
        if not (getattr(application, field) or "").strip():
            missing.append(message)
    programme = application.programme
    if application.activity_type and application.activity_type not in programme.activity_types:
        missing.append(_("Diese Art der Maßnahme wird in diesem Programm nicht gefördert."))
    if application.funding_field and application.funding_field not in programme.funding_fields:
        missing.append(_("Dieses Handlungsfeld wird in diesem Programm nicht gefördert."))
    if not application.expected_participants:
        missing.append(_("Geben Sie die erwartete Zahl der Teilnehmenden an."))
    if application.place_id is None:
        missing.append(_("Wählen Sie den Ort (die Kreiskommune) der Maßnahme."))
    if not application.planned_start or not application.planned_end:
        missing.append(_("Geben Sie den geplanten Beginn und das geplante Ende an."))
    else:
        if application.planned_end < application.planned_start:
            missing.append(_("Das geplante Ende liegt vor dem Beginn."))
        # The application date as the district's calendar shows it (not UTC's).
        start_reference = timezone.localdate(application.submitted_at) if application.submitted_at else today
        if application.planned_start < start_reference and not application.early_start_requested:
            missing.append(_(
                "Der Beginn liegt vor dem Antragsdatum. Beantragen Sie den vorzeitigen Maßnahmebeginn "
                "oder verschieben Sie den Beginn."))
    if application.early_start_requested and not application.early_start_reason.strip():
        missing.append(_("Begründen Sie den vorzeitigen Maßnahmebeginn."))
    if not application.cost_lines.exists():
        missing.append(_("Legen Sie einen Kostenplan mit mindestens einer Position an."))
    else:
        error = programme_rules.amount_error(programme, application.requested_amount)
        if error:
            missing.append(error)
    type_error = programme_rules.applicant_type_error(programme, application.organisation.applicant_type)
    if type_error:
        missing.append(type_error)
    declarations = [
        application.declaration_truthful, application.declaration_not_started,
        application.declaration_privacy, application.declaration_conditions,
    ]
    if not all(declarations):
        missing.append(_("Bestätigen Sie alle Erklärungen am Ende des Antrags."))
    return missing
