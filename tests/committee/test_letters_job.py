"""The letters job of a meeting when it fails: «failed» with a German explanation for staff, the exception
logged, the letters page stops reloading and offers a restart that is safe to click twice."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import outbox, tasks
from grants.models import LetterBundle, OutboxMessage
from grants.services.committee import Decision, agenda_add, agenda_freeze
from grants.services.committee_decisions import letters_restart, meeting_record_decisions
from tests.factories import role_user

from .builder import People, application, meeting, projects_programme

pytestmark = pytest.mark.django_db
# A meeting four weeks ago: the resolution date lies between the meeting day and today, whenever the suite runs.
DAY = timezone.localdate() - timedelta(days=28)

@pytest.fixture
def people():
    return People()

@pytest.fixture
def decided(people, django_capture_on_commit_callbacks):
    """Two items approved; the letters job queued but not run yet."""
    programme = projects_programme()
    apps = [application(programme, people, costs="6000.00", own="0.00") for _ in range(2)]
    m = meeting(people, DAY)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[a.pk for a in apps])
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    with django_capture_on_commit_callbacks(execute=False):
        meeting_record_decisions(user=people.staff, meeting_id=m.pk, resolution_date=DAY,
                                 decisions=[Decision(item.pk, "approved") for item in m.items.all()])
    return m

@pytest.fixture
def broken_second_letter(monkeypatch):
    """The renderer fails on the second letter; returns the calls made."""
    calls = []
    real = tasks.generate_document

    def generate(application_id, kind):
        calls.append(application_id)
        if len(calls) == 2:
            raise RuntimeError("Schriftart fehlt")
        return real(application_id, kind)

    monkeypatch.setattr(tasks, "generate_document", generate)
    return calls

def test_a_failing_job_is_marked_failed_with_a_german_message_and_logged(decided, broken_second_letter, caplog):
    bundle = LetterBundle.objects.get(meeting=decided)
    with caplog.at_level(logging.ERROR, logger="grants.tasks"):
        tasks.build_meeting_letters.delay(bundle.pk)
    bundle.refresh_from_db()
    assert (bundle.status, bundle.done, bool(bundle.file)) == ("failed", 1, False)
    assert bundle.error.startswith("Der Bescheid zu TOP 2 konnte nicht erstellt werden.")
    assert "starten Sie die Erstellung erneut" in bundle.error
    record = next(r for r in caplog.records if r.name == "grants.tasks")
    assert record.exc_info is not None  # the traceback goes to the log (and the error tracker)
    assert "Schriftart fehlt" in caplog.text

def test_a_storage_hiccup_is_retried_before_it_counts_as_failed(decided, monkeypatch):
    attempts = []

    def unavailable(application_id, kind):
        attempts.append(application_id)
        raise OSError("Speicher nicht erreichbar")

    monkeypatch.setattr(tasks, "generate_document", unavailable)
    bundle = LetterBundle.objects.get(meeting=decided)
    message = OutboxMessage.objects.get(key=f"letters:{bundle.pk}")
    assert outbox.deliver_message(message.pk) is False  # the outbox runs it again later, with backoff
    assert LetterBundle.objects.get(pk=bundle.pk).status == "running"
    message.refresh_from_db()
    assert (message.delivered_at, message.attempts) == (None, 1)
    assert "Speicher nicht erreichbar" in message.last_error
    # The last attempt the task allows: the bundle counts as failed, staff see why and may restart it.
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=tasks.build_meeting_letters.max_retries,
                                                       next_attempt_at=timezone.now())
    assert outbox.deliver_message(message.pk) is True
    bundle.refresh_from_db()
    assert bundle.status == "failed"
    assert "TOP 1" in bundle.error
    assert len(attempts) == 2


def test_the_page_stops_reloading_and_the_restart_finishes_the_job(client, people, decided, broken_second_letter,
                                                                   django_capture_on_commit_callbacks, monkeypatch):
    bundle = LetterBundle.objects.get(meeting=decided)
    tasks.build_meeting_letters.delay(bundle.pk)
    client.force_login(people.staff)
    page = client.get(reverse("ausschuss:letters", args=[decided.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Der Bescheid zu TOP 2 konnte nicht erstellt werden." in page
    restart = reverse("ausschuss:letters_restart", args=[decided.pk])
    assert f'action="{restart}"' in page
    assert "Erstellung erneut starten" in page

    monkeypatch.undo()  # the renderer works again
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(restart)
    assert response.status_code == 302
    assert len(callbacks) == 1
    bundle.refresh_from_db()
    assert (bundle.status, bundle.done, bundle.error) == ("done", 2, "")
    assert bundle.file
    # A second click (or a stale page): nothing is queued again, the done bundle stays as it is.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(restart)
    assert callbacks == []
    assert LetterBundle.objects.get(pk=bundle.pk).status == "done"

def test_a_restart_while_the_job_waits_queues_nothing(people, decided, django_capture_on_commit_callbacks):
    LetterBundle.objects.filter(meeting=decided).update(status="failed", error="…")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letters_restart(user=people.staff, meeting_id=decided.pk)
        letters_restart(user=people.staff, meeting_id=decided.pk)  # clicked twice before the worker started
    assert len(callbacks) == 1
    assert LetterBundle.objects.get(meeting=decided).status == "pending"

def test_only_meeting_managers_restart(client, people, decided):
    LetterBundle.objects.filter(meeting=decided).update(status="failed")
    client.force_login(role_user("Ausschuss"))
    response = client.post(reverse("ausschuss:letters_restart", args=[decided.pk]))
    assert response.status_code == 403
    assert LetterBundle.objects.get(meeting=decided).status == "failed"
