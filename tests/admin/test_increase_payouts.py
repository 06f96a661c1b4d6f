"""Increases raised after their grant was paid are paid on their own: listed, batched, in the SEPA file, booked.

Scenario: a pot of 90,000.00 € among A (10,000 inhabitants), B (20,000) and C (30,000): 15,000 / 30,000 /
45,000 €. A's grant is paid, C declines; a follow-up run re-shares C's 45,000 € as +15,000 € for A (paid on its
own) and +30,000 € for B (not yet paid: part of B's grant payout).
"""

from decimal import Decimal

import pytest
import xmlschema
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.models import Application, ApplicationEvent, GrantIncrease, PayoutBatch, PayoutItem
from grants.sepa import build_payout_xml
from grants.services.allocations import allocation_fix, allocation_issue_decisions, allocation_plan
from grants.services.applications import application_decline
from grants.services.payouts import payout_batch_create, payout_batch_execute
from grants.states import State
from programmes.models import ProgrammeBudget
from tests.documents.helpers import PAIN_001_001_09_XSD
from tests.factories.people import reauthenticate
from tests.formula.builder import Staff, applicant, formula_programme

pytestmark = pytest.mark.django_db

ADD = reverse("zahlungslaeufe:add")


def _fix_and_issue(programme, staff, capture):
    year = ProgrammeBudget.objects.get(programme=programme).year
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=year)
    run = allocation_fix(user=staff.clerk, programme_id=programme.pk, year=year,
                         expected_hash=plan.preview.input_hash)
    with capture(execute=True):
        allocation_issue_decisions(user=staff.head, run_id=run.pk)
    return run


def _pay(staff, *applications):
    batch = payout_batch_create(user=staff.finance, application_ids=[a.pk for a in applications])
    payout_batch_execute(user=staff.finance, batch_id=batch.pk)


def _today() -> str:
    return timezone.localdate().strftime("%d.%m.%Y")


@pytest.fixture
def staff():
    return Staff()


def _scenario(staff, capture, populations, paid: int):
    """Applicants with ``populations``; the first ``paid`` are paid, the last declines, a follow-up re-shares."""
    programme = formula_programme(pot="90000.00")
    apps = [applicant(programme, staff, name=f"Gemeinde {i}", population=p) for i, p in enumerate(populations)]
    _fix_and_issue(programme, staff, capture)
    _pay(staff, *apps[:paid])
    application_decline(user=staff.clerk, application_id=apps[-1].pk, reason="Stelle nicht besetzt")
    follow_up = _fix_and_issue(programme, staff, capture)
    return follow_up, [Application.objects.get(pk=a.pk) for a in apps]


@pytest.fixture
def raised(staff, django_capture_on_commit_callbacks):
    follow_up, (a, b, c) = _scenario(staff, django_capture_on_commit_callbacks, [10000, 20000, 30000], paid=1)
    return follow_up, a, b, c


def test_the_new_batch_page_lists_increases_awaiting_their_own_payout(client, staff, raised):
    _run, a, b, _c = raised
    own = GrantIncrease.objects.get(application=a)
    with_grant = GrantIncrease.objects.get(application=b)
    assert (own.paid_with_grant, with_grant.paid_with_grant) == (False, True)
    client.force_login(staff.finance)
    page = client.get(ADD)
    assert page.status_code == 200
    assert [i.pk for i, _checked in page.context["increase_rows"]] == [own.pk]
    assert [x.pk for x, _checked in page.context["rows"]] == [b.pk]  # B's grant, raised, still to be paid
    html = page.content.decode()
    assert 'name="increases"' in html
    assert "15.000,00 €" in html
    assert "60.000,00 €" in html  # B: 30,000 + 30,000 in one payout
    assert client.get(reverse("zahlungslaeufe:index")).content.decode().count("Erhöhung einer bereits") == 1
    client.force_login(staff.clerk)
    assert client.get(ADD).status_code == 403


def test_a_batch_pays_the_increase_the_sepa_file_validates_and_execution_books_it(client, staff, raised):
    _run, a, _b, _c = raised
    increase = GrantIncrease.objects.get(application=a)
    budget = ProgrammeBudget.objects.get()
    assert budget.paid.amount == Decimal("15000.00")
    client.force_login(staff.finance)
    reauthenticate(client)

    response = client.post(ADD, {"increases": [increase.pk], "execution_date": _today()}, follow=True)
    batch = PayoutBatch.objects.latest("pk")
    assert response.redirect_chain[-1][0] == reverse("zahlungslaeufe:detail", args=[batch.pk])
    [item] = batch.items.all()
    assert (item.increase_id, item.application_id, item.amount.amount) == (increase.pk, a.pk, Decimal("15000.00"))
    html = response.content.decode()
    assert item.end_to_end_id in html
    assert "Erhöhung" in html

    xml = build_payout_xml(batch).decode("utf-8")
    schema = xmlschema.XMLSchema(str(PAIN_001_001_09_XSD))
    schema.validate(xml)
    transaction = schema.to_dict(xml)["CstmrCdtTrfInitn"]["PmtInf"][0]["CdtTrfTxInf"][0]
    assert transaction["PmtId"]["EndToEndId"] == item.end_to_end_id
    assert transaction["PmtId"]["EndToEndId"].startswith(a.file_number)
    assert Decimal(str(transaction["Amt"]["InstdAmt"]["$"])) == Decimal("15000.00")
    assert "Erhoehung" in transaction["RmtInf"]["Ustrd"][0]

    client.post(reverse("zahlungslaeufe:execute", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.EXECUTED
    event = ApplicationEvent.objects.get(application=a, action="pay_increase")
    assert event.amount.amount == Decimal("15000.00")
    assert Application.objects.get(pk=a.pk).state == State.PAID  # the grant's state does not move
    budget.refresh_from_db()
    assert budget.paid.amount == Decimal("30000.00")
    assert client.get(ADD).context["increase_rows"] == []


def test_the_same_increase_is_never_in_two_batches(client, staff, raised):
    _run, a, _b, _c = raised
    increase = GrantIncrease.objects.get(application=a)
    client.force_login(staff.finance)
    reauthenticate(client)
    client.post(ADD, {"increases": [increase.pk], "execution_date": _today()})
    assert PayoutItem.objects.filter(increase=increase).count() == 1
    batches = PayoutBatch.objects.count()

    response = client.post(ADD, {"increases": [increase.pk], "execution_date": _today()})
    assert "Mindestens eine gewählte Erhöhung kann nicht mehr ausgezahlt werden." in response.content.decode()
    with pytest.raises(ValidationError):
        payout_batch_create(user=staff.finance, increase_ids=[increase.pk], execution_date=timezone.localdate())
    assert PayoutBatch.objects.count() == batches
    assert PayoutItem.objects.filter(increase=increase).count() == 1


def test_an_increase_paid_with_its_grant_cannot_be_paid_on_its_own(client, staff, raised):
    _run, _a, b, _c = raised
    increase = GrantIncrease.objects.get(application=b)
    client.force_login(staff.finance)
    reauthenticate(client)
    response = client.post(ADD, {"increases": [increase.pk], "execution_date": _today()})
    assert "kann nicht mehr ausgezahlt werden" in response.content.decode()
    assert not PayoutItem.objects.filter(increase=increase).exists()


def test_nothing_chosen_is_refused_in_german(client, staff, raised):
    client.force_login(staff.finance)
    reauthenticate(client)
    response = client.post(ADD, {"execution_date": _today()})
    assert "Wählen Sie mindestens einen bewilligten Antrag oder eine Erhöhung." in response.content.decode()


def test_the_new_batch_page_needs_the_same_queries_for_more_increases(client, staff,
                                                                      django_capture_on_commit_callbacks):
    _scenario(staff, django_capture_on_commit_callbacks, [10000, 20000, 30000, 40000], paid=3)
    increases = list(GrantIncrease.objects.order_by("pk"))
    assert len(increases) == 3
    client.force_login(staff.finance)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(ADD).context["increase_rows"]) == 3
    payout_batch_create(user=staff.finance, increase_ids=[i.pk for i in increases[:2]])
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(ADD).context["increase_rows"]) == 1
    assert len(many) == len(one)
