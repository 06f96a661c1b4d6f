"""Ablehnungsbescheid: the rejection letter with the reviewer's reasons and legal remedies.

In a formula programme the reasons come from the allocation run (e.g. post below the minimum size) and the
letter adds the applicant's own figures the run looked at; no amount was applied for there, so none is named.
"""

from django.utils.translation import gettext as _

from ..models import DocumentKind
from . import committee, formula
from .blocks import day_of, eur, facts_table, fmt_date, heading, legal_remedies, letter, para, signature, subject_lines


def reasons(application) -> str:
    """The note of the latest rejection event; the copy on the application as fallback."""
    event = application.events.filter(action="reject").order_by("created_at", "pk").last()
    return (event.note if event and event.note else application.last_message) or ""


def _opening(application) -> str:
    values = {"date": fmt_date(application.submitted_at), "programme": application.programme.name,
              "title": application.title}
    if application.programme.is_formula:
        return _("Ihr Antrag vom %(date)s auf eine Zuwendung aus dem Förderprogramm „%(programme)s“ für das "
                 "Vorhaben „%(title)s“ wird abgelehnt.") % values
    return _("Ihr Antrag vom %(date)s auf Gewährung einer Zuwendung von %(amount)s aus dem Förderprogramm "
             "„%(programme)s“ für das Vorhaben „%(title)s“ wird abgelehnt.") % {
        **values, "amount": eur(application.requested_amount)}


def _formula_facts(application) -> list:
    if not formula.decided_by_run(application):
        return []
    return [
        para(_("Die Mittel des Förderprogramms werden nach der Einwohnerzahl auf die förderfähigen Antragsteller "
               "verteilt (Formelzuweisung). Für Ihren Antrag hat der Verteilungslauf Folgendes ergeben:")),
        facts_table(formula.rejection_rows(application)),
    ]


def build(application) -> bytes:
    title = str(DocumentKind.REJECTION.label)
    body = [
        *subject_lines(title, application),
        para(_("Sehr geehrte Damen und Herren,")),
        para(_opening(application)),
        *committee.committee_paragraphs(application, approved=False),
        heading(_("Begründung")),
        para(reasons(application)),
        *_formula_facts(application),
        para(_("Über Zuwendungen wird nach pflichtgemäßem Ermessen im Rahmen der verfügbaren Haushaltsmittel "
               "entschieden; ein Rechtsanspruch auf eine Zuwendung besteht nicht.")),
        *legal_remedies(),
        *signature(application.decided_by),
    ]
    return letter(application=application, title=title, letter_date=day_of(application.decided_at), body=body)
