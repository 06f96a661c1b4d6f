"""Ablehnungsbescheid: the rejection letter with the reviewer's reasons and legal remedies."""

from django.utils.translation import gettext as _

from ..models import DocumentKind
from .blocks import day_of, eur, fmt_date, heading, legal_remedies, letter, para, signature, subject_lines


def reasons(application) -> str:
    """The note of the latest rejection event; the copy on the application as fallback."""
    event = application.events.filter(action="reject").order_by("created_at", "pk").last()
    return (event.note if event and event.note else application.last_message) or ""


def build(application) -> bytes:
    title = str(DocumentKind.REJECTION.label)
    body = [
        *subject_lines(title, application),
        para(_("Sehr geehrte Damen und Herren,")),
        para(_("Ihr Antrag vom %(date)s auf Gewährung einer Zuwendung von %(amount)s aus dem Förderprogramm "
               "„%(programme)s“ für das Vorhaben „%(title)s“ wird abgelehnt.") % {
            "date": fmt_date(application.submitted_at), "amount": eur(application.requested_amount),
            "programme": application.programme.name, "title": application.title}),
        heading(_("Begründung")),
        para(reasons(application)),
        para(_("Über Zuwendungen wird nach pflichtgemäßem Ermessen im Rahmen der verfügbaren Haushaltsmittel "
               "entschieden; ein Rechtsanspruch auf eine Zuwendung besteht nicht.")),
        *legal_remedies(),
        *signature(application.decided_by),
    ]
    return letter(application=application, title=title, letter_date=day_of(application.decided_at), body=body)
