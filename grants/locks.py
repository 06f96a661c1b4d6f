"""Every row lock the grants code takes, in one place and one order.

Order when several are needed: application first, then the budget. Payout
batches lock their applications ordered by primary key.
"""

from programmes.models import ProgrammeBudget

from .models import Application, PayoutBatch


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


def lock_budget(programme_id: int, year: int) -> ProgrammeBudget | None:
    return ProgrammeBudget.objects.select_for_update().filter(programme_id=programme_id, year=year).first()


def lock_batch(pk: int) -> PayoutBatch:
    return PayoutBatch.objects.select_for_update().get(pk=pk)
