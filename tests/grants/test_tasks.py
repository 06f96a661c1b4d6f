"""Side effects: after commit only, ids only, safe to run twice, failures not remembered as done."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from grants import outbox, tasks
from grants.models import Application, ApplicationEvent, Document, DocumentKind, OutboxMessage, SentMessage
from grants.states import State

from .journey import ACTIONS, application_in, make_cast, submit_settlement

pytestmark = pytest.mark.django_db


def _last_event(app):
    return ApplicationEvent.objects.filter(application=app).latest("pk")


# -- e-mails -------------------------------------------------------------------------------------
def test_an_event_mail_goes_out_once_however_often_the_task_runs():
    cast = make_cast()
    app = application_in(State.SUBMITTED, cast)
    event = _last_event(app)
    assert [tasks.notify_event(event.pk), tasks.notify_event(event.pk)] == [True, False]
    assert len(mail.outbox) == 1
    assert cast.member.email in mail.outbox[0].to
    assert app.organisation.contact_email in mail.outbox[0].to
    assert app.file_number in mail.outbox[0].subject
    assert SentMessage.objects.filter(key=f"event:{event.pk}").count() == 1


def test_a_failed_send_is_not_remembered_as_sent(monkeypatch):
    cast = make_cast()
    event = _last_event(application_in(State.SUBMITTED, cast))

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Verbindung verloren")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    with pytest.raises(smtplib.SMTPException):
        tasks.notify_event(event.pk)
    assert not SentMessage.objects.exists()
    monkeypatch.undo()
    assert tasks.notify_event(event.pk) is True
    assert len(mail.outbox) == 1


# -- letters -------------------------------------------------------------------------------------
def test_a_letter_is_stored_once_and_not_rendered_again(fake_letter):
    cast = make_cast()
    app = application_in(State.APPROVED, cast)
    first = tasks.generate_document(app.pk, DocumentKind.APPROVAL)
    second = tasks.generate_document(app.pk, DocumentKind.APPROVAL)
    assert first == second
    assert Document.objects.filter(application=app).count() == 1
    assert len(fake_letter) == 1
    document = Document.objects.get(pk=first)
    assert document.file.read() == f"%PDF-1.4 {app.file_number} approval".encode()


def test_two_workers_rendering_the_same_letter_keep_one(monkeypatch, fake_letter):
    """The other worker stores its letter while ours renders: the unique constraint keeps theirs."""
    cast = make_cast()
    app = application_in(State.APPROVED, cast)
    from django.core.files.base import ContentFile

    def render_while_other_worker_stores(application, kind):
        theirs = Document(application=application, kind=kind, sha256="0" * 64)
        theirs.file.save("theirs.pdf", ContentFile(b"%PDF theirs"), save=True)
        return b"%PDF ours"

    monkeypatch.setattr("grants.letters.render_letter", render_while_other_worker_stores)
    pk = tasks.generate_document(app.pk, DocumentKind.APPROVAL)
    document = Document.objects.get(application=app)
    assert (pk, document.file.read()) == (document.pk, b"%PDF theirs")


# -- after commit only ---------------------------------------------------------------------------
def test_side_effects_wait_for_the_commit(django_capture_on_commit_callbacks, fake_letter):
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast)
    with django_capture_on_commit_callbacks() as callbacks:
        ACTIONS["approve"](cast.head, app.pk)
    assert (len(mail.outbox), Document.objects.count()) == (0, 0)  # decided, nothing sent yet
    assert len(callbacks) == 2  # the event mail and the decision letter
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert Document.objects.get(application=app).kind == DocumentKind.APPROVAL


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks, fake_letter):
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast)

    def approve_then_fail():
        with transaction.atomic():
            ACTIONS["approve"](cast.head, app.pk)
            raise RuntimeError("die umgebende Transaktion scheitert")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        approve_then_fail()
    assert callbacks == []
    assert (len(mail.outbox), Document.objects.count(), fake_letter) == (0, 0, [])
    assert Application.objects.get(pk=app.pk).state == State.RECOMMENDED


def test_a_failing_side_effect_does_not_undo_the_committed_decision(
    django_capture_on_commit_callbacks, fake_letter, monkeypatch
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("weg")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast)
    with django_capture_on_commit_callbacks(execute=True):
        ACTIONS["approve"](cast.head, app.pk)  # does not raise: the callbacks are robust
    assert Application.objects.get(pk=app.pk).state == State.APPROVED
    assert Document.objects.filter(application=app).exists()
    assert not SentMessage.objects.exists()


# -- settlement reminders ------------------------------------------------------------------------
@pytest.fixture
def paid():
    cast = make_cast()
    app = application_in(State.PAID, cast)
    return app, cast


def test_reminders_go_out_14_days_before_and_on_the_due_date_once_each(paid, django_capture_on_commit_callbacks):
    app, _cast = paid
    due = app.settlement_due_on
    runs = {
        due - timedelta(days=15): 0, due - timedelta(days=14): 1, due - timedelta(days=13): 0,
        due - timedelta(days=1): 0, due: 1,
    }
    for day, expected in runs.items():
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_settlement_reminders(today=day) == expected, day
            assert tasks.send_settlement_reminders(today=day) == 0, day  # the second run that day sends nothing
    assert len(mail.outbox) == 2
    assert "in 14 Tagen" in mail.outbox[0].subject
    assert "heute fällig" in mail.outbox[1].subject
    assert SentMessage.objects.filter(key__startswith=f"reminder:{app.pk}:").count() == 2


def test_overdue_settlements_are_flagged_for_staff(paid, django_capture_on_commit_callbacks):
    app, _cast = paid
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_settlement_reminders(today=app.settlement_due_on)
    assert Application.objects.get(pk=app.pk).settlement_overdue is False  # due today is not overdue
    tasks.send_settlement_reminders(today=app.settlement_due_on + timedelta(days=1))
    tasks.send_settlement_reminders(today=app.settlement_due_on + timedelta(days=1))
    assert Application.objects.get(pk=app.pk).settlement_overdue is True
    assert len(mail.outbox) == 1  # the due-day reminder; overdue is flagged for staff, not mailed again


def test_a_reminder_no_longer_due_when_it_would_go_out_is_dropped(paid, django_capture_on_commit_callbacks):
    """Queued while the mail server was away; the settlement came in before the re-drive."""
    app, cast = paid
    with django_capture_on_commit_callbacks(execute=False):
        assert tasks.send_settlement_reminders(today=app.settlement_due_on) == 1
    submit_settlement(cast.member, app.pk)
    reminder = OutboxMessage.objects.get(key__startswith=f"reminder:{app.pk}:")
    assert outbox.deliver_message(reminder.pk) is True  # done: nothing left to remind of
    assert mail.outbox == []
    assert not SentMessage.objects.filter(key__startswith="reminder:").exists()


def test_a_handed_in_settlement_gets_no_reminder_and_clears_the_flag(paid):
    app, cast = paid
    tasks.send_settlement_reminders(today=app.settlement_due_on + timedelta(days=1))
    submit_settlement(cast.member, app.pk)
    app.refresh_from_db()
    assert (app.state, app.settlement_overdue) == (State.SETTLEMENT_SUBMITTED, False)
    assert tasks.send_settlement_reminders(today=app.settlement_due_on) == 0
    assert Application.objects.get(pk=app.pk).settlement_overdue is False
