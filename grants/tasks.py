"""Side effects of the grant actions. Each task takes ids and is safe to run twice.

Services do not call these directly: they write an outbox row (``grants.outbox.enqueue``) in their
transaction, and the outbox runs the task after the commit, retries it with backoff and re-drives it after a
broker outage. The tasks marked ``@outbox.handler`` are those it may run.
"""

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
from django.utils.translation import gettext_lazy

from . import outbox
from .models import Application, ApplicationEvent, Document, DocumentKind, GrantIncrease, SentMessage
from .states import State

log = logging.getLogger(__name__)


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


@outbox.handler(gettext_lazy("E-Mail zum Bearbeitungsschritt"))
@shared_task
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


@outbox.handler(gettext_lazy("Bescheid erstellen"))
@shared_task
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


@outbox.handler(gettext_lazy("Änderungsbescheid erstellen"))
@shared_task
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

    One message per application, due date and kind (14 days before / on the day), each an outbox row under
    that key: a second run on the same day, or on a second worker, queues nothing new. Returns how many
    reminders this run queued (they go out through the outbox, retried if the mail server is away).
    """
    today = today or timezone.localdate()
    queued = 0
    due = Application.objects.filter(state=State.PAID, settlement_due_on__isnull=False)
    for application in due.filter(settlement_due_on__in=[today, today + timedelta(days=14)]):
        days = (application.settlement_due_on - today).days
        with transaction.atomic():
            _message, created = outbox.enqueue(
                send_settlement_reminder, key=_reminder_key(application.pk, application.settlement_due_on, days),
                target=application.file_number, application_id=application.pk,
                due_on=application.settlement_due_on.isoformat(), days=days)
        queued += created
    due.filter(settlement_due_on__lt=today, settlement_overdue=False).update(settlement_overdue=True)
    return queued


def _reminder_key(application_id: int, due_on: date, days: int) -> str:
    return f"reminder:{application_id}:{due_on:%Y%m%d}:{days}"


@outbox.handler(gettext_lazy("Erinnerung an den Verwendungsnachweis"))
@shared_task
def send_settlement_reminder(application_id: int, due_on: str, days: int) -> bool:
    """One reminder, worded as on the day it was due to go out; sent once under its key."""
    application = Application.objects.select_related("organisation", "programme").get(pk=application_id)
    due = date.fromisoformat(due_on)
    if application.state != State.PAID or application.settlement_due_on != due:
        return False  # handed in (or the date moved) before the reminder went out: nothing to remind of
    with translation.override(settings.LANGUAGE_CODE):
        context = {"application": application, "days": days, "base_url": settings.WAGTAILADMIN_BASE_URL}
        subject = render_to_string("grants/email/reminder_subject.txt", context).strip()
        body = render_to_string("grants/email/reminder_body.txt", context)
    return send_once(key=_reminder_key(application_id, due, days), recipients=_recipients(application),
                     subject=subject, body=body)


@outbox.handler(gettext_lazy("Bescheide einer Sitzung bündeln"))
@shared_task(bind=True, max_retries=5)
def build_meeting_letters(self, bundle_id: int) -> int:
    """All decision letters of a meeting in one job, progress counted, then one ZIP; safe to run twice.

    Each letter is the stored one (``generate_document`` creates it once), so the ZIP holds exactly the
    letters the applicants get. A failure marks the bundle «failed» with a German explanation for staff (the
    letters page then stops reloading and offers a restart) and is logged with its traceback for the error
    tracker; only a passing storage hiccup (OSError) is retried first (by the outbox, ``max_retries`` times).
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
            raise  # the outbox retries with backoff: the bundle stays «running» until the next attempt
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
