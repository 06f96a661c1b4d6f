"""How the state reads: «Förderfähigkeit bestätigt» in formula programmes, «Verzicht erklärt am …» after a Verzicht.

One helper (``grants.state_labels.state_label``) words the state for the portal, the admin listing, its export
and the admin detail; the Verzicht is read from its event, the state stays "withdrawn".
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.models import Application, ApplicationEvent
from grants.services.allocations import allocation_fix, allocation_issue_decisions, allocation_plan
from grants.services.applications import application_decline, application_withdraw
from grants.state_labels import state_label, with_state_labels
from grants.states import State
from tests.factories import ApplicationFactory, MembershipFactory, ProgrammeFactory

from .builder import Staff, applicant, formula_programme

pytestmark = pytest.mark.django_db
CONFIRMED, RECOMMENDED = "Förderfähigkeit bestätigt", "Zur Bewilligung empfohlen"


@pytest.fixture
def staff():
    return Staff()


def _decided(programme, staff, *names):
    apps = [applicant(programme, staff, name=name, population=10000) for name in names]
    year = programme.budgets.get().year
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=year)
    run = allocation_fix(user=staff.clerk, programme_id=programme.pk, year=year,
                         expected_hash=plan.preview.input_hash)
    allocation_issue_decisions(user=staff.head, run_id=run.pk)
    return [Application.objects.get(pk=a.pk) for a in apps]


def _html(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_confirmed_eligibility_reads_as_such_in_a_formula_programme_only(staff):
    checked = applicant(formula_programme(), staff, name="Adorf", population=1000)
    assert checked.state == State.RECOMMENDED
    assert state_label(checked) == CONFIRMED
    individual = ApplicationFactory(programme=ProgrammeFactory(), state=State.RECOMMENDED)
    assert state_label(individual) == RECOMMENDED


def test_the_applicant_and_staff_see_confirmed_eligibility(client, staff):
    checked = applicant(formula_programme(), staff, name="Adorf", population=1000)
    for user, url in ((checked.created_by, reverse("portal:dashboard")),
                      (checked.created_by, reverse("portal:application_detail", args=[checked.pk])),
                      (staff.clerk, reverse("antraege:index")),
                      (staff.clerk, reverse("antraege:detail", args=[checked.pk]))):
        html = _html(client, user, url)
        assert CONFIRMED in html, url
        assert RECOMMENDED not in html.replace(f"{RECOMMENDED}</label>", ""), url  # the filter lists the state


def test_a_verzicht_reads_with_its_date_everywhere_the_state_is_shown(client, staff):
    (adorf,) = _decided(formula_programme(), staff, "Adorf")
    client.force_login(adorf.created_by)
    response = client.post(reverse("portal:application_decline", args=[adorf.pk]), {"reason": "Stelle unbesetzt"})
    assert response.status_code == 302
    adorf.refresh_from_db()
    assert adorf.state == State.WITHDRAWN  # no state of its own
    expected = f"Verzicht erklärt am {timezone.localdate():%d.%m.%Y}"
    assert state_label(adorf) == expected
    for user, url in ((adorf.created_by, reverse("portal:dashboard")),
                      (adorf.created_by, reverse("portal:application_detail", args=[adorf.pk])),
                      (staff.clerk, reverse("antraege:index")),
                      (staff.clerk, reverse("antraege:detail", args=[adorf.pk]))):
        html = _html(client, user, url)
        assert expected in html, url
    client.force_login(staff.clerk)
    export = client.get(reverse("antraege:index"), {"export": "csv"})
    assert expected in b"".join(export.streaming_content).decode("utf-8-sig")


def test_a_withdrawal_before_the_decision_stays_zurueckgezogen(staff):
    withdrawn = applicant(formula_programme(), staff, name="Adorf", population=1000)
    application_withdraw(user=withdrawn.created_by, application_id=withdrawn.pk)
    withdrawn.refresh_from_db()
    assert state_label(withdrawn) == "Zurückgezogen"
    assert state_label(with_state_labels(Application.objects.filter(pk=withdrawn.pk)).get()) == "Zurückgezogen"


def test_the_verzicht_date_is_that_of_its_event_also_when_annotated(staff):
    (adorf,) = _decided(formula_programme(), staff, "Adorf")
    then = timezone.now() - timedelta(days=40)
    with mock.patch("django.utils.timezone.now", return_value=then):
        application_decline(user=adorf.created_by, application_id=adorf.pk, reason="Stelle unbesetzt")
    day = timezone.localtime(then).strftime("%d.%m.%Y")
    annotated = with_state_labels(Application.objects.filter(pk=adorf.pk)).get()
    assert state_label(annotated) == state_label(Application.objects.get(pk=adorf.pk)) == f"Verzicht erklärt am {day}"


def _declined(programme, count, organisation=None):
    for _ in range(count):
        extra = {"organisation": organisation} if organisation else {}
        application = ApplicationFactory(programme=programme, state=State.WITHDRAWN, decided_at=timezone.now(),
                                         submitted_at=timezone.now(), file_number=None, **extra)
        ApplicationEvent.objects.create(application=application, action="decline", from_state=State.APPROVED,
                                        to_state=State.WITHDRAWN)


def _queries(client, url) -> int:
    client.get(url)  # warm caches outside the measured request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_listing_a_verzicht_costs_no_query_per_row(client, staff):
    programme = formula_programme()
    _declined(programme, 1)
    client.force_login(staff.clerk)
    one = _queries(client, reverse("antraege:index"))
    _declined(programme, 6)
    assert _queries(client, reverse("antraege:index")) == one


def test_the_applicants_list_shows_a_verzicht_without_a_query_per_row(client):
    member = MembershipFactory()
    programme = formula_programme()
    _declined(programme, 1, member.organisation)
    client.force_login(member.user)
    one = _queries(client, reverse("portal:dashboard"))
    _declined(programme, 6, member.organisation)
    assert _queries(client, reverse("portal:dashboard")) == one
    assert client.get(reverse("portal:dashboard")).content.decode().count("Verzicht erklärt am") == 7
