"""Staff see on their home page the side effects that have waited more than ten minutes; no one else does."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants import outbox, tasks
from grants.models import OutboxMessage
from grants.states import State

from .conftest import login

pytestmark = pytest.mark.django_db
HEADING = "Ausstehende Folgeaktionen"


@pytest.fixture
def waiting(people, application_in):
    """A submission whose e-mail failed once (the test transaction never commits: its rows wait)."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        application = application_in(State.SUBMITTED)
    row = OutboxMessage.objects.get(kind="grants.tasks.notify_event")

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Mailserver <antwortet> nicht")

    with pytest.MonkeyPatch.context() as patch, time_machine.travel(start + timedelta(minutes=1), tick=False):
        patch.setattr(tasks, "send_mail", refuse)
        assert outbox.deliver_message(row.pk) is False
    return start, application


def _home(client, user):
    login(client, user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_staff_see_rows_older_than_ten_minutes_with_kind_target_age_and_error(client, people, waiting):
    start, application = waiting
    with time_machine.travel(start + timedelta(minutes=9), tick=False):
        assert HEADING not in _home(client, people.staff)
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        html = _home(client, people.staff)
    assert HEADING in html
    assert "1 E-Mail oder Dokument wartet seit mehr als 10 Minuten" in html
    assert "E-Mail zum Bearbeitungsschritt" in html
    assert application.title in html  # no file number yet when the submission's e-mail was queued
    assert "11\xa0Minuten" in html
    assert "SMTPServerDisconnected: Mailserver &lt;antwortet&gt; nicht" in html  # escaped


def test_a_delivered_row_is_no_longer_shown(client, people, waiting):
    start, _application = waiting  # the mail server is back
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        assert outbox.redrive() == 1
        assert HEADING not in _home(client, people.staff)


def test_the_head_of_unit_sees_it_other_roles_do_not(client, people, waiting):
    start, _application = waiting
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        assert HEADING in _home(client, people.head)
        for user in (people.finance, people.committee):
            assert HEADING not in _home(client, user)
        client.logout()
        login(client, people.applicant)
        response = client.get(reverse("wagtailadmin_home"), follow=True)
        assert HEADING not in response.content.decode()


def test_the_panel_costs_the_same_queries_for_one_row_or_many(client, people, application_in):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        application_in(State.SUBMITTED)
    login(client, people.staff)
    client.get(reverse("wagtailadmin_home"))  # the first page after login does more (session, site)
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        # The first request after the clock moved also refreshes the staff session's bookkeeping.
        client.get(reverse("wagtailadmin_home"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("wagtailadmin_home"))
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            application_in(State.SUBMITTED)
    with time_machine.travel(start + timedelta(minutes=11), tick=False), CaptureQueriesContext(connection) as many:
        html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "5 E-Mails oder Dokumente warten" in html
    assert len(many) == len(few)
