"""The "Berechnung" of a formula allocation (e.g. the Soforthilfe) in the letters.

Everything here is read from the stored, never-changed allocation run (its rules, input rows, outputs and
steps), not from today's data: the letter must show the figures the amount was computed from, even if a
population table is imported again later. A letter shows the formula with the applicant's own figures only;
the other applicants' figures are in the allocation list of the run.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money
from reportlab.platypus import KeepTogether

from programmes.allocation_rules import REASON_LABELS, Reason
from programmes.choices import RemainderUse
from programmes.exports.steps import explain_step

from .blocks import eur, facts_table, fmt_date, heading, money_table, para

HUNDRED = Decimal("100")
TWO_PLACES = Decimal("0.01")


def decided_by_run(application) -> bool:
    """A formula programme's application decided by a fixed run (not by a case worker's own decision)."""
    return bool(application.allocation_run_id) and application.programme.is_formula


def _row(run, key: str) -> dict:
    return next(row for row in run.inputs if row["key"] == key)


def _step(run, number: int) -> dict | None:
    return next((step for step in run.steps if step["number"] == number), None)


def run_amount(run, key: str) -> Money:
    """The amount ``run`` gave the applicant with file number ``key``."""
    return Money(Decimal(run.outputs[key]["amount"]), "EUR")


def first_run_amount(application) -> Money:
    """The amount of the approval itself; later increases (Änderungsbescheide) are not part of it."""
    return run_amount(application.allocation_run, application.file_number)


# -- German number formats ------------------------------------------------------------------------------------
def count(value) -> str:
    """A whole number with German thousands separators: 12.345."""
    return f"{int(Decimal(value)):,}".replace(",", ".")


def fte(value) -> str:
    return f"{Decimal(value).quantize(TWO_PLACES):f}".replace(".", ",") + " " + _("VZÄ")


def percent(value: Decimal) -> str:
    return f"{value.quantize(TWO_PLACES, ROUND_HALF_UP):f}".replace(".", ",") + " %"


def money_text(value) -> str:
    return eur(Money(Decimal(value).quantize(TWO_PLACES, ROUND_HALF_UP), "EUR"))


def weight_text(value) -> str:
    # A formula run's weight is the population: a whole number, shown as such.
    value = Decimal(value)
    return count(value) if value == value.to_integral_value() else f"{value:f}".replace(".", ",")


# -- the calculation -------------------------------------------------------------------------------------------
def _basis(run, step: dict | None) -> tuple[Decimal, Decimal, bool]:
    """The pot shared in the deciding step and the sum of the weights it was shared by.

    With ``keep`` and no rule changing anything, the shares are those of the whole pot among all applicants
    (the ineligible shares stay with the district); otherwise the step's pot among the applicants it names.
    """
    weights = {row["key"]: Decimal(row["weight"]) for row in run.inputs}
    if step is None:
        return Decimal(run.total), sum(weights.values(), Decimal(0)), False
    if step["kind"] == "share" and "previous" in step["params"]:
        return Decimal(run.total), sum(weights.values(), Decimal(0)), True
    return Decimal(step["pot"]), sum((weights[key] for key in step["among"]), Decimal(0)), False


def _basis_label(run, among_all: bool) -> str:
    if among_all:
        return _("Summe der Einwohnerzahlen aller Antragsteller")
    if run.rules.get("follow_up"):
        return _("Summe der Einwohnerzahlen der Zuwendungsempfänger in der Neuverteilung")
    return _("Summe der Einwohnerzahlen der förderfähigen Antragsteller")


def _population_rows(row: dict) -> list[tuple[str, str, bool]]:
    municipalities = row["municipalities"]
    rows = [(_("Einwohnerzahl %(name)s (AGS %(ags)s)") % {"name": m["name"], "ags": m["ags"]},
             count(m["population"]), False) for m in municipalities]
    if len(municipalities) > 1:
        rows.append((_("Einwohnerzahl %(name)s (Summe der Mitgliedsgemeinden)") % {"name": row["name"]},
                     count(row["population"]), True))
    return rows


def _figures(run, key: str) -> tuple[list[tuple[str, str, bool]], str]:
    """The rows of the calculation table and the formula as one line with the applicant's figures."""
    row, output = _row(run, key), run.outputs[key]
    step = _step(run, output["step"])
    pot, basis, among_all = _basis(run, step)
    weight = Decimal(row["weight"])
    share = weight / basis * HUNDRED if basis else Decimal(0)
    exact = pot * weight / basis if basis else Decimal(0)
    reference = date.fromisoformat(run.rules["population_reference_date"])
    pot_label = (_("Neu zu verteilende Mittel") if run.rules.get("follow_up")
                 else _("Zu verteilende Mittel (Fördertopf %(year)s)") % {"year": run.year})
    rows = [(pot_label, money_text(run.total), False)]
    if pot != Decimal(run.total):
        rows.append((_("Davon in diesem Rechenschritt nach Einwohnerzahl verteilt"), money_text(pot), False))
    rows += [
        (_("Stichtag der Einwohnerzahlen"), fmt_date(reference), False),
        *_population_rows(row),
        (_basis_label(run, among_all), weight_text(basis), False),
        (_("Ihr Anteil (Ihre Einwohnerzahl ÷ Summe)"), percent(share), False),
    ]
    if output["reason"] == Reason.CAPPED:
        rows.append((_("Rechnerischer Anteil (über dem Höchstbetrag)"), money_text(exact), False))
    rows.append((_("Zuwendung aus diesem Verteilungslauf"), eur(run_amount(run, key)), True))
    # "≈" where the exact share is not whole cents: the rounding sentence below says how the cent is decided.
    sign = "=" if exact == exact.quantize(TWO_PLACES) else "≈"
    line = f"{money_text(pot)} × {weight_text(weight)} ÷ {weight_text(basis)} {sign} {money_text(exact)}"
    return rows, line


def _rule_rows(run, key: str) -> list[tuple[str, str, bool]]:
    rules, row, output = run.rules, _row(run, key), run.outputs[key]
    follow_up = rules.get("follow_up")
    not_set = _("in der Neuverteilung nicht erneut angewendet") if follow_up else _("nicht vorgesehen")
    if rules.get("min_fte"):
        largest = fte(row["fte"]) if row.get("fte") else _("keine Angabe")
        min_fte = _("mindestens %(min)s; Ihre größte geförderte Stelle: %(largest)s – erfüllt") % {
            "min": fte(rules["min_fte"]), "largest": largest}
    else:
        min_fte = not_set
    if rules.get("min_share"):
        min_share = _("%(amount)s – Ihr Anteil liegt darüber") % {"amount": money_text(rules["min_share"])}
    else:
        min_share = not_set
    cap = _("nicht vorgesehen")
    if rules.get("cap"):
        reached = output["reason"] == Reason.CAPPED
        cap = (_("%(amount)s – erreicht: Ihre Zuwendung wurde auf den Höchstbetrag festgesetzt") if reached
               else _("%(amount)s – nicht erreicht")) % {"amount": money_text(rules["cap"])}
    if rules.get("remainder") == RemainderUse.KEEP:
        remainder = _("Die Anteile nicht förderfähiger Antragsteller werden nicht umverteilt; sie bleiben für ein "
                      "kreisweites Angebot beim Landkreis (in diesem Lauf %(amount)s).") % {
            "amount": money_text(run.remainder)}
    else:
        remainder = _("Anteile, die nicht vergeben werden, werden unter den förderfähigen Antragstellern neu "
                      "verteilt.")
    return [
        (_("Mindeststellenumfang"), min_fte, False),
        (_("Mindestbetrag"), min_share, False),
        (_("Höchstbetrag je Antragsteller"), cap, False),
        (_("Verwendung des Rests"), remainder, False),
        (_("Ergebnis für Sie"), _(REASON_LABELS[Reason(output["reason"])]), False),
    ]


def run_rows(run) -> list[tuple[str, str, bool]]:
    return [
        (_("Verteilungslauf"), run.title, False),
        (_("festgesetzt am"), fmt_date(timezone.localdate(run.created_at)), False),
        (_("Prüfsumme der Eingaben (SHA-256, Anfang)"), run.hash_prefix, False),
    ]


def calculation(run, key: str, *, title: str, intro: str) -> list:
    """The calculation block of ``run`` for the applicant with file number ``key``."""
    rows, line = _figures(run, key)
    step = _step(run, run.outputs[key]["step"])
    items = [
        KeepTogether([heading(title), para(intro), para(_("Formel: Zuwendung = zu verteilende Mittel × Ihre "
                                                          "Einwohnerzahl ÷ Summe der Einwohnerzahlen")),
                      money_table(rows)]),
        para(_("Mit Ihren Zahlen: %(line)s. Die Beträge werden auf den Cent genau nach dem Verfahren der größten "
               "Reste (Hare–Niemeyer) gerundet, so dass alle Zuwendungen zusammen genau die verteilten Mittel "
               "ergeben.") % {"line": line}),
        KeepTogether([para(_("Angewandte Regeln:")), facts_table(_rule_rows(run, key))]),
    ]
    if step is not None:
        items.append(para(_("Maßgeblicher Rechenschritt: %(explanation)s") % {
            "explanation": explain_step(step)}))
    items += [facts_table(run_rows(run)),
              para(_("Die Berechnung lässt sich aus den gespeicherten Eingaben des Verteilungslaufs jederzeit "
                     "nachvollziehen; die Prüfsumme weist nach, dass sie seit der Festsetzung unverändert sind."),
                   "small")]
    return items


def posts_block(application) -> list:
    posts = list(application.posts.all())
    if not posts:
        return []
    rows = [(post.title, fte(post.fte), False) for post in posts]
    if len(posts) > 1:
        rows.append((_("Zusammen"), fte(sum((post.fte for post in posts), Decimal(0))), True))
    return [KeepTogether([
        para(_("Gefördert werden folgende Stellen:")),
        money_table(rows, header=(_("Stelle"), _("Stellenumfang"))),
    ])]


def approval_block(application, number: int) -> list:
    """Section ``number`` of the approval letter in place of the cost plan: the calculation and the posts."""
    programme = application.programme
    intro = _("Die Mittel des Förderprogramms „%(programme)s“ werden nach der Einwohnerzahl auf die förderfähigen "
              "Antragsteller verteilt (Formelzuweisung). Ihre Zuwendung ergibt sich aus dem unten genannten "
              "Verteilungslauf wie folgt:") % {"programme": programme.name}
    return [
        *calculation(application.allocation_run, application.file_number,
                     title=_("%(number)s. Berechnung der Zuwendung") % {"number": number}, intro=intro),
        *posts_block(application),
    ]


def rejection_rows(application) -> list[tuple[str, str, bool]]:
    """The applicant's own figures in a formula rejection: what the run looked at and what it found."""
    run, key = application.allocation_run, application.file_number
    row, output = _row(run, key), run.outputs[key]
    rows = [(label, value, False) for label, value, _bold in _population_rows(row)]
    rows.append((_("Stichtag der Einwohnerzahlen"),
                 fmt_date(date.fromisoformat(run.rules["population_reference_date"])), False))
    if run.rules.get("min_fte"):
        rows.append((_("Mindeststellenumfang"), fte(run.rules["min_fte"]), False))
        rows.append((_("Ihre größte geförderte Stelle"), fte(row["fte"]) if row.get("fte") else _("keine Angabe"),
                     False))
    rows.append((_("Ergebnis"), _(REASON_LABELS[Reason(output["reason"])]), True))
    return rows + run_rows(run)
