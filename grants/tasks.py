"""Side effects of the grant actions. Each task takes ids and is safe to run twice."""

import hashlib
import logging
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Application, ApplicationEvent, Document, DocumentKind, GrantIncrease, SentMessage
from .states import State

log = logging.getLogger(__name__)
# OSError covers smtplib.SMTPException, ConnectionError and TimeoutError: a mail server hiccup is retried.
RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


def _recipients(application: Application) -> list[str]:
    emails = {application.organisation.contact_email}
    emails.update(application.organisation.members.values_list("email", flat=True))
    return sorted(e for e in emails if e)


def send_once(*, key: str, recipients: list[str], subject: str, body: str) -> bool:
    """Send unless a message under ``key`` went out already; the unique key decides."""
    try:
        with transaction.atomic():
            SentMessage.objects.create(key=key, recipients=", ".join(recipients), subject=subject[:200])
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except IntegrityError:
        return False
    return True


@shared_task(**RETRY)
def notify_event(event_id: int) -> bool:
    event = ApplicationEvent.objects.select_related("application__organisation", "application__programme").get(
        pk=event_id
    )
    application = event.application
    with translation.override(settings.LANGUAGE_CODE):
        context = {"event": event, "application": application, "base_url": settings.WAGTAILADMIN_BASE_URL}
        subject = render_to_string("grants/email/event_subject.txt", context).strip()
        body = render_to_string("grants/email/event_body.txt", context)
    return send_once(key=f"event:{event.pk}", recipients=_recipients(application), subject=subject, body=body)


@shared_task(**RETRY)
def generate_document(application_id: int, kind: str) -> int:
    """Render and store a letter once; a second run returns the stored one unchanged."""
    from .letters import render_letter

    existing = Document.objects.filter(application_id=application_id, kind=kind, increase__isnull=True).first()
    if existing:
        return existing.pk
    application = Application.objects.select_related("programme", "organisation", "place").get(pk=application_id)
    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_letter(application, kind)
    document = Document(application=application, kind=kind, sha256=hashlib.sha256(pdf).hexdigest())
    document.file.save("letter.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        document.file.delete(save=False)
        return Document.objects.get(application_id=application_id, kind=kind, increase__isnull=True).pk
    return document.pk


@shared_task(**RETRY)
def generate_amendment(increase_id: int) -> int:
    """The Änderungsbescheid for one increase, stored once; a second run returns the stored one."""
    from .letters import render_amendment

    existing = Document.objects.filter(increase_id=increase_id).first()
    if existing:
        return existing.pk
    increase = GrantIncrease.objects.select_related(
        "application__programme", "application__organisation", "allocation_run").get(pk=increase_id)
    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_amendment(increase)
    document = Document(application=increase.application, kind=DocumentKind.AMENDMENT, increase=increase,
                        sha256=hashlib.sha256(pdf).hexdigest())
    document.file.save("letter.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        document.file.delete(save=False)
        return Document.objects.get(increase_id=increase_id).pk
    return document.pk


@shared_task
def send_settlement_reminders(today: date | None = None) -> int:
    """Daily: remind 14 days before and on the due date; flag overdue settlements for staff.

    One message per application, due date and kind (14 days before / on the day):
    a second run on the same day, or on a second worker, sends nothing new.
    """
    today = today or timezone.localdate()
    sent = 0
    due = Application.objects.filter(state=State.PAID, settlement_due_on__isnull=False).select_related(
        "organisation", "programme"
    )
    for application in due.filter(settlement_due_on__in=[today, today + timedelta(days=14)]):
        days = (application.settlement_due_on - today).days
        with translation.override(settings.LANGUAGE_CODE):
            context = {"application": application, "days": days, "base_url": settings.WAGTAILADMIN_BASE_URL}
            subject = render_to_string("grants/email/reminder_subject.txt", context).strip()
            body = render_to_string("grants/email/reminder_body.txt", context)
        key = f"reminder:{application.pk}:{application.settlement_due_on:%Y%m%d}:{days}"
        sent += send_once(key=key, recipients=_recipients(application), subject=subject, body=body)
    due.filter(settlement_due_on__lt=today, settlement_overdue=False).update(settlement_overdue=True)
    return sent


@shared_task(bind=True, **RETRY)
def build_meeting_letters(self, bundle_id: int) -> int:
    """All decision letters of a meeting in one job, progress counted, then one ZIP; safe to run twice.

    Each letter is the stored one (``generate_document`` creates it once), so the ZIP holds exactly the
    letters the applicants get. A failure marks the bundle «failed» with a German explanation for staff (the
    letters page then stops reloading and offers a restart) and is logged with its traceback for the error
    tracker; only a passing storage hiccup (OSError) is retried first.
    """
    from .models import LetterBundle

    bundle = LetterBundle.objects.select_related("meeting").get(pk=bundle_id)
    if bundle.status == LetterBundle.Status.DONE:
        return bundle.pk
    LetterBundle.objects.filter(pk=bundle.pk).update(status=LetterBundle.Status.RUNNING, done=0, error="")
    progress = {"position": None}
    try:
        content = _letters_zip(bundle, progress)
        bundle.refresh_from_db()
        bundle.file.save(f"Bescheide-{bundle.meeting.date:%Y-%m-%d}-{bundle.meeting.pk}.zip", ContentFile(content),
                         save=False)
    except Exception as exc:
        if isinstance(exc, OSError) and self.request.retries < self.max_retries:
            raise  # autoretry_for: the bundle stays «running» until the next attempt
        log.exception("Bescheidpaket %s der Sitzung %s fehlgeschlagen (TOP %s)", bundle.pk, bundle.meeting_id,
                      progress["position"])
        with translation.override(settings.LANGUAGE_CODE):
            error = _letters_error(progress["position"])
        LetterBundle.objects.filter(pk=bundle.pk).update(status=LetterBundle.Status.FAILED, error=error,
                                                         finished_at=None)
        return bundle.pk
    bundle.status, bundle.finished_at = LetterBundle.Status.DONE, timezone.now()
    bundle.save(update_fields=["file", "status", "finished_at"])
    return bundle.pk


def _letters_zip(bundle, progress: dict) -> bytes:
    """The ZIP of the meeting's decision letters; ``progress["position"]`` names the item being worked on."""
    import io
    import zipfile

    from .models import AgendaItem, LetterBundle

    items = AgendaItem.objects.filter(meeting=bundle.meeting).exclude(
        outcome__in=["", AgendaItem.Outcome.DEFERRED]).select_related("application").order_by("position")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in items:
            progress["position"] = item.position
            kind = DocumentKind.REJECTION if item.outcome == AgendaItem.Outcome.REJECTED else DocumentKind.APPROVAL
            document = Document.objects.get(pk=generate_document(item.application_id, kind))
            with document.file.open("rb") as handle:
                archive.writestr(f"{item.position:03d}-{document.filename}", handle.read())
            LetterBundle.objects.filter(pk=bundle.pk).update(done=models.F("done") + 1)
    progress["position"] = None
    return buffer.getvalue()


def _letters_error(position: int | None) -> str:
    """What staff read on the letters page; the technical details are in the log."""
    if position is None:
        return _("Das ZIP-Archiv der Bescheide konnte nicht gespeichert werden. Der Fehler ist protokolliert; "
                 "starten Sie die Erstellung erneut. Bleibt der Fehler, wenden Sie sich an den IT-Betrieb.")
    return _("Der Bescheid zu TOP %(position)s konnte nicht erstellt werden. Der Fehler ist protokolliert; "
             "starten Sie die Erstellung erneut. Bereits erstellte Bescheide bleiben erhalten. Bleibt der Fehler, "
             "wenden Sie sich an den IT-Betrieb.") % {"position": position}
