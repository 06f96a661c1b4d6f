"""Every row lock the grants code takes, in one place and one order.

Order when several are needed (never the other way round, so two actions
cannot deadlock):

1. payout batch, or committee meeting
2. applications, ordered by primary key
3. the applicant organisations by primary key (approval in a programme with a cap per period)
4. the co-financing municipalities by primary key (cap per municipality and calendar year)
5. file-number counter (submission)
6. programme budgets, ordered by primary key

Approval, by staff or by the committee (grants.services.approval): application(s) → organisations with a cap
per period → municipalities with a cap per year → budget(s), so two approvals for the same applicant or the
same municipality serialise before either sums the approvals already made. A programme without these caps
locks application → budget only.
Submission: application → counter. Payout execution: batch → its applications → their budgets.
Committee decisions: meeting → its applications → as approval.
"""

from django.db.models import Q

from integration_core.models import Municipality
from programmes.models import ProgrammeBudget

from .models import Application, FileNumberCounter, Meeting, PayoutBatch


def lock_application(pk: int) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "organisation")
        .get(pk=pk)
    )


def lock_applications(pks) -> list[Application]:
    return list(
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "organisation")
        .filter(pk__in=list(pks))
        .order_by("pk")
    )


def lock_organisations(pks) -> list:
    """Applicant rows by primary key; held while the approvals of overlapping periods are summed against a cap."""
    # The model by relation, not by import: grants does not import portal (tests/test_architecture.py).
    organisation_model = Application._meta.get_field("organisation").related_model
    ids = sorted({pk for pk in pks if pk is not None})
    return list(organisation_model.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def lock_file_number_counter(programme, year: int) -> FileNumberCounter:
    # get_or_create: a concurrent first insert hits the unique constraint and re-reads under the lock.
    counter, _created = FileNumberCounter.objects.select_for_update().get_or_create(programme=programme, year=year)
    return counter


def lock_budget(programme_id: int, year: int) -> ProgrammeBudget | None:
    return ProgrammeBudget.objects.select_for_update().filter(programme_id=programme_id, year=year).first()


def lock_budgets(keys) -> list[ProgrammeBudget]:
    """Budgets for (programme_id, year) pairs, locked in primary-key order."""
    pairs = Q(pk__in=[])
    for programme_id, year in set(keys):
        pairs |= Q(programme_id=programme_id, year=year)
    return list(ProgrammeBudget.objects.select_for_update().filter(pairs).order_by("pk"))


def lock_batch(pk: int) -> PayoutBatch:
    return PayoutBatch.objects.select_for_update().get(pk=pk)


def lock_meeting(pk: int) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=pk)


def lock_municipalities(pks) -> list[Municipality]:
    """The co-financing municipalities, held while their approvals per calendar year are summed."""
    ids = sorted({pk for pk in pks if pk is not None})
    return list(Municipality.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
