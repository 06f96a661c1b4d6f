"""Applicant-side writes: drafts, cost plan or funded posts, attachments, submission, withdrawal."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from programmes import rules as programme_rules
from programmes.choices import CostKind
from programmes.models import Programme

from .. import permissions as perms
from .. import rules as grant_rules
from ..locks import lock_application, lock_budget, lock_file_number_counter
from ..models import Application, Attachment, AttachmentKind, CostLine, FundedPost, PayoutItem, PlannedYearAmount
from ..states import EDITABLE, State
from ..uploads import stored_name, validate_upload
from .transitions import refuse_unless_allowed, run_transition

CENT = Decimal("0.01")
EDITABLE_FIELDS = [
    "title", "summary", "goals", "target_group", "expected_participants", "activity_type", "funding_field",
    "planned_start", "planned_end", "early_start_requested", "early_start_reason", "place", "post_fte",
    "own_funds", "third_party_funds", "declaration_truthful", "declaration_not_started",
    "declaration_privacy", "declaration_conditions", "contact_name", "contact_email", "contact_phone",
    "cofinancing_municipality",
]
POST_FTE_MIN, POST_FTE_MAX = Decimal("0.01"), Decimal("1.00")


@dataclass(frozen=True)
class CostLineData:
    description: str
    amount: Decimal
    # None: the programme's default (personnel costs where only those are funded, else material costs);
    # refused where the programme asks for the kind of each line (grants.rules.cost_kinds_asked).
    kind: str | None = None


@dataclass(frozen=True)
class YearAmountData:
    """The part of the requested amount that falls into one calendar year (a period spanning two years)."""

    year: int
    amount: Decimal


@dataclass(frozen=True)
class PostData:
    """A funded post of a formula application: its title and size in FTE (0.01 to 1.00)."""

    title: str
    fte: Decimal


def post_fte_error(fte) -> str | None:
    """Why a stated post size is not accepted, in German; None if it is."""
    try:
        value = Decimal(str(fte))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or not POST_FTE_MIN <= value <= POST_FTE_MAX:
        return _("Der Stellenumfang muss zwischen 0,01 und 1,00 VZÄ liegen (z. B. 0,5 für eine halbe Stelle).")
    if value != value.quantize(CENT):
        return _("Geben Sie den Stellenumfang mit höchstens zwei Nachkommastellen an.")
    return None


def _replace_posts(application: Application, posts: list[PostData]) -> None:
    """All or nothing: every post is checked before the old ones go."""
    errors = []
    for number, post in enumerate(posts, start=1):
        if not (post.title or "").strip():
            errors.append(_("Stelle %(number)d: Geben Sie die Bezeichnung der Stelle an.") % {"number": number})
        error = post_fte_error(post.fte)
        if error:
            errors.append(_("Stelle %(number)d: %(error)s") % {"number": number, "error": error})
    if errors:
        raise ValidationError({"posts": errors})
    application.posts.all().delete()
    FundedPost.objects.bulk_create(
        FundedPost(application=application, position=i, title=post.title.strip()[:200], fte=Decimal(str(post.fte)))
        for i, post in enumerate(posts)
    )


def _replace_year_amounts(application: Application, rows: list[YearAmountData]) -> None:
    """All or nothing: the years lie in the period, each once, and the parts add up to the requested amount."""
    errors, amounts, years = [], [], set()
    start, end = application.planned_start, application.planned_end
    for row in rows:
        amount = _eur(row.amount)
        if amount.amount < 0:
            errors.append(_("Der Betrag für %(year)s darf nicht negativ sein.") % {"year": row.year})
        if row.year in years:
            errors.append(_("Das Kalenderjahr %(year)s ist mehrfach angegeben.") % {"year": row.year})
        if start and end and not start.year <= row.year <= end.year:
            errors.append(_("Das Kalenderjahr %(year)s liegt nicht im geplanten Zeitraum (%(start)s bis %(end)s).")
                          % {"year": row.year, "start": start.year, "end": end.year})
        years.add(row.year)
        amounts.append(amount)
    total = sum(amounts, Money(0, "EUR"))
    if rows and total != application.requested_amount:
        errors.append(_("Die Beträge je Kalenderjahr ergeben zusammen %(total)s; sie müssen den beantragten Betrag "
                        "von %(requested)s ergeben.") % {"total": programme_rules.format_eur(total),
                                                         "requested": programme_rules.format_eur(
                                                             application.requested_amount)})
    if errors:
        raise ValidationError({"year_amounts": errors})
    application.year_amounts.all().delete()
    PlannedYearAmount.objects.bulk_create(
        PlannedYearAmount(application=application, year=row.year, amount=amount)
        for row, amount in zip(rows, amounts, strict=True)
    )


def _default_cost_kind(programme: Programme) -> str:
    return CostKind.PERSONNEL if programme.personnel_costs_only else CostKind.MATERIAL


def _replace_cost_lines(application: Application, lines: list[CostLineData]) -> None:
    """All or nothing; where the programme asks for the kind of costs (grants.rules), every line states it."""
    asked = grant_rules.cost_kinds_asked(application.programme)
    errors = []
    for number, line in enumerate(lines, start=1):
        if line.kind is not None and line.kind not in CostKind.values:
            errors.append(_("Position %(number)d: Wählen Sie Personal- oder Sachkosten.") % {"number": number})
        elif asked and line.kind is None:
            errors.append(_("Position %(number)d: Geben Sie an, ob es Personal- oder Sachkosten sind.")
                          % {"number": number})
    if errors:
        raise ValidationError({"cost_lines": errors})
    application.cost_lines.all().delete()
    default_kind = _default_cost_kind(application.programme)
    CostLine.objects.bulk_create(
        CostLine(application=application, position=i, description=line.description, amount=_eur(line.amount),
                 kind=line.kind or default_kind)
        for i, line in enumerate(lines)
    )


def _eur(value) -> Money:
    """Euros to the cent: every amount that reaches a rule or a row is exact (half up, as in the cash office)."""
    if isinstance(value, Money):
        value = value.amount
    try:
        amount = Decimal(str(value or 0))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(_("„%(value)s“ ist kein gültiger Betrag.") % {"value": value})
    return Money(amount.quantize(CENT, rounding=ROUND_HALF_UP), "EUR")


@transaction.atomic
def application_create(*, user, organisation, programme: Programme, title: str) -> Application:
    if not organisation.memberships.filter(user_id=user.pk).exists():
        raise PermissionDenied(_("Sie gehören dieser Organisation nicht an."))
    error = programme_rules.applicant_type_error(programme, organisation.applicant_type)
    if error:
        raise ValidationError(error)
    application = Application(programme=programme, organisation=organisation, created_by=user, title=title)
    application.full_clean(exclude=["file_number", "state"])
    application.save()
    return application


@transaction.atomic
def application_update(
    *, user, application_id: int, data: dict, cost_lines: list[CostLineData] | None = None,
    posts: list[PostData] | None = None, year_amounts: list[YearAmountData] | None = None,
) -> Application:
    """Save the applicant's edits; allowed only while the application is editable.

    ``cost_lines``, ``posts`` (formula programmes) and ``year_amounts`` (the requested amount per calendar
    year, co-financed programmes), when given, replace the stored rows; any error leaves everything unsaved.
    """
    application = lock_application(application_id)
    if not perms.is_member(application, user):
        raise PermissionDenied(_("Sie gehören dieser Organisation nicht an."))
    if application.state not in EDITABLE:
        raise ValidationError(_("Der Antrag kann in diesem Status nicht mehr geändert werden."))
    for field in EDITABLE_FIELDS:
        if field in data:
            value = data[field]
            if field in {"own_funds", "third_party_funds"}:
                value = _eur(value)
            setattr(application, field, value)
    if cost_lines is not None:
        _replace_cost_lines(application, cost_lines)
    if posts is not None:
        _replace_posts(application, posts)
    recalculate_amounts(application)
    if year_amounts is not None:
        _replace_year_amounts(application, year_amounts)
    application.full_clean(exclude=["file_number", "state"])
    application.save()
    return application


def recalculate_amounts(application: Application) -> None:
    total = sum((line.amount for line in application.cost_lines.all()), Money(0, "EUR"))
    requested = total - application.own_funds - application.third_party_funds
    if requested.amount < 0:
        raise ValidationError(
            {"own_funds": _("Eigen- und Drittmittel dürfen die Gesamtkosten nicht übersteigen.")}
        )
    application.total_costs = total
    application.requested_amount = requested


@transaction.atomic
def attachment_add(*, user, application_id: int, upload, kind: str = AttachmentKind.APPLICATION) -> Attachment:
    # Looking inside the file takes a moment: done before the row lock, so nobody else waits on it.
    file_type = validate_upload(upload)
    application = lock_application(application_id)
    if not perms.is_member(application, user):
        raise PermissionDenied(_("Sie gehören dieser Organisation nicht an."))
    # Application documents and the evidence of co-financing while the applicant edits; receipts once paid.
    allowed_states = EDITABLE if kind in (AttachmentKind.APPLICATION, AttachmentKind.COFINANCING) else [State.PAID]
    if application.state not in allowed_states:
        raise ValidationError(_("In diesem Status können keine Anlagen hinzugefügt werden."))
    if kind == AttachmentKind.COFINANCING and not application.programme.matching_funds_required:
        raise ValidationError(_("Dieses Förderprogramm verlangt keinen Nachweis der Kofinanzierung."))
    attachment = Attachment(
        # Kept and served under the applicant's base name with the extension of what the file really is.
        application=application, kind=kind, original_name=stored_name(upload.name, file_type),
        content_type=file_type.content_type, size=upload.size, uploaded_by=user,
    )
    attachment.file.save(f"upload.{file_type.extension}", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, user, attachment_id: int) -> None:
    attachment = Attachment.objects.select_related("application").get(pk=attachment_id)
    application = lock_application(attachment.application_id)
    if not perms.is_member(application, user):
        raise PermissionDenied(_("Sie gehören dieser Organisation nicht an."))
    if application.state not in EDITABLE and not (
        attachment.kind == AttachmentKind.SETTLEMENT and application.state == State.PAID
    ):
        raise ValidationError(_("In diesem Status können keine Anlagen entfernt werden."))
    attachment.file.delete(save=False)
    attachment.delete()


def _next_file_number(application: Application) -> str:
    # The local year: a submission at 00:30 on 1 January belongs to the new year, not to UTC's old one.
    year = timezone.localtime(application.submitted_at).year
    counter = lock_file_number_counter(application.programme, year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    programme = application.programme
    return f"{programme.file_number_prefix}-{programme.code}-{year}-{counter.last_number:04d}"


@transaction.atomic
def application_submit(*, user, application_id: int) -> Application:
    application = lock_application(application_id)
    action = "resubmit" if application.state == State.CHANGES_REQUESTED else "submit"
    run_transition(application, action, user=user, amount=application.requested_amount)
    if not application.file_number:
        application.file_number = _next_file_number(application)
        application.save(update_fields=["file_number"])
    return application


def withdrawal_error(application: Application) -> str | None:
    """Why the application cannot be withdrawn now: it waits on a meeting's agenda; None otherwise.

    The committee decides every item of its agenda at once; an item withdrawn meanwhile would make that
    recording fail. Staff can take it off an agenda that is not frozen yet; a frozen one stays as it is.
    """
    item = (application.agenda_items.filter(outcome="", meeting__resolution_date__isnull=True)
            .select_related("meeting").order_by("meeting__date").first())
    if item is None:
        return None
    figures = {"committee": item.meeting.committee, "date": item.meeting.date.strftime("%d.%m.%Y")}
    if item.meeting.is_frozen:
        return _("Der Antrag steht auf der festgeschriebenen Tagesordnung der Sitzung des Gremiums „%(committee)s“ "
                 "am %(date)s und kann erst nach dessen Beschluss zurückgezogen werden. Bitte wenden Sie sich an "
                 "das Landratsamt.") % figures
    return _("Der Antrag steht auf der Tagesordnung der Sitzung des Gremiums „%(committee)s“ am %(date)s. Bitte "
             "wenden Sie sich an das Landratsamt: Es kann ihn vor der Festschreibung der Tagesordnung von dort "
             "nehmen; danach können Sie ihn zurückziehen.") % figures


@transaction.atomic
def application_withdraw(*, user, application_id: int, note: str = "") -> Application:
    # The application row is locked first, as agenda_add locks it: an agenda item cannot appear in between.
    application = lock_application(application_id)
    refuse_unless_allowed(application, "withdraw", user)  # role and state before the agenda is talked about
    error = withdrawal_error(application)
    if error:
        raise ValidationError(error)
    run_transition(application, "withdraw", user=user, note=note)
    return application


@transaction.atomic
def application_decline(*, user, application_id: int, reason: str) -> Application:
    """Verzicht: give up an approved grant before payout; its commitment goes back to the year's budget.

    The applicant declares it in the portal, or staff record a declaration received on paper. In a formula
    programme the freed money can then be re-shared by a follow-up allocation run.
    """
    if not (reason or "").strip():
        raise ValidationError(_("Bitte geben Sie an, warum auf die Zuwendung verzichtet wird."))
    application = lock_application(application_id)
    refuse_unless_allowed(application, "decline", user)
    item = PayoutItem.objects.filter(application=application).select_related("batch").first()
    if item is not None:
        raise ValidationError(_(
            "Die Zuwendung steht bereits im Zahlungslauf %(batch)s. Ein Verzicht ist erst möglich, wenn die "
            "Kasse sie dort wieder herausnimmt; nach der Auszahlung ist sie zu erstatten.") % {"batch": item.batch})
    amount = application.approved_amount
    budget = lock_budget(application.programme_id, application.budget_year)
    run_transition(application, "decline", user=user, note=reason.strip(), amount=amount, args=(reason.strip(),))
    if budget is not None and amount:
        type(budget).objects.filter(pk=budget.pk).update(committed=F("committed") - amount.amount)
    return application
