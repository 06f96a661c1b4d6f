"""The coordinating post (Koordinierende Stelle) through the services: FTE, personnel costs, period, cap.

Issue 3, section 3. All rules are settings of the programme (programmes.rules); a programme without
them behaves as before (the Integrationsimpulse tests elsewhere keep passing unchanged).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from djmoney.money import Money

from grants.models import Application, ApplicationEvent, CostLine
from grants.services import applications, review
from grants.services.applications import CostLineData, recalculate_amounts
from grants.states import State
from programmes.choices import ApplicantType, CostKind
from programmes.models import ProgrammeBudget
from tests.factories import (
    ApplicationFactory,
    CostLineFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    make_application,
)

from .journey import make_cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_letter")]

D = Decimal
NEXT_YEAR = timezone.localdate().year + 1
CAP_MESSAGE = ("Für diese Stelle sind im Zeitraum bereits 25.000,00 € bewilligt; mit 20.000,00 € würde die "
               "Obergrenze von 40.000,00 € je 12 Monate überschritten.")


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def coordinating_programme():
    return ProgrammeFactory(
        code="KOS", name="Koordinierende Stelle Integrationsmanagement", min_amount=eur("5000.00"),
        max_amount=eur("40000.00"), min_post_fte=D("0.50"), personnel_costs_only=True,
        cap_per_period=eur("40000.00"), cap_period_months=12, staff_approval_limit=eur("0.00"),
        eligible_applicant_types=[ApplicantType.MUNICIPALITY],
    )


class Setting:
    """One municipality applying in the KOS programme, and the staff deciding."""

    def __init__(self):
        self.cast = make_cast()
        self.programme = coordinating_programme()
        ProgrammeBudgetFactory(programme=self.programme, amount=eur("200000.00"))
        self.organisation = OrganisationFactory(name="Gemeinde Talhausen", applicant_type=ApplicantType.MUNICIPALITY)
        MembershipFactory(organisation=self.organisation, user=self.cast.member)

    def draft(self, *, amount="25000.00", fte="0.50", start=date(NEXT_YEAR, 1, 1), end=date(NEXT_YEAR, 12, 31),
              kind=None) -> Application:
        app = ApplicationFactory(
            programme=self.programme, organisation=self.organisation, created_by=self.cast.member,
            title="Koordinierende Stelle", post_fte=None if fte is None else D(fte),
            planned_start=start, planned_end=end,
        )
        CostLineFactory(application=app, description="Personalkosten 0,5 VZÄ", amount=eur(amount),
                        **({"kind": kind} if kind else {}))
        recalculate_amounts(app)
        app.save()
        return app

    def submit(self, app):
        return applications.application_submit(user=self.cast.member, application_id=app.pk)

    def recommend(self, app):
        self.submit(app)
        review.application_start_review(user=self.cast.recommender, application_id=app.pk)
        return review.application_recommend(user=self.cast.recommender, application_id=app.pk)

    def approve(self, app):
        return review.application_approve(user=self.cast.approver, application_id=app.pk)


@pytest.fixture
def kos():
    return Setting()


def refusal(call) -> list[str]:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.messages


# -- FTE -----------------------------------------------------------------------------------------
def test_a_post_below_half_time_is_refused_with_the_reason(kos):
    app = kos.draft(fte="0.49")
    assert refusal(lambda: kos.submit(app)) == [
        "Der Stellenumfang von 0,49 VZÄ liegt unter dem Mindestumfang von 0,50 VZÄ."]
    assert Application.objects.get(pk=app.pk).state == State.DRAFT


def test_half_time_passes(kos):
    app = kos.draft(fte="0.50")
    assert app.missing_items() == []
    assert kos.submit(app).state == State.SUBMITTED


def test_a_missing_fte_is_named(kos):
    assert kos.draft(fte=None).missing_items() == [
        "Geben Sie den Stellenumfang der Stelle in Vollzeitäquivalenten (VZÄ) an."]


# -- personnel costs only ------------------------------------------------------------------------
def test_a_material_cost_line_is_refused(kos):
    app = kos.draft(kind=CostKind.MATERIAL)
    assert refusal(lambda: kos.submit(app)) == [
        "In diesem Programm sind ausschließlich Personalkosten zuwendungsfähig; "
        "entfernen Sie die Sachkosten aus dem Kostenplan."]


def test_cost_lines_saved_without_a_kind_are_personnel_costs_here(kos):
    app = kos.draft()
    applications.application_update(
        user=kos.cast.member, application_id=app.pk, data={"post_fte": D("0.75")},
        cost_lines=[CostLineData("Personalkosten", D("20000.00")), CostLineData("Fahrtkosten", D("500.00"))],
    )
    assert list(CostLine.objects.filter(application=app).values_list("kind", flat=True)) == ["personnel"] * 2
    assert Application.objects.get(pk=app.pk).post_fte == D("0.75")
    # A kind given explicitly is kept, and the rule refuses it.
    applications.application_update(
        user=kos.cast.member, application_id=app.pk, data={},
        cost_lines=[CostLineData("Büromaterial", D("6000.00"), kind=CostKind.MATERIAL)],
    )
    assert any("ausschließlich Personalkosten" in item for item in Application.objects.get(pk=app.pk).missing_items())


def test_other_programmes_store_material_costs_and_ask_for_no_fte():
    app = make_application(amount="1000.00")  # Integrationsimpulse: no FTE, any cost kind, no cap
    assert app.cost_lines.get().kind == CostKind.MATERIAL
    assert app.post_fte is None
    assert app.missing_items() == []


# -- period --------------------------------------------------------------------------------------
def test_twelve_months_pass(kos):
    assert kos.draft(start=date(NEXT_YEAR, 3, 1), end=date(NEXT_YEAR + 1, 2, 28 if (NEXT_YEAR + 1) % 4 else 29)
                     ).missing_items() == []


def test_twelve_months_and_a_day_are_refused(kos):
    app = kos.draft(start=date(NEXT_YEAR, 1, 1), end=date(NEXT_YEAR + 1, 1, 1))
    assert refusal(lambda: kos.submit(app)) == ["Der Förderzeitraum darf höchstens 12 Monate umfassen."]


# -- the cap per 12 months -----------------------------------------------------------------------
def test_overlapping_periods_share_the_cap_at_submission(kos):
    first = kos.draft(amount="25000.00")
    kos.recommend(first)
    kos.approve(first)
    second = kos.draft(amount="20000.00", start=date(NEXT_YEAR, 7, 1), end=date(NEXT_YEAR + 1, 6, 30))
    assert refusal(lambda: kos.submit(second)) == [CAP_MESSAGE]


def test_overlapping_periods_share_the_cap_at_approval(kos):
    first, second = kos.draft(amount="25000.00"), kos.draft(amount="20000.00", start=date(NEXT_YEAR, 12, 31),
                                                            end=date(NEXT_YEAR + 1, 12, 30))
    kos.recommend(first)
    kos.recommend(second)  # both passed submission while nothing was approved yet
    kos.approve(first)
    assert refusal(lambda: kos.approve(second)) == [CAP_MESSAGE]
    assert Application.objects.get(pk=second.pk).state == State.RECOMMENDED
    assert ProgrammeBudget.objects.get(programme=kos.programme).committed == eur("25000.00")
    assert ApplicationEvent.objects.filter(application=second, action="approve").count() == 0


def test_the_next_twelve_months_have_their_own_cap(kos):
    first = kos.draft(amount="25000.00")
    kos.recommend(first)
    kos.approve(first)
    following = kos.draft(amount="20000.00", start=date(NEXT_YEAR + 1, 1, 1), end=date(NEXT_YEAR + 1, 12, 31))
    kos.recommend(following)
    assert kos.approve(following).state == State.APPROVED


def test_up_to_the_cap_is_allowed(kos):
    first = kos.draft(amount="25000.00")
    kos.recommend(first)
    kos.approve(first)
    rest = kos.draft(amount="15000.00", start=date(NEXT_YEAR, 6, 1), end=date(NEXT_YEAR, 11, 30))
    kos.recommend(rest)
    assert kos.approve(rest).approved_amount == eur("15000.00")


def test_another_applicant_and_undecided_applications_do_not_count(kos):
    kos.recommend(kos.draft(amount="25000.00"))  # recommended, not approved: does not count yet
    neighbour = OrganisationFactory(name="Stadt Nachbarberg", applicant_type=ApplicantType.MUNICIPALITY)
    MembershipFactory(organisation=neighbour, user=kos.cast.member)
    other = kos.draft(amount="25000.00")
    Application.objects.filter(pk=other.pk).update(organisation=neighbour)
    kos.recommend(other)
    kos.approve(other)
    mine = kos.draft(amount="20000.00")
    assert mine.missing_items() == []


def test_programmes_without_these_settings_run_no_extra_query(django_assert_num_queries):
    """The Integrationsimpulse path is unchanged: no cap query, no cost-kind query."""
    from grants.rules import missing_items

    app = make_application(amount="1000.00")
    app = Application.objects.select_related("programme", "organisation").get(pk=app.pk)
    with django_assert_num_queries(1):  # cost_lines.exists() only
        missing_items(app)


# -- two approvals at once (PostgreSQL) ----------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.usefixtures("require_postgres")
def test_two_overlapping_approvals_at_once_one_wins(kos):
    """Two users approve two overlapping 25,000 € posts of one municipality at the same moment.

    Both threads hold their own application's lock; the organisation row, locked by the test first,
    holds them until both wait for it. Whoever comes second must see the first approval and refuse.
    """
    from portal.organisations.models import Organisation

    from .test_concurrency import run_together

    first, second = kos.draft(amount="25000.00"), kos.draft(amount="25000.00")
    kos.recommend(first)
    kos.recommend(second)
    outcomes = run_together(
        lambda: review.application_approve(user=kos.cast.approver, application_id=first.pk),
        lambda: review.application_approve(user=kos.cast.head, application_id=second.pk),
        behind=Organisation.objects.filter(pk=kos.organisation.pk), waiting=2,
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ValidationError)
    assert errors[0].messages == [
        "Für diese Stelle sind im Zeitraum bereits 25.000,00 € bewilligt; mit 25.000,00 € würde die "
        "Obergrenze von 40.000,00 € je 12 Monate überschritten."]
    states = sorted(Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == [State.APPROVED, State.RECOMMENDED]
    assert ProgrammeBudget.objects.get(programme=kos.programme).committed == eur("25000.00")


@pytest.mark.usefixtures("require_postgres")
def test_a_capped_approval_locks_application_then_organisation_then_budget(kos):
    from .test_concurrency import _locked_tables

    app = kos.draft()
    kos.recommend(app)
    assert _locked_tables(lambda: kos.approve(app)) == [
        "grants_application", "organisations_organisation", "programmes_programmebudget"]


# -- the applicant form ---------------------------------------------------------------------------
def _form_data(kos, **overrides):
    from tests.factories import MunicipalityFactory

    data = {
        "action": "submit", "title": "Koordinierende Stelle Integrationsmanagement",
        "summary": "Koordination des Integrationsmanagements.", "goals": "Einheitliche Beratung",
        "target_group": "Geflüchtete in der Anschlussunterbringung", "expected_participants": "200",
        "activity_type": "encounter", "funding_field": "integration",
        "planned_start": f"{NEXT_YEAR}-01-01", "planned_end": f"{NEXT_YEAR}-12-31",
        "place": str(MunicipalityFactory().pk), "own_funds": "0", "third_party_funds": "0", "post_fte": "0,5",
        "declaration_truthful": "on", "declaration_not_started": "on", "declaration_privacy": "on",
        "declaration_conditions": "on", "kosten-TOTAL_FORMS": "1", "kosten-INITIAL_FORMS": "0",
        "kosten-0-description": "Personalkosten 0,5 VZÄ (TVöD S 12)", "kosten-0-amount": "25.000,00",
    }
    data.update(overrides)
    return data


def test_the_form_asks_for_the_post_size_and_stores_personnel_costs(client, kos):
    from django.urls import reverse

    client.force_login(kos.cast.member)
    url = reverse("portal:application_create", args=[kos.programme.code])
    page = client.get(url).content.decode()
    assert "Stellenumfang (VZÄ)" in page
    assert "z. B. 0,5 für eine halbe Stelle" in page
    assert 'id="id_post_fte"' in page
    assert 'for="id_post_fte"' in page
    assert "ausschließlich Personalkosten zuwendungsfähig" in page
    response = client.post(url, _form_data(kos), follow=True)
    app = Application.objects.get(organisation=kos.organisation)
    assert (app.state, app.post_fte) == (State.SUBMITTED, D("0.50")), response.content.decode()[-2000:]
    assert list(app.cost_lines.values_list("kind", flat=True)) == [CostKind.PERSONNEL]


def test_the_form_names_a_post_below_the_minimum(client, kos):
    from django.urls import reverse

    client.force_login(kos.cast.member)
    url = reverse("portal:application_create", args=[kos.programme.code])
    response = client.post(url, _form_data(kos, post_fte="0,49"), follow=True)
    app = Application.objects.get(organisation=kos.organisation)
    assert app.state == State.DRAFT
    assert "Der Stellenumfang von 0,49 VZÄ liegt unter dem Mindestumfang von 0,50 VZÄ." in response.content.decode()
    # The edit page shows the stored size, the German way.
    page = client.get(reverse("portal:application_edit", args=[app.pk])).content.decode()
    assert 'value="0,49"' in page


def test_other_programmes_show_no_post_size_field(client):
    from django.urls import reverse

    app = make_application(amount="1000.00")
    client.force_login(app.created_by)
    page = client.get(reverse("portal:application_edit", args=[app.pk])).content.decode()
    assert "id_post_fte" not in page
    assert "ausschließlich Personalkosten" not in page


def test_the_staff_page_shows_the_post_size_and_the_cost_kinds(client, kos):
    from django.urls import reverse

    app = kos.draft(fte="0.75")
    kos.submit(app)  # staff see submitted applications only
    # Written past the services, for the display only: a material line the rule would have refused.
    CostLineFactory(application=app, description="Büromaterial", amount=eur("500.00"), kind=CostKind.MATERIAL)
    client.force_login(kos.cast.staff)
    html = client.get(reverse("antraege:detail", args=[app.pk])).content.decode()
    assert "Stellenumfang (VZÄ)" in html
    assert "0,75 VZÄ" in html
    assert "mindestens 0,50 VZÄ" in html
    assert "<td>Personalkosten</td>" in html  # the kind of each line, in its own column
    assert "<td>Sachkosten</td>" in html
