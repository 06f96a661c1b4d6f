"""Who sees which case. Case workers their own, leads their provider's, nobody else.

Scope comes from ``ProviderMembership`` (active), the kind of access from the role groups
(``integration_core.view_case``, held through a role: ``has_role_perm``). Superusers get no special
treatment: case data is not admin data, and who may read cases is assigned in ``cases.assignments``.
A case outside the scope is "not found" (404), so its existence is not revealed.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import Case, CaseReadLog, Provider, ProviderMembership, ProviderRole, ReadPurpose

VIEW_CASE = "integration_core.view_case"
CHANGE_CASE = "integration_core.change_case"
ADD_CASE = "integration_core.add_case"
EXTEND_CASE = "integration_core.extend_case"
HANDOVER_CASE = "integration_core.handover_case"


def has_role_perm(user, perm: str) -> bool:
    """``perm`` held through a role group or given to the user: a superuser's implicit all-permissions don't count.

    Case data is not admin data: superuser status alone opens no case, no case form and no row-level extract.
    """
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if not user.is_superuser:
        return user.has_perm(perm)  # the backend's cached answer: groups and own permissions only
    # The backend answers "all" for a superuser; ask which permissions its groups and account really hold.
    from django.contrib.auth.models import Permission

    app_label, codename = perm.split(".", 1)
    return Permission.objects.filter(
        Q(group__user=user) | Q(user=user), content_type__app_label=app_label, codename=codename).exists()


def _memberships(user, role: str | None = None) -> QuerySet[ProviderMembership]:
    memberships = ProviderMembership.objects.filter(user_id=user.pk, is_active=True, provider__is_active=True)
    return memberships.filter(role=role) if role else memberships


def case_scope_q(user) -> Q:
    """The cases ``user`` may see, as a filter on Case (empty when the user has no case role)."""
    if not has_role_perm(user, VIEW_CASE):
        return Q(pk__in=[])
    member_of = _memberships(user).values("provider_id")
    leads = _memberships(user, ProviderRole.LEAD).values("provider_id")
    return Q(case_worker_id=user.pk, provider_id__in=member_of) | Q(provider_id__in=leads)


def cases_for_user(*, user) -> QuerySet[Case]:
    """The scoped list of cases; a view that shows them logs the shown ones with ``log_cases_shown``."""
    return Case.objects.filter(case_scope_q(user)).select_related("municipality", "provider", "case_worker")


def case_for_read(*, user, case_id, purpose: str = ReadPurpose.CASE_VIEW) -> Case:
    """One case for display, logged. Raises Http404 if the case does not exist or is outside the scope.

    ``purpose`` is a ``ReadPurpose`` code: the log stores the code and the log screens translate it.
    """
    if purpose not in ReadPurpose.values:
        raise ValueError(f"unknown read purpose {purpose!r}")
    try:
        case = cases_for_user(user=user).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Fall nicht gefunden.")) from None
    CaseReadLog.objects.create(case=case, user=user, purpose=purpose)
    return case


def log_cases_shown(*, user, case_ids: Iterable[int], purpose: str) -> int:
    """Log that the cases ``case_ids`` were shown to ``user`` (a list page, a search, an extract).

    One row per case, written by one INSERT per 500 cases, so a list view's query count stays constant.
    The caller passes the ids it actually showed; it has scoped them already. Returns the rows written.
    """
    if purpose not in ReadPurpose.values:
        raise ValueError(f"unknown read purpose {purpose!r}")
    rows = [CaseReadLog(case_id=case_id, user=user, purpose=purpose) for case_id in dict.fromkeys(case_ids)]
    CaseReadLog.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def case_plan_for_read(*, user, case_id, purpose: str = ReadPurpose.CASE_VIEW) -> Case:
    """``case_for_read`` with the whole plan prefetched, so a case page runs a fixed number of queries."""
    from django.db.models import Prefetch

    from ..models import Consent

    case = case_for_read(user=user, case_id=case_id, purpose=purpose)
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        [case], "competences__children", "competences__languages", "competences__german_courses", "goals",
        "reporting_statuses",
        Prefetch("consents", queryset=Consent.objects.prefetch_related("purposes__recipient_provider")),
        "handovers__to_provider", "handovers__to_case_worker", "handovers__from_case_worker",
    )
    return case


def case_for_write(*, user, case_id) -> Case:
    """The case locked for a write by ``user`` (Http404 outside the scope, PermissionDenied without the right)."""
    from django.core.exceptions import PermissionDenied

    if not has_role_perm(user, CHANGE_CASE):
        raise PermissionDenied(_("Sie dürfen Fälle nicht bearbeiten."))
    try:
        # Lock first (no joins: PostgreSQL cannot lock the nullable side), then check the scope.
        case = Case.objects.select_for_update().get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Fall nicht gefunden.")) from None
    if not Case.objects.filter(case_scope_q(user), pk=case.pk).exists():
        raise Http404(_("Fall nicht gefunden."))
    return case


def providers_for_user(*, user, role: str | None = None) -> QuerySet[Provider]:
    return Provider.objects.filter(pk__in=_memberships(user, role).values("provider_id"))


def is_lead(user, provider_id) -> bool:
    return _memberships(user, ProviderRole.LEAD).filter(provider_id=provider_id).exists()


def is_member(user, provider_id) -> bool:
    return _memberships(user).filter(provider_id=provider_id).exists()


def handover_providers(*, user) -> QuerySet[Provider]:
    """Active providers a consent may name as handover recipient (empty without the handover right)."""
    if not user.has_perm(HANDOVER_CASE):
        return Provider.objects.none()
    return Provider.objects.filter(is_active=True).order_by("name")


def handover_targets(*, user) -> list[tuple[Provider, list]]:
    """(provider, active members) pairs a case can be handed to, in one query; ``case_handover`` checks again."""
    if not user.has_perm(HANDOVER_CASE):
        return []
    rows: dict = {}
    memberships = ProviderMembership.objects.filter(
        is_active=True, provider__is_active=True, user__is_active=True,
    ).select_related("provider", "user").order_by("provider__name", "user__last_name", "user__first_name")
    for membership in memberships:
        rows.setdefault(membership.provider, []).append(membership.user)
    return list(rows.items())


def case_workers_of(*, provider_id):
    """Active members of a provider who may hold cases (case workers and leads)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        is_active=True, provider_memberships__provider_id=provider_id, provider_memberships__is_active=True,
    ).order_by("last_name", "first_name")
