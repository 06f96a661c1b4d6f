"""The rules a formula programme can switch on, applied round by round on top of :func:`apportion`.

Order: (1) applicants whose post is below the minimum FTE drop out; (2) the pot is shared — among the
eligible only (``reshare``), or among all with the ineligible shares kept back as the remainder for a
district-wide offer (``keep``); (3) rounds repeat until stable: applicants whose exact share exceeds the cap
are frozen at the cap and the rest is re-shared among the others; otherwise, if the smallest exact share
is below the minimum share, that applicant (with any of equal weight) drops out and the pot is re-shared.
With ``keep`` the remainder is exactly the ineligible shares (plus anything undistributable); money freed later
by the cap or the minimum share is re-shared among the remaining eligible, never handed to the ineligible.
Every step is recorded with a German message template, language-neutral params (``programmes.step_params``:
figures as tagged values, words as nested templates) and structured data, so a committee can follow each
amount in the language of the page; ``Step.explanation`` is the German text.

Why only the smallest drops per round: re-sharing raises everyone else's share, so an applicant just below
the minimum may clear it once the smallest is gone. Capping all at once is safe the other way round:
re-sharing only raises the others' shares, so whoever is over the cap stays over it.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

from .allocation import Weight, amount_to_cents, cents_to_amount, integer_weights, largest_remainder
from .step_params import AllocationError, german, gettext_noop, listing, named, number, text
from .step_params import eur as money

K = TypeVar("K", bound=Hashable)
MIN_SHARE_LABEL = gettext_noop("Der Mindestbetrag")
CAP_LABEL = gettext_noop("Der Höchstbetrag")
# What the last tie-break compares, named in the explanation: the formula runs pass "Aktenzeichen".
DEFAULT_KEY_LABEL = gettext_noop("Schlüssel")


class RemainderPolicy(StrEnum):
    RESHARE = "reshare"  # the pot is shared among the eligible only
    KEEP = "keep"  # shared among all; the ineligible shares stay with the district (district-wide offer)


class Reason(StrEnum):
    SHARED = "shared"
    CAPPED = "capped"
    NO_WEIGHT = "no_weight"
    BELOW_MIN_FTE = "below_min_fte"
    FTE_MISSING = "fte_missing"
    BELOW_MIN_SHARE = "below_min_share"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS = {
    Reason.SHARED: gettext_noop("Anteil nach Gewicht"),
    Reason.CAPPED: gettext_noop("Höchstbetrag erreicht"),
    Reason.NO_WEIGHT: gettext_noop("Gewicht null, daher kein Anteil"),
    Reason.BELOW_MIN_FTE: gettext_noop("Stellenumfang unter dem Mindestumfang"),
    Reason.FTE_MISSING: gettext_noop("Stellenumfang nicht angegeben"),
    Reason.BELOW_MIN_SHARE: gettext_noop("Anteil unter dem Mindestbetrag"),
}


class StepKind(StrEnum):
    ELIGIBILITY = "eligibility"
    KEEP = "keep"
    CAP = "cap"
    MIN_SHARE = "min_share"
    SHARE = "share"
    UNDISTRIBUTED = "undistributed"


@dataclass(frozen=True)
class Applicant:
    weight: Weight  # e.g. population, or population × urban factor
    fte: Decimal | None = None  # FTE of the funded post; None = not stated
    name: str = ""  # shown in the explanations; the key is used when empty
    # An own ceiling, e.g. the room left under the programme's cap after earlier runs (follow-up runs);
    # the lower of it and the rules' cap applies.
    cap: Decimal | None = None


@dataclass(frozen=True)
class AllocationRules:
    min_fte: Decimal | None = None
    min_share: Decimal | None = None
    cap: Decimal | None = None
    remainder: RemainderPolicy = RemainderPolicy.RESHARE

    def __post_init__(self):
        object.__setattr__(self, "remainder", RemainderPolicy(self.remainder))
        if self.min_fte is not None and (not isinstance(self.min_fte, int | Decimal) or self.min_fte < 0):
            raise AllocationError(gettext_noop("Der Mindeststellenumfang muss ein Decimal ≥ 0 sein, erhalten: "
                                               "%(value)s"), value=repr(self.min_fte))
        min_share = self.min_share_cents
        cap = self.cap_cents
        if cap is not None and cap == 0:
            raise AllocationError(gettext_noop("Der Höchstbetrag muss größer als null sein."))
        if min_share is not None and cap is not None and min_share > cap:
            raise AllocationError(gettext_noop("Der Mindestbetrag (%(min_share)s) liegt über dem Höchstbetrag "
                                               "(%(cap)s)."), min_share=str(self.min_share), cap=str(self.cap))

    @property
    def min_share_cents(self) -> int | None:
        return None if self.min_share is None else amount_to_cents(self.min_share, MIN_SHARE_LABEL)

    @property
    def cap_cents(self) -> int | None:
        return None if self.cap is None else amount_to_cents(self.cap, CAP_LABEL)


@dataclass(frozen=True)
class Step(Generic[K]):
    number: int
    kind: StepKind
    pot: Decimal  # the money shared (or set aside) in this step
    among: tuple[K, ...]  # the applicants sharing it
    message: str  # German template (msgid), translated when shown
    params: dict[str, Any] = field(default_factory=dict)  # language-neutral, see ``programmes.step_params``
    dropped: tuple[K, ...] = ()
    capped: tuple[K, ...] = ()
    reason: Reason | None = None  # why ``dropped`` / ``capped`` are

    @property
    def explanation(self) -> str:
        """The German text; ``programmes.exports.steps`` renders the step in the active language."""
        return german(self.message, self.params)


@dataclass(frozen=True)
class Outcome:
    amount: Decimal
    eligible: bool  # False: below minimum FTE, FTE missing or below minimum share
    reason: Reason
    percent: Decimal  # of the total, two places, rounded half up
    step: int  # the step that decided this amount


@dataclass(frozen=True)
class AllocationResult(Generic[K]):
    total: Decimal
    outcomes: dict[K, Outcome]
    steps: tuple[Step[K], ...]
    remainder: Decimal  # total − sum of amounts: kept for a district-wide offer and/or undistributable

    @property
    def amounts(self) -> dict[K, Decimal]:
        return {key: outcome.amount for key, outcome in self.outcomes.items()}


def _eur(cents: int) -> dict:
    """An amount in cents as a language-neutral step param."""
    return money(cents_to_amount(cents))


def _exact_eur(pot: int, weight: int, basis: int) -> dict:
    """An exact share shown rounded half up to the cent, for the explanations only."""
    return _eur((2 * pot * weight + basis) // (2 * basis))


def _percent(cents: int, total_cents: int) -> Decimal:
    if not total_cents:
        return Decimal("0.00")
    return cents_to_amount((cents * 10000 * 2 + total_cents) // (total_cents * 2))


class _Run(Generic[K]):
    """One allocation, kept as state while the rounds run; ``allocate`` is the entry point."""

    def __init__(self, total: Decimal, applicants: Mapping[K, Applicant], rules: AllocationRules, key_label: str):
        self.total_cents = amount_to_cents(total)
        self.applicants = applicants
        self.rules = rules
        self.key_label = key_label
        self.weights = integer_weights({key: applicant.weight for key, applicant in applicants.items()})
        if not self.weights:
            raise AllocationError(gettext_noop("Es gibt keine Antragsteller, unter denen verteilt werden könnte."))
        if not any(self.weights.values()):
            raise AllocationError(gettext_noop("Mindestens ein Antragsteller braucht ein Gewicht größer als null."))
        self.caps = self.own_caps(rules.cap_cents)
        self.steps: list[Step[K]] = []
        self.decided: dict[K, tuple[int, Reason, bool]] = {}  # key → (cents, reason, eligible)
        self.decided_in: dict[K, int] = {}

    def own_caps(self, rule_cap: int | None) -> dict[K, int]:
        """Each applicant's ceiling in cents: the rules' cap, lowered by an own cap; absent = no ceiling."""
        caps = {}
        for key, applicant in self.applicants.items():
            values = [rule_cap] if rule_cap is not None else []
            if applicant.cap is not None:
                values.append(amount_to_cents(applicant.cap, CAP_LABEL))
            if values:
                caps[key] = min(values)
        return caps

    def name(self, key: K) -> str:
        return self.applicants[key].name or str(key)

    def names(self, keys, detail=None) -> dict:
        """The named applicants as a list param, each with its detail (a param itself) if given."""
        return listing(named(self.name(key), detail(key)) if detail else self.name(key) for key in keys)

    def record(self, kind: StepKind, pot: int, among, message: str, /, **params) -> int:
        number = len(self.steps) + 1
        extra = {name: params.pop(name) for name in ("dropped", "capped", "reason") if name in params}
        self.steps.append(Step(number, kind, cents_to_amount(pot), tuple(among), message,
                               {"step": number, **params}, **extra))
        return number

    def decide(self, keys, cents: int | dict, reason: Reason, eligible: bool, step: int) -> None:
        for key in keys:
            value = cents[key] if isinstance(cents, dict) else cents
            own_reason = Reason.NO_WEIGHT if reason == Reason.SHARED and not self.weights[key] else reason
            self.decided[key] = (value, own_reason, eligible)
            self.decided_in[key] = step

    def check_eligibility(self) -> list[K]:
        min_fte, everyone = self.rules.min_fte, list(self.applicants)
        if min_fte is None:
            self.record(StepKind.ELIGIBILITY, self.total_cents, everyone, gettext_noop(
                "Schritt %(step)s – Förderfähigkeit: Kein Mindeststellenumfang vorgegeben; alle %(count)s "
                "Antragsteller nehmen teil."), count=len(everyone))
            return everyone
        missing = [key for key in everyone if self.applicants[key].fte is None]
        below = [key for key in everyone if self.applicants[key].fte is not None and self.applicants[key].fte < min_fte]
        ineligible_set = {*missing, *below}
        eligible = [key for key in everyone if key not in ineligible_set]
        ineligible = [key for key in everyone if key in ineligible_set]
        if not ineligible:
            self.record(StepKind.ELIGIBILITY, self.total_cents, everyone, gettext_noop(
                "Schritt %(step)s – Förderfähigkeit: Alle %(count)s Antragsteller erreichen den Mindeststellenumfang "
                "von %(min_fte)s VZÄ."), count=len(everyone), min_fte=number(min_fte))
            return eligible
        detail = {key: text(gettext_noop("keine Angabe")) if key in missing
                  else text(gettext_noop("%(fte)s VZÄ"), fte=number(self.applicants[key].fte)) for key in ineligible}
        step = self.record(StepKind.ELIGIBILITY, self.total_cents, eligible, gettext_noop(
            "Schritt %(step)s – Förderfähigkeit: Voraussetzung ist ein Stellenumfang von mindestens %(min_fte)s VZÄ. "
            "Nicht erfüllt ist sie bei %(dropped_count)s von %(count)s Antragstellern, die deshalb nichts erhalten: "
            "%(names)s."),
            count=len(everyone), dropped_count=len(ineligible), min_fte=number(min_fte),
            names=self.names(ineligible, detail.get), dropped=tuple(ineligible), reason=Reason.BELOW_MIN_FTE)
        self.decide(missing, 0, Reason.FTE_MISSING, False, step)
        self.decide(below, 0, Reason.BELOW_MIN_FTE, False, step)
        return eligible

    def keep_back(self, eligible: list[K]) -> tuple[int, dict[K, int]]:
        """``keep``: share among all, the ineligible shares form the remainder; returns it and the shares."""
        shares, eligible_set = largest_remainder(self.total_cents, self.weights), set(eligible)
        kept = sum(cents for key, cents in shares.items() if key not in eligible_set)
        self.record(StepKind.KEEP, self.total_cents, list(self.applicants), gettext_noop(
            "Schritt %(step)s – Rest für ein kreisweites Angebot: %(total)s werden nach Gewicht auf alle %(count)s "
            "Antragsteller verteilt, auf den Cent genau nach dem Verfahren der größten Reste (bei Gleichstand an das "
            "größere Gewicht, dann nach %(key_label)s in aufsteigender Reihenfolge). Die förderfähigen behalten ihre "
            "Anteile (zusammen %(pot)s); die Anteile der nicht förderfähigen (zusammen %(remainder)s) werden nicht "
            "umverteilt, sondern bilden den Rest."),
            total=_eur(self.total_cents), count=len(self.applicants), pot=_eur(self.total_cents - kept),
            remainder=_eur(kept), key_label=text(self.key_label),
            dropped=tuple(key for key in self.applicants if key not in eligible_set))
        return kept, shares

    def run(self) -> AllocationResult[K]:
        min_share = self.rules.min_share_cents
        active = self.check_eligibility()
        kept, kept_shares = 0, None
        if self.rules.remainder == RemainderPolicy.KEEP:
            kept, kept_shares = self.keep_back(active)
        pot = self.total_cents - kept  # what the applicants still in ``active`` share
        while True:
            # In ``keep``, until a rule changes something, the shares are those of the whole pot among all.
            share_pot, basis = ((self.total_cents, sum(self.weights.values())) if kept_shares is not None
                                else (pot, sum(self.weights[key] for key in active)))
            if not basis:
                return self.finish_undistributed(active, pot, kept)
            shown = self.exact_text(share_pot, basis)
            caps = self.caps
            over = [key for key in active if key in caps and share_pot * self.weights[key] > caps[key] * basis]
            if over:
                self.freeze_at_cap(active, pot, over, shown)
                capped = set(over)
                pot -= sum(self.caps[key] for key in over)
                active, kept_shares = [key for key in active if key not in capped], None
                continue
            below = [key for key in active if min_share and share_pot * self.weights[key] < min_share * basis]
            if below:
                smallest = min(self.weights[key] for key in below)
                dropped = [key for key in below if self.weights[key] == smallest]
                self.drop_below_min_share(active, pot, dropped, shown)
                gone = set(dropped)
                active, kept_shares = [key for key in active if key not in gone], None
                continue
            return self.finish(active, pot, kept, kept_shares)

    def exact_text(self, share_pot: int, basis: int):
        """The exact share as text, built only for the keys a step names (formatting all would cost time)."""
        return lambda key: text(gettext_noop("rechnerisch %(share)s"),
                                share=_exact_eur(share_pot, self.weights[key], basis))

    def freeze_at_cap(self, active: list[K], pot: int, over: list[K], shown) -> None:
        cap = self.rules.cap_cents
        if all(self.caps[key] == cap for key in over):
            step = self.record(StepKind.CAP, pot, active, gettext_noop(
                "Schritt %(step)s – Höchstbetrag: %(pot)s werden nach Gewicht auf %(count)s Antragsteller verteilt. "
                "Der rechnerische Anteil übersteigt den Höchstbetrag von %(cap)s bei: %(names)s. Festgesetzt auf den "
                "Höchstbetrag; der Rest wird unter den übrigen neu verteilt."),
                pot=_eur(pot), count=len(active), cap=_eur(cap),
                names=self.names(over, shown), capped=tuple(over), reason=Reason.CAPPED)
        else:
            step = self.record(StepKind.CAP, pot, active, gettext_noop(
                "Schritt %(step)s – Höchstbetrag: %(pot)s werden nach Gewicht auf %(count)s Antragsteller verteilt. "
                "Der rechnerische Anteil übersteigt den jeweils noch offenen Höchstbetrag bei: %(names)s. "
                "Festgesetzt auf diesen Betrag; der Rest wird unter den übrigen neu verteilt."),
                pot=_eur(pot), count=len(active),
                names=self.names(over, lambda key: text(gettext_noop("%(share)s, höchstens %(cap)s"), share=shown(key),
                                                        cap=_eur(self.caps[key]))),
                capped=tuple(over), reason=Reason.CAPPED)
        self.decide(over, {key: self.caps[key] for key in over}, Reason.CAPPED, True, step)

    def drop_below_min_share(self, active: list[K], pot: int, dropped: list[K], shown) -> None:
        step = self.record(StepKind.MIN_SHARE, pot, active, gettext_noop(
            "Schritt %(step)s – Mindestbetrag: %(pot)s werden nach Gewicht auf %(count)s Antragsteller verteilt. "
            "Der kleinste rechnerische Anteil liegt unter dem Mindestbetrag von %(min_share)s: %(names)s. "
            "Ausgeschieden; der Topf wird unter den übrigen neu verteilt. Je Schritt scheidet nur der kleinste "
            "Anteil aus, weil die Neuverteilung die Anteile der übrigen erhöht."),
            pot=_eur(pot), count=len(active), min_share=_eur(self.rules.min_share_cents),
            names=self.names(dropped, shown), dropped=tuple(dropped),
            reason=Reason.BELOW_MIN_SHARE)
        self.decide(dropped, 0, Reason.BELOW_MIN_SHARE, False, step)

    def finish(self, active: list[K], pot: int, kept: int, kept_shares: dict[K, int] | None) -> AllocationResult[K]:
        if kept_shares is not None:
            cents = {key: kept_shares[key] for key in active}
            step = self.record(StepKind.SHARE, pot, active, gettext_noop(
                "Schritt %(step)s – Ergebnis: Keine weitere Regel greift. Die %(count)s förderfähigen Antragsteller "
                "behalten ihre Anteile aus Schritt %(previous)s (zusammen %(pot)s); die Verteilung steht fest."),
                count=len(active), pot=_eur(pot), previous=len(self.steps))
        else:
            cents = largest_remainder(pot, {key: self.weights[key] for key in active})
            basis = sum(self.weights[key] for key in active)
            floors = sum(pot * self.weights[key] // basis for key in active)
            message = gettext_noop(
                "Schritt %(step)s – Ergebnis: %(pot)s werden nach Gewicht auf %(count)s Antragsteller verteilt, auf "
                "den Cent genau nach dem Verfahren der größten Reste (Hare–Niemeyer): Jeder erhält zunächst seinen "
                "abgerundeten Anteil, die dann noch fehlenden %(cents)s Cent gehen einzeln an die größten "
                "Rundungsreste (bei Gleichstand an das größere Gewicht, dann nach %(key_label)s in aufsteigender "
                "Reihenfolge). Keine weitere Regel greift; die Verteilung steht fest.")
            if pot == floors:
                message = gettext_noop(
                    "Schritt %(step)s – Ergebnis: %(pot)s werden nach Gewicht auf %(count)s Antragsteller verteilt; "
                    "alle Anteile gehen auf den Cent genau auf. Keine weitere Regel greift; die Verteilung steht fest.")
            step = self.record(StepKind.SHARE, pot, active, message, pot=_eur(pot), count=len(active),
                               cents=pot - floors, key_label=text(self.key_label))
        self.decide(active, cents, Reason.SHARED, True, step)
        return self.result(kept)

    def finish_undistributed(self, active: list[K], pot: int, kept: int) -> AllocationResult[K]:
        step = self.record(StepKind.UNDISTRIBUTED, pot, active, gettext_noop(
            "Schritt %(step)s – Nicht verteilbar: Es bleibt kein Antragsteller mit einem Gewicht über null, der noch "
            "etwas erhalten kann (alle am Höchstbetrag, ausgeschieden oder ohne Gewicht). %(pot)s bleiben als Rest."),
            pot=_eur(pot))
        self.decide(active, 0, Reason.NO_WEIGHT, True, step)
        return self.result(kept + pot)

    def result(self, remainder: int) -> AllocationResult[K]:
        outcomes = {}
        for key in self.applicants:
            cents, reason, eligible = self.decided[key]
            outcomes[key] = Outcome(cents_to_amount(cents), eligible, reason,
                                    _percent(cents, self.total_cents), self.decided_in[key])
        return AllocationResult(cents_to_amount(self.total_cents), outcomes, tuple(self.steps),
                                cents_to_amount(remainder))


def allocate(total: Decimal, applicants: Mapping[K, Applicant], rules: AllocationRules | None = None, *,
             key_label: str = DEFAULT_KEY_LABEL) -> AllocationResult[K]:
    """Share ``total`` among the applicants under ``rules``; amounts in whole cents, every step recorded.

    Always ``sum(amounts) + remainder == total``. With ``reshare`` the remainder is 0 unless nobody is left to
    receive money (all capped, dropped or without weight); with ``keep`` it holds at least the ineligible shares.
    Per applicant: amount, eligible, reason, percent of the total and the step that decided it.
    ValueError for an invalid total or weight, no applicants, or no weight above zero.
    ``key_label`` (a German msgid) names what the keys are in the explanation of the last tie-break.
    """
    return _Run(total, applicants, rules or AllocationRules(), key_label).run()
