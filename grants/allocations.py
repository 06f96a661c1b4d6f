"""Formula allocations read from the applications: who takes part, with which population and posts.

``programmes.formula_runs`` computes a run from rules and input rows alone; this module builds those rows from
the applications (an applicant's population is its seat municipality's, a Verbund's the sum of its members'),
and says how much unused money a follow-up run may re-share. Writes are in ``grants.services.allocations``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from integration_core.models import Municipality
from programmes.choices import ApplicantType, RemainderUse
from programmes.models import AllocationRun, Programme, ProgrammeBudget
from programmes.runs import METHOD

from .models import Application, FundedPost, Refund
from .states import GRANT_HELD, State

TWO_PLACES = Decimal("0.01")
# Staff have checked the stated posts (``application_confirm_eligibility``): the applicant takes part in a run.
CHECKED = State.RECOMMENDED
# Not yet checked: shown as a warning on the preview, never part of a run.
UNCHECKED = [State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED]
# Recipients of an earlier run who still hold their grant share a follow-up run's money: approved, paid,
# settled, refund claimed or closed. Not who gave the grant up (Verzicht: withdrawn), and not whose grant was
# reclaimed in full because its purpose failed: neither holds a grant any more.
HOLDING = GRANT_HELD


def _with_population(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related("organisation__seat_municipality").prefetch_related(
        "organisation__member_municipalities",
        Prefetch("posts", queryset=FundedPost.objects.order_by("position", "pk")),
    ).order_by("file_number")


def candidates(programme: Programme) -> QuerySet[Application]:
    """Checked applications not yet in a run: the participants of a programme's first run."""
    return _with_population(programme.applications.filter(state=CHECKED, allocation_run__isnull=True))


def unchecked(programme: Programme) -> QuerySet[Application]:
    return programme.applications.filter(state__in=UNCHECKED).order_by("file_number")


def applicant_municipalities(application: Application) -> list[Municipality]:
    """The municipalities whose population counts for the applicant: a Verbund's members, else its seat."""
    organisation = application.organisation
    if organisation.applicant_type == ApplicantType.MUNICIPAL_ASSOCIATION:
        return sorted(organisation.member_municipalities.all(), key=lambda m: m.ags)
    return [organisation.seat_municipality]


def reference_date_errors(programme: Programme, applications) -> list[str]:
    """A run uses only population figures of the programme's reference date; name every one that differs."""
    wanted = programme.population_reference_date
    errors = []
    for application in applications:
        for municipality in applicant_municipalities(application):
            if municipality.population_reference_date != wanted:
                errors.append(_(
                    "%(municipality)s (Antrag %(number)s): Einwohnerzahl zum Stichtag %(have)s, das Programm "
                    "verlangt den %(want)s. Bitte importieren Sie die Einwohnerzahlen zum Stichtag.") % {
                    "municipality": municipality.name, "number": application.file_number,
                    "have": municipality.population_reference_date.strftime("%d.%m.%Y"),
                    "want": wanted.strftime("%d.%m.%Y") if wanted else "–"})
    return errors


def _amount(money) -> str | None:
    return None if money is None else str(money.amount.quantize(TWO_PLACES))


def formula_rules(programme: Programme, *, follow_up: bool) -> dict:
    """The rules of a run as stored. A follow-up run re-shares among applicants already found eligible, so
    neither the minimum post size nor the minimum share applies again; the cap does, per applicant."""
    return {
        "method": METHOD,
        "min_fte": None if follow_up or programme.min_post_fte is None else str(programme.min_post_fte),
        "min_share": None if follow_up else _amount(programme.allocation_min_share),
        "cap": _amount(programme.allocation_cap),
        "remainder": RemainderUse.RESHARE if follow_up else programme.remainder_use,
        "population_reference_date": programme.population_reference_date.isoformat(),
        "follow_up": follow_up,
    }


def input_row(application: Application, *, cap: Decimal | None = None) -> dict:
    municipalities = applicant_municipalities(application)
    population = sum(m.population for m in municipalities)
    posts = list(application.posts.all())
    return {
        "key": application.file_number,
        "application_id": application.pk,
        "name": application.organisation.name,
        "municipalities": [
            {"ags": m.ags, "name": m.name, "population": m.population,
             "population_reference_date": m.population_reference_date.isoformat()}
            for m in municipalities
        ],
        "population": population,
        "weight": str(Decimal(population).quantize(TWO_PLACES)),
        "fte": str(max(post.fte for post in posts)) if posts else None,
        "fte_total": str(sum((post.fte for post in posts), Decimal("0.00"))),
        "cap": None if cap is None else str(cap.quantize(TWO_PLACES)),
        "previous_amount": _amount(application.approved_amount) or "0.00",
    }


def chain(run: AllocationRun) -> list[AllocationRun]:
    """The run and all runs it follows, oldest first (a chain, never a tree: one follower per run)."""
    runs = [run]
    while runs[0].follows_id is not None:
        runs.insert(0, AllocationRun.objects.get(pk=runs[0].follows_id))
    return runs


def latest_run(programme: Programme, year: int) -> AllocationRun | None:
    """The newest run of a programme's year: the only one a follow-up may follow."""
    return programme.allocation_runs.filter(year=year, followed_by__isnull=True).order_by("-created_at").first()


@dataclass(frozen=True)
class Unused:
    """What a follow-up run may re-share: the budget left, minus what a ``keep`` first run set aside."""

    budget_remaining: Decimal
    kept_for_district: Decimal

    @property
    def available(self) -> Decimal:
        return max(self.budget_remaining - self.kept_for_district, Decimal("0.00"))


def unused(budget: ProgrammeBudget, run: AllocationRun) -> Unused:
    """Money declined or refunded since, plus anything a run could not place, is in the budget's remaining
    amount; the ineligible shares a ``keep`` first run held back stay reserved for the district-wide offer."""
    first = chain(run)[0]
    kept = first.remainder if first.rules.get("remainder") == RemainderUse.KEEP else Decimal("0.00")
    return Unused(budget_remaining=budget.remaining.amount, kept_for_district=kept)


def _holding(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.filter(state__in=HOLDING).exclude(refund__reason=Refund.Reason.PURPOSE_FAILED)


def holds_grant(application: Application) -> bool:
    """Whether a recipient still holds its grant (see ``HOLDING``), e.g. when a follow-up run is issued."""
    return _holding(Application.objects.filter(pk=application.pk)).exists()


def holders(run: AllocationRun) -> QuerySet[Application]:
    """Recipients of the runs up to ``run`` who still hold their grant: they share a follow-up run.

    What they have refunded since (a settlement showing less spent) is free money of the year's budget
    (``unused``), re-shared among them all, the refunding recipient included.
    """
    runs = chain(run)
    keys = {key for r in runs for key, output in r.outputs.items() if Decimal(output["amount"])}
    return _with_population(_holding(Application.objects.filter(allocation_run__in=runs, file_number__in=keys)))


def follow_up_rows(programme: Programme, run: AllocationRun) -> list[dict]:
    rows = []
    cap = programme.allocation_cap.amount if programme.allocation_cap is not None else None
    for application in holders(run):
        headroom = None if cap is None else max(cap - application.approved_amount.amount, Decimal("0.00"))
        rows.append(input_row(application, cap=headroom))
    if not rows:
        raise ValidationError(_("Niemand hält aus den bisherigen Läufen noch eine Zuwendung; es gibt keinen "
                                "Empfänger für eine Neuverteilung."))
    return rows
