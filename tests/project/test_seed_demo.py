"""seed_demo: every screen has something to show, it runs twice, and never outside demo mode."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from grants.models import Application, Document, PayoutBatch
from grants.rules import missing_items
from grants.states import State
from integration_core.models import Municipality
from portal.accounts.models import User
from portal.accounts.roles import ROLE_PERMISSIONS
from portal.organisations.models import BankDetailsChange, Organisation
from programmes.choices import ApplicantType, RemainderUse
from programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="Demo-Modus"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_builds_a_district_with_applications_in_every_state_and_is_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    counts = (Municipality.objects.count(), Application.objects.count(), Organisation.objects.count())
    assert counts[0] >= 20
    assert Municipality.objects.filter(is_urban=True).count() >= 2
    assert set(Application.objects.values_list("state", flat=True)) == set(State.values)
    assert {o.applicant_type for o in Organisation.objects.all()} == set(ApplicantType.values)
    assert PayoutBatch.objects.filter(status=PayoutBatch.Status.EXECUTED).exists()
    assert Document.objects.filter(kind="approval").exists()
    roles = Counter(g for u in User.objects.prefetch_related("groups") for g in u.groups.values_list("name", flat=True))
    assert set(ROLE_PERMISSIONS) <= set(roles)
    assert User.objects.get(email="antrag@demo.example").check_password("demo")

    call_command("seed_demo")
    assert (Municipality.objects.count(), Application.objects.count(), Organisation.objects.count()) == counts
    # Bank details: every organisation's are confirmed; one new account waits for the Kasse (run twice: still one).
    assert not Organisation.objects.filter(iban="").exists()
    [waiting] = BankDetailsChange.objects.filter(status="pending").select_related("organisation")
    assert waiting.organisation.pending_iban
    assert waiting.organisation.iban != waiting.organisation.pending_iban
    assert all(b.sepa_sha256 for b in PayoutBatch.objects.all())


def test_soforthilfe_is_ready_for_its_first_run(django_capture_on_commit_callbacks):
    """13 checked applicants (one Verbund, four with only posts below 0.5 FTE); the run is left to the staff."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    programme = Programme.objects.get(code="SOF")
    assert programme.is_formula
    assert programme.remainder_use == RemainderUse.KEEP
    assert programme.min_post_fte == Decimal("0.50")
    assert programme.population_reference_date == Municipality.objects.first().population_reference_date
    assert programme.budgets.get().amount.amount == Decimal("282709.99")
    applications = list(programme.applications.prefetch_related("posts").select_related("organisation"))
    assert len(applications) == 13
    assert {a.state for a in applications} == {State.RECOMMENDED}
    assert all(a.allocation_run_id is None and not missing_items(a) for a in applications)
    below = [a for a in applications if max(p.fte for p in a.posts.all()) < Decimal("0.50")]
    assert len(below) == 4
    verbund = [a.organisation for a in applications
               if a.organisation.applicant_type == ApplicantType.MUNICIPAL_ASSOCIATION]
    assert len(verbund) == 1
    assert 2 <= verbund[0].member_municipalities.count() <= 3
    login = User.objects.get(email="kommune@demo.example")
    assert login.check_password("demo")
    assert programme.applications.filter(organisation__memberships__user=login).count() == 1
    assert programme.pages.live().exists()


def test_soforthilfe_demo_goes_through_the_whole_staff_flow(django_capture_on_commit_callbacks):
    """What the README promises staff can click: preview, fix, issue, pay out, a Verzicht, re-share."""
    from grants.services import payouts
    from grants.services.allocations import allocation_fix, allocation_issue_decisions, allocation_plan
    from grants.services.applications import application_decline
    from portal.demo import build, formula

    with django_capture_on_commit_callbacks(execute=True):
        municipalities, users = build.build_district(), build.build_users()
        programme = build.build_programmes()["SOF"]
        formula.build_formula_demo(programme, municipalities, users)
        assert formula.build_formula_demo(programme, municipalities, users) == []  # idempotent
    year = programme.budgets.get().year
    clerk, head, finance = users["sachbearbeitung"], users["leitung"], users["kasse"]
    plan = allocation_plan(user=clerk, programme_id=programme.pk, year=year)
    run = allocation_fix(user=clerk, programme_id=programme.pk, year=year, expected_hash=plan.preview.input_hash)
    assert sum(Decimal(o["amount"]) for o in run.outputs.values()) + run.remainder == Decimal("282709.99")
    assert run.remainder > 0  # the ineligible shares stay with the district (keep)
    with django_capture_on_commit_callbacks(execute=True):
        issued = allocation_issue_decisions(user=head, run_id=run.pk)
    assert (issued.approved, issued.rejected) == (9, 4)
    approved = list(programme.applications.filter(state=State.APPROVED).order_by("file_number"))
    declining, *paid = approved
    batch = payouts.payout_batch_create(user=finance, application_ids=[a.pk for a in paid])
    payouts.payout_batch_execute(user=finance, batch_id=batch.pk)
    application_decline(user=declining.organisation.members.first(), application_id=declining.pk,
                        reason="Die Stelle kann nicht besetzt werden.")
    follow = allocation_plan(user=clerk, programme_id=programme.pk, year=year)
    assert follow.is_follow_up
    assert follow.preview.total == declining.approved_amount.amount
    second = allocation_fix(user=clerk, programme_id=programme.pk, year=year,
                            expected_hash=follow.preview.input_hash)
    with django_capture_on_commit_callbacks(execute=True):
        assert allocation_issue_decisions(user=head, run_id=second.pk).increased == 8


def test_committee_demo_has_a_frozen_agenda_an_open_meeting_and_base_rates(django_capture_on_commit_callbacks):
    """Issue 4: staff can download the approval list at once and record the decisions; more items wait."""
    from datetime import date

    from django.utils import timezone

    from grants.models import AgendaItem, AttachmentKind, ConflictOfInterest, Meeting
    from grants.services.committee import Decision
    from grants.services.committee_decisions import meeting_record_decisions
    from programmes.models import BaseRate

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    today = timezone.localdate()
    lotsen, projects = Programme.objects.get(code="LOT"), Programme.objects.get(code="PRJ")
    assert lotsen.is_open(today)
    assert projects.is_open(today)
    assert lotsen.committee_decides_all
    assert projects.committee_decides_all
    assert (lotsen.max_funding_share, lotsen.matching_funds_required) == (Decimal("0.50"), True)
    assert lotsen.cap_per_municipality_year.amount == Decimal("25000.00")
    assert lotsen.budget_part
    assert lotsen.product_group
    assert lotsen.product
    assert projects.product
    assert lotsen.budgets.filter(year=today.year).exists()

    frozen = Meeting.objects.get(frozen_at__isnull=False)
    assert frozen.committee == "Sozialausschuss"
    assert frozen.paper_number
    assert frozen.date < today
    assert frozen.members.count() == 7
    assert all(m.group for m in frozen.members.all())
    items = list(frozen.items.select_related("application__programme", "application__organisation"))
    assert len(items) >= 12
    assert {item.application.programme.code for item in items} == {"LOT", "PRJ"}
    assert all(item.snapshot["applicant"] for item in items)
    assert ConflictOfInterest.objects.filter(item__meeting=frozen).count() == 1
    lotsen_apps = [item.application for item in items if item.application.programme_id == lotsen.pk]
    assert all(a.cofinancing_municipality_id and a.attachments.filter(kind=AttachmentKind.COFINANCING).exists()
               for a in lotsen_apps)
    assert {a.organisation.applicant_type for a in lotsen_apps} == {ApplicantType.MUNICIPALITY,
                                                                    ApplicantType.ASSOCIATION}
    assert any(a.year_amounts.count() == 2 for a in lotsen_apps)  # one period over the turn of the year

    upcoming = Meeting.objects.get(frozen_at__isnull=True)
    assert upcoming.date > today
    assert not upcoming.items.exists()
    waiting = Application.objects.filter(programme__in=[lotsen, projects], state=State.RECOMMENDED,
                                         agenda_items__isnull=True)
    assert 2 <= waiting.count() <= 3

    assert BaseRate.objects.count() >= 8
    assert BaseRate.objects.get(valid_from=date(2024, 1, 1)).rate == Decimal("3.62")

    # The whole agenda can be approved as recommended: caps and budgets hold.
    staff = User.objects.get(email="sachbearbeitung@demo.example")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_record_decisions(user=staff, meeting_id=frozen.pk, resolution_date=today,
                                 decisions=[Decision(item.pk, AgendaItem.Outcome.APPROVED) for item in items])
    assert Application.objects.filter(pk__in=[i.application_id for i in items], state=State.APPROVED).count() \
        == len(items)
