""""Eigenständiges Leben": derived, never typed in. Reached when at least 2 of 3 hold:
German B1 or better, in work/training/studies, own flat. Unknown counts as not met.

The Python function and the database expression are built from the same three facts;
a test checks that they agree on every combination.
"""

from django.db.models import BooleanField, IntegerField, Q, QuerySet, Value, When
from django.db.models import Case as Switch

from ..models import IN_WORK_TRAINING_STUDIES, GermanLevel, Housing

THRESHOLD = 2


def _facts(prefix: str) -> tuple[Q, Q, Q]:
    return (
        Q(**{f"{prefix}german_level__gte": GermanLevel.B1}),
        Q(**{f"{prefix}labour_status__in": list(IN_WORK_TRAINING_STUDIES)}),
        Q(**{f"{prefix}housing": Housing.OWN_FLAT}),
    )


def facts(competences) -> tuple[bool, bool, bool]:
    """(German B1+, in work/training/studies, own flat) for one Part A (None: nothing known)."""
    if competences is None:
        return (False, False, False)
    level = competences.german_level
    return (
        level is not None and level >= GermanLevel.B1,
        competences.labour_status in IN_WORK_TRAINING_STUDIES,
        competences.housing == Housing.OWN_FLAT,
    )


def independent_living(competences) -> bool:
    return sum(facts(competences)) >= THRESHOLD


def independent_living_for_case(case) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return independent_living(case.competences)
    except ObjectDoesNotExist:
        return False


def independent_living_q(prefix: str = "competences__") -> Q:
    """Pure Q (any two of three): use in filter() or Count(..., filter=...). Prefix "" on Competences."""
    german, work, flat = _facts(prefix)
    return (german & work) | (german & flat) | (work & flat)


def independent_living_score(prefix: str = "competences__"):
    """0..3 as an integer expression (how many of the three facts hold)."""
    return sum(
        (Switch(When(fact, then=Value(1)), default=Value(0), output_field=IntegerField()) for fact in _facts(prefix)),
        start=Value(0),
    )


def with_independent_living(queryset: QuerySet, prefix: str = "competences__") -> QuerySet:
    """Annotate ``independent_living`` (bool) and ``independent_living_score`` (0..3) on a Case queryset."""
    return queryset.annotate(
        independent_living_score=independent_living_score(prefix),
        # CASE WHEN, not the bare condition: unknown (NULL) must come out as False, as in Python.
        independent_living=Switch(When(independent_living_q(prefix), then=Value(True)), default=Value(False),
                                  output_field=BooleanField()),
    )
