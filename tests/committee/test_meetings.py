"""Agenda until frozen, conflicts of interest, the whole agenda decided at once, deferred items carried over."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grants.models import AgendaItem, Application, ApplicationEvent, LetterBundle
from grants.services.committee import (
    Decision,
    agenda_add,
    agenda_freeze,
    agenda_remove,
    attendance_record,
    conflict_declare,
)
from grants.services.committee_decisions import meeting_record_decisions
from programmes.choices import DecidingBody
from programmes.models import ProgrammeBudget
from tests.factories import MunicipalityFactory

from .builder import People, application, eur, lotsen_programme, meeting, projects_programme

pytestmark = pytest.mark.django_db
# A meeting four weeks ago: the resolution date lies between the meeting day and today, whenever the suite runs.
DAY = timezone.localdate() - timedelta(days=28)


@pytest.fixture
def people():
    return People()


@pytest.fixture
def agenda(people):
    lotsen, projects = lotsen_programme(), projects_programme()
    apps = [application(lotsen, people), application(lotsen, people),
            application(projects, people, costs="6000.00", own="0.00"),
            application(projects, people, costs="9000.00", own="1000.00")]
    m = meeting(people, DAY)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[a.pk for a in apps])
    return m, apps


def test_only_recommended_committee_items_go_on_an_agenda(people, agenda):
    m, apps = agenda
    waiting = application(projects_programme(), people, costs="6000.00", own="0.00", recommend=False)
    with pytest.raises(ValidationError):
        agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[waiting.pk])
    other = meeting(people, DAY + timedelta(days=2))
    with pytest.raises(ValidationError) as error:  # one open agenda item per application
        agenda_add(user=people.staff, meeting_id=other.pk, application_ids=[apps[0].pk])
    assert "bereits auf einer Tagesordnung" in str(error.value)
    with pytest.raises(PermissionDenied):
        agenda_add(user=people.finance, meeting_id=m.pk, application_ids=[apps[0].pk])


def test_a_frozen_agenda_is_numbered_snapshotted_and_unchangeable(people, agenda):
    m, _apps = agenda
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    items = list(m.items.order_by("position"))
    assert [i.position for i in items] == [1, 2, 3, 4]
    assert [i.snapshot["programme"] for i in items] == ["Integrationslotsen"] * 2 + ["Integrationsprojekte"] * 2
    assert items[0].snapshot["justification"].startswith("Bewährtes Lotsenprojekt")
    assert items[0].snapshot["recommended"] == "10000.00"
    with pytest.raises(ValidationError):
        agenda_remove(user=people.staff, item_id=items[0].pk)
    extra = application(projects_programme(), people, costs="6000.00", own="0.00")
    with pytest.raises(ValidationError):
        agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[extra.pk])
    assert m.items.count() == 4


def _decide_all(people, m, changes=None):
    """Approve every item as recommended, except ``changes``: {position: (outcome, amount?) or a Decision}."""
    changes = changes or {}
    decisions = []
    for item in m.items.order_by("position"):
        change = changes.get(item.position, ("approved",))
        decisions.append(change if isinstance(change, Decision) else Decision(item.pk, *change))
    return meeting_record_decisions(user=people.staff, meeting_id=m.pk, resolution_date=DAY, decisions=decisions)


def test_every_item_is_decided_exactly_once_with_the_committee_as_deciding_body(people, agenda):
    m, apps = agenda
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    _decide_all(people, m, {2: ("approved_changed", Decimal("8000.00")), 3: ("rejected",), 4: ("deferred",)})
    states = {a.pk: Application.objects.get(pk=a.pk) for a in apps}
    assert [states[a.pk].state for a in apps] == ["approved", "approved", "rejected", "recommended"]
    assert states[apps[1].pk].approved_amount == eur("8000.00")
    events = ApplicationEvent.objects.filter(action__in=["approve_by_committee", "reject_by_committee"])
    assert events.count() == 3
    assert set(events.values_list("deciding_body", flat=True)) == {DecidingBody.COMMITTEE}
    assert f"Beschluss Sozialausschuss vom {DAY:%d.%m.%Y}, TOP 1" in events.get(application=apps[0]).note
    budgets = {b.programme.code: b.committed.amount for b in ProgrammeBudget.objects.all()}
    assert budgets == {"LOT": Decimal("18000.00"), "PRJ": Decimal("0.00")}
    with pytest.raises(ValidationError):  # recorded once only
        _decide_all(people, m)
    assert ApplicationEvent.objects.filter(action="approve_by_committee").count() == 2


def test_every_item_needs_a_decision(people, agenda):
    m, _apps = agenda
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    first = m.items.order_by("position").first()
    with pytest.raises(ValidationError):
        meeting_record_decisions(user=people.staff, meeting_id=m.pk, resolution_date=DAY,
                                 decisions=[Decision(first.pk, "approved")])
    assert not Application.objects.filter(state="approved").exists()


def test_deferred_items_move_to_the_next_meeting(people, agenda):
    m, apps = agenda
    later = meeting(people, DAY + timedelta(days=10))
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    _decide_all(people, m, {4: ("deferred",)})
    carried = AgendaItem.objects.get(meeting=later)
    assert carried.application_id == apps[3].pk
    assert carried.carried_from.meeting == m


def test_deferred_items_join_a_meeting_created_afterwards(people, agenda):
    m, apps = agenda
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    _decide_all(people, m, {3: ("deferred",)})
    later = meeting(people, DAY + timedelta(days=15))
    assert list(later.items.values_list("application_id", flat=True)) == [apps[2].pk]


def test_a_member_with_a_conflict_does_not_vote(people, agenda):
    m, _apps = agenda
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    first = m.items.order_by("position").first()
    anna = m.members.get(name="Anna Rat")
    conflict_declare(user=people.staff, item_id=first.pk, member_id=anna.pk, reason="board",
                     note="Vorstand des Trägervereins")
    with pytest.raises(ValidationError):
        conflict_declare(user=people.staff, item_id=first.pk, member_id=anna.pk, reason="board")
    attendance_record(user=people.staff, meeting_id=m.pk, present_member_ids=m.members.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as error:  # three votes, but Anna is excluded from item 1
        _decide_all(people, m, {1: Decision(first.pk, "approved", votes_yes=3)})
    assert "nur 2 stimmberechtigte" in str(error.value)
    _decide_all(people, m, {1: Decision(first.pk, "approved", votes_yes=2)})
    assert AgendaItem.objects.get(pk=first.pk).votes_yes == 2


def test_the_cap_holds_across_the_items_of_one_meeting(people):
    lotsen = lotsen_programme()
    town = MunicipalityFactory(name="Rheinfelden")
    apps = [application(lotsen, people, costs="30000.00", own="15000.00", municipality=town),
            application(lotsen, people, costs="24000.00", own="12000.00", municipality=town)]
    m = meeting(people, DAY)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[a.pk for a in apps])
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    with pytest.raises(ValidationError) as error:
        _decide_all(people, m)
    assert "bereits 15.000,00 € bewilligt; mit 12.000,00 € wären es 27.000,00 €" in str(error.value)
    assert not Application.objects.filter(state="approved").exists()
    assert ProgrammeBudget.objects.get(programme=lotsen).committed.amount == 0


def test_the_letters_are_made_in_one_job_and_zipped(people, agenda, django_capture_on_commit_callbacks):
    import io
    import zipfile

    m, _apps = agenda
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _decide_all(people, m, {3: ("rejected",), 4: ("deferred",)})
    bundle = LetterBundle.objects.get(meeting=m)
    assert (bundle.status, bundle.total, bundle.done) == ("done", 3, 3)
    with bundle.file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert len(names) == 3
    assert names[0].startswith("001-")
    assert names[2].startswith("003-")
    assert all(name.endswith(".pdf") for name in names)


def test_an_application_on_an_agenda_cannot_be_withdrawn_until_the_committee_decided(people, agenda):
    from grants.services.applications import application_withdraw

    m, apps = agenda
    applicant = apps[0].created_by
    with pytest.raises(ValidationError) as error:  # open agenda: staff can take it off first
        application_withdraw(user=applicant, application_id=apps[0].pk)
    assert f"Tagesordnung der Sitzung des Gremiums „Sozialausschuss“ am {DAY:%d.%m.%Y}" in str(error.value)
    assert "vor der Festschreibung der Tagesordnung von dort nehmen" in str(error.value)
    agenda_remove(user=people.staff, item_id=m.items.get(application=apps[0]).pk)
    application_withdraw(user=applicant, application_id=apps[0].pk)
    assert Application.objects.get(pk=apps[0].pk).state == "withdrawn"

    agenda_freeze(user=people.staff, meeting_id=m.pk)
    with pytest.raises(ValidationError) as error:  # frozen: it stays until the decisions are recorded
        application_withdraw(user=apps[3].created_by, application_id=apps[3].pk)
    assert f"festgeschriebenen Tagesordnung der Sitzung des Gremiums „Sozialausschuss“ am {DAY:%d.%m.%Y}" in str(
        error.value)
    assert Application.objects.get(pk=apps[3].pk).state == "recommended"
    position = m.items.get(application=apps[3]).position
    _decide_all(people, m, {position: ("deferred",)})  # the recording works: nothing left the frozen agenda
    # Deferred and not yet on another agenda: the applicant may withdraw again.
    application_withdraw(user=apps[3].created_by, application_id=apps[3].pk)
    assert Application.objects.get(pk=apps[3].pk).state == "withdrawn"
