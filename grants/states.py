from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("Eingereicht")
    IN_REVIEW = "in_review", _("In Prüfung")
    CHANGES_REQUESTED = "changes_requested", _("Nachbesserung angefordert")
    RECOMMENDED = "recommended", _("Zur Bewilligung empfohlen")
    APPROVED = "approved", _("Bewilligt")
    REJECTED = "rejected", _("Abgelehnt")
    WITHDRAWN = "withdrawn", _("Zurückgezogen")
    PAID = "paid", _("Ausgezahlt – Verwendungsnachweis offen")
    SETTLEMENT_SUBMITTED = "settlement_submitted", _("Verwendungsnachweis eingereicht")
    REFUND_CLAIMED = "refund_claimed", _("Rückforderung offen")
    CLOSED = "closed", _("Abgeschlossen")


# States before a decision, in which the applicant may still withdraw.
UNDECIDED = [State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED, State.RECOMMENDED]
# States in which the applicant may edit the application's content.
EDITABLE = [State.DRAFT, State.CHANGES_REQUESTED]
# After payout: the money is with the recipient (settled or not, a refund claimed or received).
PAID_OUT = [State.PAID, State.SETTLEMENT_SUBMITTED, State.REFUND_CLAIMED, State.CLOSED]
# A decided grant the recipient still holds: everything after approval except a Verzicht (withdrawn).
GRANT_HELD = [State.APPROVED, *PAID_OUT]
