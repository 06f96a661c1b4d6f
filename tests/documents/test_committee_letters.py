"""Letters after a committee decision: the resolution named with meeting and TOP, share financing with its ceiling
and recomputation, the municipal contribution as a condition; the refund letter's § 49a interest or waiver."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.letters import render_letter
from grants.models import Application, DocumentKind
from grants.services.committee import Decision, agenda_add, agenda_freeze
from grants.services.committee_decisions import meeting_record_decisions
from grants.services.interest import refund_set_interest
from programmes.models import BaseRate
from tests.committee.builder import People, application, lotsen_programme, meeting, projects_programme
from tests.factories import MunicipalityFactory

from .helpers import pdf_text

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY.replace(month=12, day=1) if TODAY.month < 12 else TODAY
END = date(START.year + 1, 6, 30)


def _decide(people, apps, decisions):
    m = meeting(people, TODAY)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[a.pk for a in apps])
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    items = {i.application_id: i for i in m.items.all()}
    meeting_record_decisions(user=people.staff, meeting_id=m.pk, resolution_date=TODAY, decisions=[
        Decision(items[a.pk].pk, *decision) for a, decision in zip(apps, decisions, strict=True)])
    return {a.pk: (Application.objects.get(pk=a.pk), items[a.pk].position) for a in apps}


@pytest.fixture
def board(db):
    """Staff of the committee flow (the conftest's ``people`` serve the staff-decided letters)."""
    return People()


def test_committee_approval_of_share_financing_with_matching_funds(board):
    people = board
    town = MunicipalityFactory(name="Adorf")
    lotsen = application(lotsen_programme(), people, costs="20000.00", own="10000.00", municipality=town,
                         start=START, end=END, years={START.year: "6000.00", END.year: "4000.00"})
    decided = _decide(people, [lotsen], [("approved",)])
    app, position = decided[lotsen.pk]
    text = pdf_text(render_letter(app, DocumentKind.APPROVAL))
    assert (f"Der Sozialausschuss des Landkreises hat in seiner Sitzung am {TODAY:%d.%m.%Y} (TOP {position}) "
            "beschlossen, Ihnen eine Zuwendung von 10.000,00 € zu bewilligen.") in text
    assert "höchstens 50 % der zuwendungsfähigen Ausgaben, höchstens 10.000,00 €" in text
    assert "aus den tatsächlichen zuwendungsfähigen Ausgaben neu berechnet" in text
    assert "Bedingung: Die Kommune Adorf trägt einen Eigenanteil (Kofinanzierung) von 10.000,00 €." in text
    assert "höchstens 25.000,00 € je Kalenderjahr" in text
    assert f"{START.year}: 6.000,00 €; {END.year}: 4.000,00 €" in text
    assert "Kofinanzierende Kommune Adorf" in text


def test_committee_decisions_on_project_grants(board):
    people = board
    projects = projects_programme()
    changed = application(projects, people, costs="9000.00", own="1000.00", title="Sprachpaten")
    refused = application(projects, people, costs="6000.00", own="0.00", title="Kochkurs")
    decided = _decide(people, [changed, refused], [("approved_changed", Decimal("6500.00"), None, None, None,
                                                    "Honorare gekürzt"),
                                                   ("rejected", None, None, None, None, "Kein Integrationsbezug")])
    approved, position = decided[changed.pk]
    text = pdf_text(render_letter(approved, DocumentKind.APPROVAL))
    assert (f"Der Sozialausschuss des Landkreises hat in seiner Sitzung am {TODAY:%d.%m.%Y} (TOP {position}) "
            "beschlossen, Ihnen eine Zuwendung von 6.500,00 € zu bewilligen.") in text
    assert "Abweichend vom Antrag: Honorare gekürzt" in text
    # A fixed amount without co-financing: no share, no condition of a municipal contribution.
    assert "Anteilfinanzierung gewährt" not in text
    assert "Eigenanteil (Kofinanzierung)" not in text
    assert "Festbetrag" in text

    rejected, position = decided[refused.pk]
    text = pdf_text(render_letter(rejected, DocumentKind.REJECTION))
    assert (f"Der Sozialausschuss des Landkreises hat in seiner Sitzung am {TODAY:%d.%m.%Y} (TOP {position}) "
            "beschlossen, Ihren Antrag abzulehnen.") in text
    assert "Kein Integrationsbezug" in text


def test_staff_decisions_do_not_mention_a_committee(approved):
    text = pdf_text(render_letter(approved(), DocumentKind.APPROVAL))
    assert "Sozialausschuss" not in text
    assert "in seiner Sitzung" not in text
    assert "Anteilfinanzierung gewährt" not in text


@pytest.mark.parametrize(("waived", "expected", "absent"), [
    (False, "nach § 49a Abs. 3 VwVfG vom {day} an mit fünf Prozentpunkten über dem Basiszinssatz jährlich zu "
            "verzinsen", "wird abgesehen"),
    (True, "Von der Erhebung von Zinsen nach § 49a Abs. 3 VwVfG wird abgesehen. Begründung: Nicht zu vertreten, "
           "fristgerecht gezahlt.", "Prozentpunkten"),
])
def test_refund_letter_states_interest_or_its_waiver(settled_with_refund, people, waived, expected, absent):
    since = TODAY - timedelta(days=20)  # the rate in force on the letter's day, whenever the suite runs
    BaseRate.objects.create(valid_from=since, rate=Decimal("1.27"))
    BaseRate.objects.create(valid_from=since - timedelta(days=181), rate=Decimal("2.27"))
    application_ = settled_with_refund()
    refund_set_interest(user=people.staff, application_id=application_.pk, interest_from=None if waived else TODAY,
                        waived=waived, waiver_reason="Nicht zu vertreten, fristgerecht gezahlt." if waived else "")
    application_ = Application.objects.get(pk=application_.pk)
    text = pdf_text(render_letter(application_, DocumentKind.REFUND_NOTICE))
    assert expected.format(day=f"{TODAY:%d.%m.%Y}") in text
    assert absent not in text
    if not waived:
        assert (f"Der Basiszinssatz beträgt seit dem {since:%d.%m.%Y} 1,27 %; der Zinssatz beträgt damit 6,27 % "
                "jährlich.") in text


def test_refund_letter_without_interest_decision_keeps_the_general_note(settled_with_refund):
    text = pdf_text(render_letter(settled_with_refund(), DocumentKind.REFUND_NOTICE))
    assert "vom Eintritt der Unwirksamkeit des Zuwendungsbescheids an mit fünf Prozentpunkten" in text
