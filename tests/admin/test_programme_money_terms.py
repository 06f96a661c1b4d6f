"""Money-deciding programme settings: only the head of unit or an administrator, with a reason, in the log."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from djmoney.money import Money

from grants.models import Application
from grants.services import review
from grants.states import State
from programmes.models import Programme, ProgrammeBudget, ProgrammeLogEntry
from programmes.terms import record_programme_changes, terms_snapshot
from tests.factories import ProgrammeBudgetFactory, ProgrammeFactory
from tests.factories.people import reauthenticate

from .conftest import login
from .test_programmes_admin import programme_data

pytestmark = pytest.mark.django_db


def _edit(client, programme, **overrides):
    data = programme_data(code=programme.code, **overrides)
    reauthenticate(client)  # saving a programme's rules asks for a recent login
    return client.post(reverse("foerderprogramme:edit", args=[programme.pk]), data)


def test_staff_see_the_limits_read_only_and_cannot_change_them(client, people):
    programme = ProgrammeFactory(**{"staff_approval_limit": Money("5000.00", "EUR")})
    login(client, people.staff)
    page = client.get(reverse("foerderprogramme:edit", args=[programme.pk])).content.decode()
    assert 'name="staff_approval_limit_0"' in page
    assert "Nur die Amtsleitung oder die Administration kann diese Einstellung ändern." in page
    response = _edit(client, programme, staff_approval_limit_0="9000.00", max_amount_0="20000.00",
                     change_reason="Mehr Spielraum")
    assert response.status_code == 302  # the other settings are saved; the disabled ones keep their value
    programme.refresh_from_db()
    assert programme.staff_approval_limit == Money("5000.00", "EUR")
    assert programme.max_amount == Money("3000.00", "EUR")
    assert programme.name == "Integrationsprojekte"  # the non-money settings were saved
    assert not ProgrammeLogEntry.objects.exists()


def test_staff_still_change_the_texts(client, people):
    programme = ProgrammeFactory(**{"min_amount": Money("1000.00", "EUR"), "max_amount": Money("10000.00", "EUR"),
                                    "staff_approval_limit": Money("5000.00", "EUR")})
    login(client, people.staff)
    assert _edit(client, programme, description="Neuer Text").status_code == 302
    programme.refresh_from_db()
    assert programme.description == "Neuer Text"
    assert not ProgrammeLogEntry.objects.exists()


def test_staff_cannot_create_programmes_or_budgets(client, people):
    login(client, people.staff)
    assert client.post(reverse("foerderprogramme:add"), programme_data()).status_code == 302
    assert not Programme.objects.filter(code="PRJ").exists()
    budget = ProgrammeBudgetFactory(amount=Money("5000.00", "EUR"))
    data = {"programme": budget.programme.pk, "year": budget.year, "amount_0": "9000.00", "amount_1": "EUR",
            "change_reason": "mehr"}
    client.post(reverse("haushalt:edit", args=[budget.pk]), data)
    budget.refresh_from_db()
    assert budget.amount == Money("5000.00", "EUR")


def test_head_changes_a_limit_with_a_reason_and_the_log_shows_it(client, people):
    programme = ProgrammeFactory(**{"min_amount": Money("1000.00", "EUR"), "max_amount": Money("10000.00", "EUR"),
                                    "staff_approval_limit": Money("5000.00", "EUR"), "financing_type": "share",
                                    "payout_mode": "call_off"})
    login(client, people.head)
    response = _edit(client, programme, staff_approval_limit_0="2500.00", change_reason="Kreistagsbeschluss 12/2026")
    assert response.status_code == 302, response.content.decode()[-2000:]
    programme.refresh_from_db()
    assert programme.staff_approval_limit == Money("2500.00", "EUR")
    entry = ProgrammeLogEntry.objects.get()
    assert (entry.field, entry.old_value, entry.new_value) == ("staff_approval_limit", "5.000,00 €", "2.500,00 €")
    assert (entry.reason, entry.actor) == ("Kreistagsbeschluss 12/2026", people.head)
    for url in (reverse("foerderprogramme:inspect", args=[programme.pk]),
                reverse("foerderprogramme:edit", args=[programme.pk])):
        html = login(client, people.staff).get(url).content.decode()
        assert "Kreistagsbeschluss 12/2026" in html
        assert "2.500,00 €" in html


def test_a_change_without_reason_is_refused(client, people):
    programme = ProgrammeFactory(**{"min_amount": Money("1000.00", "EUR"), "max_amount": Money("10000.00", "EUR"),
                                    "staff_approval_limit": Money("5000.00", "EUR")})
    login(client, people.head)
    response = _edit(client, programme, committee_decides_all="on", change_reason="  ")
    assert response.status_code == 200
    assert "Begründen Sie die Änderung" in response.content.decode()
    programme.refresh_from_db()
    assert programme.committee_decides_all is False
    assert not ProgrammeLogEntry.objects.exists()


def test_the_service_refuses_staff_and_a_missing_reason(people):
    programme = ProgrammeFactory()
    before = terms_snapshot(programme)
    programme.max_amount = Money("9999.00", "EUR")
    with pytest.raises(PermissionDenied):
        record_programme_changes(user=people.staff, programme=programme, before=before, reason="weil")
    with pytest.raises(ValidationError):
        record_programme_changes(user=people.head, programme=programme, before=before, reason="")
    admin = get_user_model().objects.create_superuser(email="admin@example.org",
                                                      password="x-demo-123")
    entries = record_programme_changes(user=admin, programme=programme, before=before, reason="Haushaltssperre")
    assert [e.field for e in entries] == ["max_amount"]


def test_a_budget_needs_the_head_and_a_reason(client, people):
    budget = ProgrammeBudgetFactory(amount=Money("5000.00", "EUR"))
    url = reverse("haushalt:edit", args=[budget.pk])
    data = {"programme": budget.programme.pk, "year": budget.year, "amount_0": "8000.00", "amount_1": "EUR"}
    login(client, people.head)
    assert "Begründen Sie den Haushaltsansatz" in client.post(url, data).content.decode()
    assert client.post(url, {**data, "change_reason": "Nachtragshaushalt"}).status_code == 302
    budget.refresh_from_db()
    assert budget.amount == Money("8000.00", "EUR")
    entry = ProgrammeLogEntry.objects.get()
    assert (entry.budget_year, entry.old_value, entry.new_value) == (budget.year, "5.000,00 €", "8.000,00 €")


def test_the_log_cannot_be_changed_or_deleted(people):
    programme = ProgrammeFactory()
    entry = ProgrammeLogEntry.objects.create(programme=programme, field="max_amount", field_label="Höchstbetrag",
                                             old_value="1", new_value="2", reason="Test", actor=people.head)
    entry.reason = "anders"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        ProgrammeLogEntry.objects.filter(pk=entry.pk).update(reason="anders")
    with pytest.raises(PermissionDenied):
        ProgrammeLogEntry.objects.all().delete()
    with pytest.raises(PermissionDenied), transaction.atomic():  # bulk_update marks its transaction broken
        ProgrammeLogEntry.objects.bulk_update([entry], ["reason"])
    with pytest.raises(PermissionDenied):
        ProgrammeLogEntry.objects.bulk_create([entry], update_conflicts=True, unique_fields=["id"],
                                              update_fields=["reason"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeLogEntry.objects.create(programme=programme, field="x", field_label="x", reason="", actor=people.head)
    assert ProgrammeLogEntry.objects.get(pk=entry.pk).reason == "Test"


def test_an_application_recommended_before_a_limit_change_is_approved_under_the_old_terms(people, application_in):
    application = application_in(State.RECOMMENDED, amount="2000.00")
    programme = application.programme
    # The head lowers the maximum below the recommended amount and hands every decision to the committee.
    before = terms_snapshot(programme)
    Programme.objects.filter(pk=programme.pk).update(max_amount=Money("1000.00", "EUR"), committee_decides_all=True)
    programme.refresh_from_db()
    record_programme_changes(user=people.head, programme=programme, before=before, reason="Kürzung")
    review.application_approve(user=people.head, application_id=application.pk)  # the head, as the old terms say
    application = Application.objects.get(pk=application.pk)
    assert application.state == State.APPROVED
    assert application.approved_amount == Money("2000.00", "EUR")
    assert application.decision_terms["max_amount"] == "3000.00"


def test_a_new_application_is_checked_against_the_new_terms(people, application_in):
    application = application_in(State.IN_REVIEW, amount="2000.00")
    Programme.objects.filter(pk=application.programme_id).update(max_amount=Money("1500.00", "EUR"))
    with pytest.raises(ValidationError):
        review.application_recommend(user=people.staff, application_id=application.pk)
    assert Application.objects.get(pk=application.pk).decision_terms is None


def test_the_snapshot_is_taken_at_recommendation_and_kept_by_the_decision(people, application_in):
    application = application_in(State.RECOMMENDED, amount="1000.00")
    snapshot = application.decision_terms
    assert snapshot["staff_approval_limit"] == "1500.00"
    assert snapshot["committee_decides_all"] is False
    Programme.objects.filter(pk=application.programme_id).update(committee_decides_all=True)
    review.application_approve(user=people.head, application_id=application.pk)
    assert Application.objects.get(pk=application.pk).decision_terms == snapshot
    assert ProgrammeBudget.objects.get(programme=application.programme).committed == Money("1000.00", "EUR")
