"""Formula allocations (e.g. the Soforthilfe): check eligibility, preview and fix a run, issue its decisions.

A programme year's first run shares the year's budget (the pot) among the checked applications; each later
run follows the one before and re-shares money that became free (a declined grant, a refund) among those
who still hold a grant. A fixed run is never changed. Issuing its decisions approves or rejects each first-run
applicant through the state machine (amount and reason from the run), or raises the grants of a follow-up
run (``GrantIncrease``, an Änderungsbescheid); letters follow after commit.

Locks, in ``grants.locks`` order: the applications, then the budget.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from djmoney.money import Money

from programmes import rules as programme_rules
from programmes.allocation_rules import REASON_LABELS, Reason
from programmes.exports.steps import explain_step
from programmes.models import AllocationRun, Programme, ProgrammeBudget
from programmes.runs import ADD_RUN, Preview, decimal_text, formula_preview
from programmes.step_params import gettext_noop

from .. import allocations as reads
from .. import permissions as perms
from ..locks import lock_application, lock_applications, lock_budget
from ..models import Application, ApplicationEvent, DocumentKind, GrantIncrease, PayoutItem
from ..state_labels import state_label
from .transitions import refuse_unless_allowed, run_transition


@dataclass(frozen=True)
class Plan:
    """What a run would be if fixed now: the preview and what the screen needs around it."""

    programme: Programme
    year: int
    budget: ProgrammeBudget
    follows: AllocationRun | None
    preview: Preview
    unchecked: list = field(default_factory=list)
    unused: reads.Unused | None = None

    @property
    def is_follow_up(self) -> bool:
        return self.follows is not None


@dataclass(frozen=True)
class Issued:
    approved: int = 0
    rejected: int = 0
    increased: int = 0
    skipped: int = 0


def _require_runs(user) -> None:
    if not (getattr(user, "is_authenticated", False) and user.has_perm(ADD_RUN)):
        raise PermissionDenied(_("Sie dürfen keine Verteilungsläufe berechnen oder festsetzen."))


def _formula_programme(programme_id: int) -> Programme:
    programme = Programme.objects.get(pk=programme_id)
    if not programme.is_formula:
        raise ValidationError(_("Dieses Programm vergibt keine Formelzuweisung."))
    return programme


def _follow_up_total(total, unused: reads.Unused) -> Decimal:
    if total is None:
        total = unused.available
    try:
        total = Decimal(decimal_text(Decimal(total), gettext_noop("Der Betrag")))
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ValidationError({"total": _("Bitte geben Sie einen Betrag mit höchstens zwei Nachkommastellen an.")}
                              ) from exc
    if not total:
        raise ValidationError({"total": _("Es gibt keine frei gewordenen Mittel, die neu verteilt werden könnten.")})
    if total > unused.available:
        raise ValidationError({"total": _(
            "Neu verteilt werden können höchstens %(available)s (Haushaltsrest %(remaining)s, davon für das "
            "kreisweite Angebot zurückbehalten %(kept)s).") % {
            "available": programme_rules.format_eur(Money(unused.available, "EUR")),
            "remaining": programme_rules.format_eur(Money(unused.budget_remaining, "EUR")),
            "kept": programme_rules.format_eur(Money(unused.kept_for_district, "EUR"))}})
    return total


def _plan(programme: Programme, year: int, budget: ProgrammeBudget | None, total) -> Plan:
    if budget is None:
        raise ValidationError(_("Für %(year)s ist für dieses Programm kein Haushaltsansatz (Topf) angelegt.")
                              % {"year": year})
    previous = reads.latest_run(programme, year)
    if previous is None:
        applications = list(reads.candidates(programme))
        errors = reads.reference_date_errors(programme, applications)
        if errors:
            raise ValidationError(errors)
        preview = formula_preview(total=budget.amount.amount, rules=reads.formula_rules(programme, follow_up=False),
                                  inputs=[reads.input_row(a) for a in applications])
        return Plan(programme, year, budget, None, preview, unchecked=list(reads.unchecked(programme)))
    unused = reads.unused(budget, previous)
    preview = formula_preview(total=_follow_up_total(total, unused),
                              rules=reads.formula_rules(programme, follow_up=True),
                              inputs=reads.follow_up_rows(programme, previous))
    return Plan(programme, year, budget, previous, preview, unused=unused)


def allocation_plan(*, user, programme_id: int, year: int, total: Decimal | None = None) -> Plan:
    """The preview (what-if) of the next run of a programme year; stores nothing.

    Without an earlier run: the year's pot among the checked applications. Otherwise a follow-up of the
    latest run, sharing ``total`` (default: all money that became free) among those still holding a grant.
    """
    _require_runs(user)
    programme = _formula_programme(programme_id)
    budget = ProgrammeBudget.objects.filter(programme=programme, year=year).first()
    return _plan(programme, year, budget, total)


def _default_title(plan: Plan) -> str:
    if plan.follows is None:
        return _("%(programme)s %(year)s – Verteilung") % {"programme": plan.programme.name, "year": plan.year}
    number = len(reads.chain(plan.follows))
    return _("%(programme)s %(year)s – Neuverteilung %(number)s") % {
        "programme": plan.programme.name, "year": plan.year, "number": number}


@transaction.atomic
def allocation_fix(*, user, programme_id: int, year: int, expected_hash: str, title: str = "",
                   total: Decimal | None = None) -> AllocationRun:
    """Compute the run again under lock and store it unchanged, if it is still the preview the user saw.

    The first run also binds its applications to it, so none of them can enter another first run.
    """
    _require_runs(user)
    programme = _formula_programme(programme_id)
    lock_applications(reads.candidates(programme).values_list("pk", flat=True))
    budget = lock_budget(programme.pk, year)
    plan = _plan(programme, year, budget, total)
    preview = plan.preview
    if preview.input_hash != expected_hash:
        raise ValidationError(_(
            "Die Anträge, Einwohnerzahlen oder Mittel haben sich seit der Vorschau geändert. Bitte prüfen Sie die "
            "neue Vorschau und setzen Sie dann fest."), code="stale_preview")
    run = AllocationRun(
        kind=preview.kind, programme=programme, title=(title or "").strip() or _default_title(plan), year=year,
        unit=preview.unit, total=preview.total, rules=preview.rules, inputs=preview.inputs, outputs=preview.outputs,
        steps=preview.steps, remainder=preview.remainder, input_hash=preview.input_hash, follows=plan.follows,
        created_by=user,
    )
    run.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError as exc:
        raise ValidationError(_("Inzwischen wurde für dieses Jahr ein anderer Lauf festgesetzt. Bitte laden Sie "
                                "die Seite neu.")) from exc
    if plan.follows is None:
        ids = [row["application_id"] for row in preview.inputs]
        bound = Application.objects.filter(pk__in=ids, state=reads.CHECKED, allocation_run__isnull=True)
        if bound.update(allocation_run=run) != len(ids):
            raise ValidationError(_("Ein Antrag hat sich während des Festsetzens geändert. Bitte erneut versuchen."))
    return run


def _reason_text(run: AllocationRun, output: dict) -> str:
    step = next((s for s in run.steps if s["number"] == output["step"]), None)
    label = _(REASON_LABELS[Reason(output["reason"])])
    explanation = explain_step(step) if step else ""
    return _("%(label)s. %(explanation)s (Verteilungslauf „%(title)s“, Prüfsumme %(hash)s)") % {
        "label": label, "explanation": explanation, "title": run.title, "hash": run.hash_prefix}


def _issue_first_run(user, run: AllocationRun) -> Issued:
    from .review import _queue_letter

    applications = lock_applications(run.applications.values_list("pk", flat=True))
    budget = lock_budget(run.programme_id, run.year)
    approved = rejected = skipped = 0
    committed = Decimal("0.00")
    note = _("Verteilungslauf „%(title)s“ (Prüfsumme %(hash)s)") % {"title": run.title, "hash": run.hash_prefix}
    for application in applications:
        if application.state != reads.CHECKED:
            skipped += 1  # decided already: issuing twice decides nothing twice
            continue
        output = run.outputs[application.file_number]
        amount = Money(Decimal(output["amount"]), "EUR")
        if amount.amount:
            application.recommended_amount = amount  # the amount the authority rule (staff limit) looks at
            run_transition(application, "approve", user=user, note=note, amount=amount,
                           args=(user, amount, run.year))
            committed += amount.amount
            approved += 1
            _queue_letter(application.pk, DocumentKind.APPROVAL)
        else:
            reasons = _reason_text(run, output)
            run_transition(application, "reject", user=user, note=reasons, args=(user, reasons))
            rejected += 1
            _queue_letter(application.pk, DocumentKind.REJECTION)
    if committed:
        _commit(budget, committed)
    return Issued(approved=approved, rejected=rejected, skipped=skipped)


def _commit(budget: ProgrammeBudget | None, amount: Decimal) -> None:
    if budget is None:
        raise ValidationError(_("Für dieses Jahr ist kein Haushaltsansatz angelegt."))
    if amount > budget.remaining.amount:
        raise ValidationError(_("Die Zuweisungen von %(amount)s übersteigen die verbleibenden Haushaltsmittel von "
                                "%(remaining)s.") % {"amount": programme_rules.format_eur(Money(amount, "EUR")),
                                                      "remaining": programme_rules.format_eur(budget.remaining)})
    ProgrammeBudget.objects.filter(pk=budget.pk).update(committed=F("committed") + amount)


def _issue_follow_up(user, run: AllocationRun) -> Issued:
    rows = {row["key"]: row for row in run.inputs}
    due = {key: Decimal(out["amount"]) for key, out in run.outputs.items() if Decimal(out["amount"])}
    applications = lock_applications(rows[key]["application_id"] for key in due)
    budget = lock_budget(run.programme_id, run.year)
    increased = skipped = 0
    committed = Decimal("0.00")
    for application in applications:
        amount = Money(due[application.file_number], "EUR")
        if not reads.holds_grant(application):
            raise ValidationError(_("%(number)s hält die Zuwendung nicht mehr (Status „%(state)s“). Setzen Sie einen "
                                    "neuen Lauf fest.") % {"number": application.file_number,
                                                           "state": state_label(application)})
        if not perms.can_decide_amount(application, user, application.granted + amount):
            raise PermissionDenied(_("Sie dürfen die Zuwendung an %(name)s nicht auf diesen Betrag erhöhen.")
                                   % {"name": application.organisation.name})
        paid_with_grant = not PayoutItem.objects.filter(application=application).exists()
        try:
            with transaction.atomic():
                increase = GrantIncrease.objects.create(application=application, allocation_run=run, amount=amount,
                                                        paid_with_grant=paid_with_grant, created_by=user)
        except IntegrityError:
            skipped += 1  # raised already by an earlier call: nothing twice
            continue
        application.approved_amount = application.granted + amount
        application.save(update_fields=["approved_amount", "updated_at"])
        ApplicationEvent.objects.create(
            application=application, actor=user, action="increase", from_state=application.state,
            to_state=application.state, amount=amount,
            note=_("Erhöhung durch Verteilungslauf „%(title)s“ (Prüfsumme %(hash)s)") % {
                "title": run.title, "hash": run.hash_prefix})
        committed += amount.amount
        increased += 1
        _queue_amendment(increase.pk)
    if committed:
        _commit(budget, committed)
    return Issued(increased=increased, skipped=skipped)


def _queue_amendment(increase_id: int) -> None:
    from .. import outbox, tasks

    target = GrantIncrease.objects.filter(pk=increase_id).values_list("application__file_number", flat=True).first()
    outbox.enqueue(tasks.generate_amendment, key=f"amendment:{increase_id}", target=target or "",
                   increase_id=increase_id)


@transaction.atomic
def allocation_issue_decisions(*, user, run_id: int) -> Issued:
    """Turn a fixed run into decisions: approvals and rejections (first run) or increases (follow-up run).

    Each application is decided through the state machine with its own permission check (staff limit, four
    eyes, impartiality), all or nothing. Safe to call twice: what is decided stays decided, nothing doubles.
    """
    if not (getattr(user, "is_authenticated", False) and user.has_perm("grants.approve_application")):
        raise PermissionDenied(_("Sie dürfen keine Zuwendungen bewilligen."))
    run = AllocationRun.objects.select_related("programme").get(pk=run_id, kind=AllocationRun.Kind.FORMULA_ALLOCATION)
    if run.follows_id is None:
        return _issue_first_run(user, run)
    return _issue_follow_up(user, run)


@transaction.atomic
def application_confirm_eligibility(*, user, application_id: int, note: str = "", internal_note: str = ""
                                    ) -> Application:
    """Staff have checked the stated posts and the applicant: it takes part in the next run."""
    application = lock_application(application_id)
    refuse_unless_allowed(application, "recommend", user)
    if not application.programme.is_formula:
        raise ValidationError(_("Nur in einer Formelzuweisung wird die Förderfähigkeit ohne Betrag bestätigt."))
    if not application.posts.exists():
        raise ValidationError(_("Der Antrag nennt keine geförderte Stelle."))
    run_transition(application, "recommend", user=user, note=note or _("Förderfähigkeit geprüft"),
                   internal_note=internal_note, args=(user, None))
    return application


__all__ = ["Issued", "Plan", "allocation_fix", "allocation_issue_decisions", "allocation_plan",
           "application_confirm_eligibility"]
