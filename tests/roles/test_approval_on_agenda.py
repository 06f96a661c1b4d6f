"""A staff approval waits for the committee while the application is on an undecided agenda (as a rejection does)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from grants.models import AgendaItem, Application
from grants.services import review
from grants.states import State
from tests.committee.builder import People, application, eur, meeting, projects_programme

pytestmark = pytest.mark.django_db

ON_AGENDA = "steht auf der Tagesordnung einer Ausschusssitzung"


def _recommended_within_staff_limit(people):
    programme = projects_programme(committee_decides_all=False, staff_approval_limit=eur("5000.00"))
    return application(programme, people, costs="1200.00", own="0.00")


def test_staff_approval_is_refused_while_on_an_undecided_agenda():
    people = People()
    app = _recommended_within_staff_limit(people)
    # On an agenda although staff could decide the amount (e.g. put there under earlier rules).
    AgendaItem.objects.create(meeting=meeting(people, date(2026, 11, 10)), application=app, position=1)
    with pytest.raises(ValidationError) as excinfo:
        review.application_approve(user=people.clerk, application_id=app.pk)
    assert ON_AGENDA in " ".join(excinfo.value.messages)
    assert Application.objects.get(pk=app.pk).state == State.RECOMMENDED


def test_a_decided_agenda_item_does_not_block_the_approval():
    people = People()
    app = _recommended_within_staff_limit(people)
    item = AgendaItem.objects.create(meeting=meeting(people, date(2026, 11, 10)), application=app, position=1)
    AgendaItem.objects.filter(pk=item.pk).update(outcome="deferred")
    review.application_approve(user=people.clerk, application_id=app.pk)
    assert Application.objects.get(pk=app.pk).state == State.APPROVED
