"""Who decides, 1:1 co-financing with the 50 % share, and the cap per municipality and calendar year."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grants.services import review
from grants.services.committee import Decision, agenda_add, agenda_freeze
from grants.services.committee_decisions import meeting_record_decisions
from programmes import rules
from programmes.choices import DecidingBody
from tests.factories import MunicipalityFactory, ProgrammeFactory

from .builder import People, application, eur, lotsen_programme, meeting, projects_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return People()


@pytest.mark.parametrize(("amount", "body"), [
    ("1500.00", DecidingBody.STAFF), ("1500.01", DecidingBody.HEAD), ("5000.00", DecidingBody.HEAD),
    ("5000.01", DecidingBody.COMMITTEE)])
def test_authority_by_amount(amount, body):
    programme = ProgrammeFactory.build(staff_approval_limit=eur("1500.00"), head_approval_limit=eur("5000.00"))
    assert rules.deciding_body(programme, eur(amount)) == body


def test_committee_lines_always_go_to_the_committee():
    programme = ProgrammeFactory.build(staff_approval_limit=eur("1500.00"), committee_decides_all=True)
    assert rules.deciding_body(programme, eur("100.00")) == DecidingBody.COMMITTEE


def test_neither_staff_nor_head_approve_a_committee_item(people):
    app = application(projects_programme(), people, costs="8000.00", own="0.00")
    for user in (people.clerk, people.head):
        with pytest.raises(PermissionDenied):
            review.application_approve(user=user, application_id=app.pk)
    app.refresh_from_db()
    assert app.state == "recommended"


def test_a_committee_recommendation_needs_the_structured_assessment(people):
    app = application(lotsen_programme(), people, recommend=False)
    with pytest.raises(ValidationError) as error:
        review.application_recommend(user=people.staff, application_id=app.pk)
    assert "fachliche Stellungnahme" in str(error.value)
    with pytest.raises(ValidationError) as error:
        review.application_recommend(user=people.staff, application_id=app.pk, assessment=review.AssessmentData(
            eligibility_checked=True, cofinancing_checked=False, justification=""))
    assert "Kofinanzierung" in str(error.value)
    assert "Begründen" in str(error.value)
    app.refresh_from_db()
    assert app.state == "in_review"


def test_the_district_pays_at_most_half_and_at_most_the_municipal_share(people):
    programme = lotsen_programme()
    over_half = application(programme, people, costs="20000.00", own="8000.00", submit=False)
    # requested = 20,000 − 8,000 = 12,000: more than 50 % (10,000) and more than the municipality's 8,000.
    problems = " ".join(over_half.missing_items())
    assert "50 % der zuwendungsfähigen Kosten von 20.000,00 €, also 10.000,00 €" in problems
    assert rules.cofinancing_error(programme, eur("9000.00"), eligible_costs=eur("20000.00"), own_funds=eur("8000.00")
                                   ) == ("Der Landkreis zahlt höchstens so viel, wie die Kommune selbst beiträgt: Der "
                                         "Betrag von 9.000,00 € übersteigt den kommunalen Eigenanteil von 8.000,00 €.")
    assert rules.cofinancing_error(programme, eur("8000.00"), eligible_costs=eur("20000.00"),
                                   own_funds=eur("8000.00")) is None


def _approve_all(people, apps, day=None):
    day = day or timezone.localdate() - timedelta(days=7)  # a meeting held last week, whenever the suite runs
    m = meeting(people, day)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[a.pk for a in apps])
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    return meeting_record_decisions(user=people.staff, meeting_id=m.pk, resolution_date=day, decisions=[
        Decision(item.pk, "approved") for item in m.items.all()])


def test_the_cap_sums_all_approvals_of_a_municipality_in_a_year(people):
    programme = lotsen_programme()
    town = MunicipalityFactory(name="Lörrach-Ost")
    start, end = date(2027, 2, 1), date(2027, 11, 30)
    first = application(programme, people, costs="20000.00", own="10000.00", municipality=town, start=start, end=end)
    second = application(programme, people, costs="24000.00", own="12000.00", municipality=town, start=start, end=end)
    _approve_all(people, [first, second])
    third = application(programme, people, costs="10000.00", own="5000.00", municipality=town, start=start, end=end,
                        submit=False)
    # 10,000 + 12,000 approved; with 5,000 more it would be 27,000 > 25,000.
    assert ("Obergrenze von 25.000,00 € je Kommune und Kalenderjahr überschritten: Für Lörrach-Ost sind 2027 "
            "bereits 22.000,00 € bewilligt; mit 5.000,00 € wären es 27.000,00 €.") in third.missing_items()
    other_town = application(programme, people, costs="10000.00", own="5000.00", start=start, end=end,
                             submit=False)
    assert not [m for m in other_town.missing_items() if "Obergrenze" in m]


def test_an_application_over_two_years_counts_per_year_as_planned(people):
    programme = lotsen_programme()
    town = MunicipalityFactory(name="Weil")
    earlier = application(programme, people, costs="40000.00", own="20000.00", municipality=town,
                          start=date(2027, 1, 1), end=date(2027, 12, 31), recommended="20000.00")
    _approve_all(people, [earlier])
    spanning = application(programme, people, costs="20000.00", own="10000.00", municipality=town,
                           start=date(2027, 7, 1), end=date(2028, 6, 30), years={2027: "4000.00", 2028: "6000.00"},
                           recommend=False)
    problems = [m for m in spanning.missing_items() if "Obergrenze" in m]
    # 2027: 20,000 + 4,000 = 24,000 within the cap; 2028: 6,000.
    assert problems == []
    too_much = application(programme, people, costs="20000.00", own="10000.00", municipality=town,
                           start=date(2027, 7, 1), end=date(2028, 6, 30), years={2027: "6000.00", 2028: "4000.00"},
                           submit=False)
    assert [m for m in too_much.missing_items() if "Obergrenze" in m] == [
        "Obergrenze von 25.000,00 € je Kommune und Kalenderjahr überschritten: Für Weil sind 2027 bereits "
        "20.000,00 € bewilligt; mit 6.000,00 € wären es 26.000,00 €."]


def test_a_changed_amount_is_split_over_the_years_in_the_plans_proportions(people):
    from grants.rules import amounts_by_year

    app = application(lotsen_programme(), people, costs="20000.00", own="10000.00",
                      start=date(2027, 7, 1), end=date(2028, 6, 30), years={2027: "4000.00", 2028: "6000.00"})
    split = amounts_by_year(app, eur("7000.01"))
    assert split == {2027: eur("2800.00"), 2028: eur("4200.01")}
    assert sum(v.amount for v in split.values()) == Decimal("7000.01")


def test_the_committee_named_in_the_applicants_rules_is_the_programmes():
    from cms.templatetags.cms_tags import committee_rules
    from portal.forms.cofinancing import cofinancing_rules

    programme = ProgrammeFactory.build(committee_decides_all=True, committee_name="Ausschuss für Soziales")
    assert rules.committee_name(programme) == "Ausschuss für Soziales"
    assert "Über den Antrag beschließt der Ausschuss für Soziales des Landkreises." in cofinancing_rules(programme)
    assert [r.value for r in committee_rules(programme) if r.label == "Entscheidung"] == [
        "Der Ausschuss für Soziales des Landkreises beschließt über jeden Antrag."]
    programme = ProgrammeFactory.build(staff_approval_limit=eur("1500.00"), head_approval_limit=eur("5000.00"),
                                       committee_name="Kreistag")
    assert [r.value for r in committee_rules(programme) if r.label == "Entscheidung"] == [
        "bis 1.500,00 € die Sachbearbeitung, bis 5.000,00 € die Amtsleitung, darüber der Kreistag des Landkreises"]
    assert rules.committee_name(ProgrammeFactory.build()) == "Sozialausschuss"  # the field's default

