"""Every approval path runs the same checks (grants.services.approval): staff or head of unit approving in a
co-financed programme whose authority lets them, and the committee's resolutions — bounds, co-financing share,
the cap per municipality and calendar year, the budget — each message of a resolution with its «TOP n:»."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grants.models import Application, ApplicationEvent
from grants.services import review
from grants.services.committee import Decision, agenda_add, agenda_freeze
from grants.services.committee_decisions import meeting_record_decisions
from programmes.models import Programme, ProgrammeBudget
from tests.factories import MunicipalityFactory

from .builder import People, application, lotsen_programme, meeting, projects_programme

pytestmark = pytest.mark.django_db
# A meeting four weeks ago: the resolution date lies between the meeting day and today, whenever the suite runs.
DAY = timezone.localdate() - timedelta(days=28)


@pytest.fixture
def people():
    return People()


@pytest.fixture
def staff_lotsen():
    """A Lotsen line whose authority lets the head of unit approve any amount (no committee)."""
    return lotsen_programme(committee_decides_all=False)


def test_the_head_of_unit_cannot_approve_past_the_yearly_cap_of_a_municipality(people, staff_lotsen):
    town = MunicipalityFactory(name="Rheinfelden")
    first, second = (application(staff_lotsen, people, costs="30000.00", own="15000.00", municipality=town)
                     for _ in range(2))
    review.application_approve(user=people.head, application_id=first.pk)
    with pytest.raises(ValidationError) as error:
        review.application_approve(user=people.head, application_id=second.pk)
    year = first.planned_start.year
    assert error.value.messages == [
        f"Obergrenze von 25.000,00 € je Kommune und Kalenderjahr überschritten: Für Rheinfelden sind {year} bereits "
        "15.000,00 € bewilligt; mit 15.000,00 € wären es 30.000,00 €."]
    assert Application.objects.get(pk=second.pk).state == "recommended"
    assert ProgrammeBudget.objects.get(programme=staff_lotsen).committed.amount == Decimal("15000.00")
    # Another municipality has its own cap.
    elsewhere = application(staff_lotsen, people, costs="30000.00", own="15000.00")
    review.application_approve(user=people.head, application_id=elsewhere.pk)
    assert Application.objects.get(pk=elsewhere.pk).state == "approved"


def test_staff_approval_keeps_the_co_financing_share(people, staff_lotsen):
    app = application(staff_lotsen, people, costs="20000.00", own="10000.00")
    # The share is lowered after the recommendation: the approval keeps the terms it was recommended under
    # (programmes.terms); an application recommended after the change is held to the new share.
    Programme.objects.filter(pk=staff_lotsen.pk).update(max_funding_share=Decimal("0.40"))
    with pytest.raises(ValidationError) as error:  # a new application: refused already on submission
        application(staff_lotsen, people, costs="20000.00", own="10000.00", recommend=False)
    assert error.value.messages == [
        "Der Betrag von 10.000,00 € übersteigt 40 % der zuwendungsfähigen Kosten von 20.000,00 €, also 8.000,00 €."]
    review.application_approve(user=people.head, application_id=app.pk)
    assert ApplicationEvent.objects.filter(application=app, action="approve").exists()


def _frozen(people, apps, day=DAY):
    m = meeting(people, day)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[a.pk for a in apps])
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    return m


def test_cap_errors_of_a_resolution_name_their_item(people):
    lotsen = lotsen_programme()
    town = MunicipalityFactory(name="Rheinfelden")
    apps = [application(lotsen, people, costs="30000.00", own="15000.00", municipality=town),
            application(lotsen, people, costs="24000.00", own="12000.00", municipality=town)]
    m = _frozen(people, apps)
    with pytest.raises(ValidationError) as error:
        meeting_record_decisions(user=people.staff, meeting_id=m.pk, resolution_date=DAY,
                                 decisions=[Decision(item.pk, "approved") for item in m.items.all()])
    year = apps[0].planned_start.year
    assert error.value.messages == [
        f"TOP 2: Obergrenze von 25.000,00 € je Kommune und Kalenderjahr überschritten: Für Rheinfelden sind {year} "
        "bereits 15.000,00 € bewilligt; mit 12.000,00 € wären es 27.000,00 €."]


@pytest.mark.parametrize(("amount", "message"), [
    ("500.00", "TOP 1: Der beschlossene Betrag von 500,00 € liegt unter dem Mindestbetrag von 1.000,00 €."),
    ("9000.00", "TOP 1: Es kann nicht mehr bewilligt werden, als beantragt ist."),
])
def test_a_changed_amount_is_refused_in_the_words_of_the_decision(people, amount, message):
    app = application(projects_programme(), people, costs="8000.00", own="0.00")
    m = _frozen(people, [app])
    with pytest.raises(ValidationError) as error:
        meeting_record_decisions(user=people.staff, meeting_id=m.pk, resolution_date=DAY, decisions=[
            Decision(m.items.get().pk, "approved_changed", amount=Decimal(amount))])
    assert error.value.messages == [message]
    assert "beantragte Betrag" not in message
    assert Application.objects.get(pk=app.pk).state == "recommended"


def test_the_budget_message_of_a_resolution_counts_the_earlier_items(people):
    programme = projects_programme()
    ProgrammeBudget.objects.filter(programme=programme).update(amount=Decimal("12000.00"))
    apps = [application(programme, people, costs="8000.00", own="0.00") for _ in range(2)]
    m = _frozen(people, apps)
    with pytest.raises(ValidationError) as error:
        meeting_record_decisions(user=people.staff, meeting_id=m.pk, resolution_date=DAY,
                                 decisions=[Decision(item.pk, "approved") for item in m.items.all()])
    assert error.value.messages == [
        "TOP 2: Die Bewilligung von 8.000,00 € übersteigt die verbleibenden Haushaltsmittel von 4.000,00 €."]
