"""Case workers see their own cases, leads their provider's, nobody else (404); every read is logged."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from integration_core.cases.access import case_for_read, cases_for_user
from integration_core.cases.services import case_create, case_update
from integration_core.cases.services_parts import goal_add, goal_set_achieved
from integration_core.models import CaseReadLog, CounsellingType, GoalArea, ReadPurpose, Referral
from portal.accounts.roles import DATA_PROTECTION, STATISTICS
from tests.factories import UserFactory, role_user
from tests.factories.cases import CaseFactory, GoalFactory, ProviderFactory, case_lead, case_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(provider, worker, lead):
    colleague = case_worker(provider)
    other_provider = ProviderFactory()
    stranger = case_worker(other_provider)
    return {
        "own": CaseFactory(case_worker=worker),
        "colleague": CaseFactory(case_worker=colleague),
        "other_provider": CaseFactory(case_worker=stranger),
        "colleague_user": colleague,
        "other_lead": case_lead(other_provider),
    }


def test_case_worker_sees_only_own_cases(worker, world):
    assert list(cases_for_user(user=worker)) == [world["own"]]
    assert case_for_read(user=worker, case_id=world["own"].pk) == world["own"]
    for key in ("colleague", "other_provider"):
        with pytest.raises(Http404):
            case_for_read(user=worker, case_id=world[key].pk)


def test_lead_sees_the_providers_cases_only(lead, world):
    assert set(cases_for_user(user=lead)) == {world["own"], world["colleague"]}
    with pytest.raises(Http404):
        case_for_read(user=lead, case_id=world["other_provider"].pk)
    assert set(cases_for_user(user=world["other_lead"])) == {world["other_provider"]}


@pytest.mark.parametrize("who", ["data_protection", "statistics", "superuser", "staff", "nobody"])
def test_everybody_else_sees_no_case(world, who):
    user = {
        "data_protection": lambda: role_user(DATA_PROTECTION),
        "statistics": lambda: role_user(STATISTICS),
        "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
        "staff": lambda: role_user("Sachbearbeitung"),
        "nobody": lambda: UserFactory(),
    }[who]()
    assert not cases_for_user(user=user).exists()
    with pytest.raises(Http404):
        case_for_read(user=user, case_id=world["own"].pk)


def test_inactive_membership_ends_access(worker, world):
    worker.provider_memberships.update(is_active=False)
    assert not cases_for_user(user=worker).exists()


def test_membership_without_role_group_gives_no_access(provider, world):
    user = UserFactory()
    from integration_core.models import ProviderMembership

    ProviderMembership.objects.create(provider=provider, user=user, role="lead")
    assert not cases_for_user(user=user).exists()


def test_every_read_is_logged_with_who_which_case_and_purpose(worker, world):
    case = world["own"]
    case_for_read(user=worker, case_id=case.pk)
    case_for_read(user=worker, case_id=case.pk, purpose=ReadPurpose.PART_A_EDIT)
    logs = list(CaseReadLog.objects.order_by("pk").values_list("user_id", "case_id", "purpose"))
    # Stored as codes, shown translated (see test_read_log_admin).
    assert logs == [(worker.pk, case.pk, "case_view"), (worker.pk, case.pk, "part_a_edit")]
    with pytest.raises(ValueError, match="unknown read purpose"):
        case_for_read(user=worker, case_id=case.pk, purpose="Teil A bearbeiten")
    assert CaseReadLog.objects.count() == 2
    assert CaseReadLog.objects.first().read_at <= timezone.now()


def test_refused_read_is_not_logged_and_lists_are_not_logged(worker, world):
    with pytest.raises(Http404):
        case_for_read(user=worker, case_id=world["colleague"].pk)
    with pytest.raises(Http404):
        case_for_read(user=worker, case_id="not-a-number")
    list(cases_for_user(user=worker))
    assert not CaseReadLog.objects.exists()


def test_writes_on_anothers_case_are_404(worker, world):
    with pytest.raises(Http404):
        case_update(user=worker, case_id=world["colleague"].pk, data={"notes": "x"})
    with pytest.raises(Http404):
        goal_add(user=worker, case_id=world["other_provider"].pk, area=GoalArea.WORK, goal="x",
                 agreed_on=timezone.localdate())
    goal = GoalFactory(case=CaseFactory(case_worker=world["colleague_user"], counselling_type=CounsellingType.FULL))
    with pytest.raises(Http404):
        goal_set_achieved(user=worker, goal_id=goal.pk, achieved="yes")


def test_lead_may_write_on_the_providers_cases(lead, world):
    case_update(user=lead, case_id=world["colleague"].pk, data={"notes": "Rückruf vereinbart"})
    world["colleague"].refresh_from_db()
    assert world["colleague"].notes == "Rückruf vereinbart"


def test_statistics_role_cannot_write(world):
    with pytest.raises(PermissionDenied):
        case_update(user=role_user(STATISTICS), case_id=world["own"].pk, data={"notes": "x"})


DATA = {"counselling_type": CounsellingType.SIMPLE, "first_contact_on": None, "referral": Referral.OWN_INITIATIVE,
        "first_name": "Omid", "last_name": "Rahimi", "birth_date": None}


def _data(municipality, **extra):
    return {**DATA, "first_contact_on": timezone.localdate(), "municipality": municipality, **extra}


def test_case_worker_creates_own_case_lead_may_assign(provider, worker, lead, world):
    municipality = world["own"].municipality
    case = case_create(user=worker, provider_id=provider.pk, data=_data(municipality))
    assert (case.case_worker, case.provider, case.created_by) == (worker, provider, worker)
    with pytest.raises(PermissionDenied):
        case_create(user=worker, provider_id=provider.pk, data=_data(municipality),
                    case_worker_id=world["colleague_user"].pk)
    assigned = case_create(user=lead, provider_id=provider.pk, data=_data(municipality), case_worker_id=worker.pk)
    assert assigned.case_worker == worker
    with pytest.raises(PermissionDenied):
        case_create(user=worker, provider_id=ProviderFactory().pk, data=_data(municipality))


def test_case_plan_for_read_has_a_fixed_number_of_queries(worker, django_assert_max_num_queries):
    from integration_core.cases.access import case_plan_for_read
    from integration_core.cases.parts import missing_parts
    from tests.factories.cases import CompetencesFactory, give_consent

    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.FULL)
    CompetencesFactory(case=case)
    for _ in range(3):
        GoalFactory(case=case)
        give_consent(case)
    with django_assert_max_num_queries(16):
        plan = case_plan_for_read(user=worker, case_id=case.pk)
    with django_assert_max_num_queries(0):
        missing_parts(plan)
        [g.steps for g in plan.goals.all()]
        [p.recipient_provider for c in plan.consents.all() for p in c.purposes.all()]
        list(plan.competences.children.all())


def test_handover_choices(provider, worker, lead, world, django_assert_num_queries):
    from integration_core.cases.access import handover_providers, handover_targets

    with django_assert_num_queries(3):  # permission lookups (2) + one query for the choices
        targets = handover_targets(user=worker)
    by_provider = dict(targets)
    assert worker in by_provider[provider]
    assert lead in by_provider[provider]
    assert world["other_provider"].provider in by_provider
    assert list(handover_providers(user=worker)) == sorted([p for p, _ in targets], key=lambda p: p.name)
    assert handover_targets(user=role_user(STATISTICS)) == []
    assert not handover_providers(user=role_user(STATISTICS)).exists()
