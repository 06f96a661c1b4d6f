"""Committee decisions: meetings, their agenda of recommended applications, conflicts of interest, decisions.

An agenda can be changed until it is frozen; the approval list is exported from the frozen agenda, whose
items keep a snapshot of the figures the committee read. After the meeting staff record every item's
decision at once; deferred items go onto the next meeting's agenda.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from .applications import _private_storage


def _money(**kwargs):
    return MoneyField(max_digits=12, decimal_places=2, default_currency="EUR", **kwargs)


class Meeting(models.Model):
    committee = models.CharField(_("Gremium"), max_length=200, default=_("Sozialausschuss"))
    date = models.DateField(_("Sitzungstag"))
    is_public = models.BooleanField(_("öffentliche Sitzung"), default=True)
    paper_number = models.CharField(_("Drucksachen-Nr."), max_length=40, blank=True,
                                    help_text=_("Nummer der Beschlussvorlage, z. B. SOZ/2026/014."))
    location = models.CharField(_("Sitzungsort"), max_length=200, blank=True)
    frozen_at = models.DateTimeField(_("Tagesordnung festgeschrieben am"), null=True, blank=True, editable=False)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", editable=False)
    resolution_date = models.DateField(_("Beschlussdatum"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("Beschlüsse erfasst von"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Ausschusssitzung")
        verbose_name_plural = _("Ausschusssitzungen")
        ordering = ["-date", "-pk"]
        permissions = [("manage_meetings", _("Ausschusssitzungen vorbereiten und Beschlüsse erfassen"))]

    def __str__(self):
        return f"{self.committee} {self.date:%d.%m.%Y}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_decided(self) -> bool:
        return self.resolution_date is not None


class MeetingMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Vorsitz")
        MEMBER = "member", _("Mitglied")
        DEPUTY = "deputy", _("Stellvertretung")
        ADVISORY = "advisory", _("beratendes Mitglied (ohne Stimmrecht)")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("Name"), max_length=200)
    group = models.CharField(_("Fraktion / Organisation"), max_length=200, blank=True)
    role = models.CharField(_("Funktion"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    present = models.BooleanField(_("anwesend"), default=True)

    class Meta:
        verbose_name = _("Sitzungsmitglied")
        verbose_name_plural = _("Sitzungsmitglieder")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="member_once_per_meeting")]

    def __str__(self):
        return self.name

    @property
    def votes(self) -> bool:
        return self.role != self.Role.ADVISORY


class AgendaItem(models.Model):
    class Outcome(models.TextChoices):
        APPROVED = "approved", _("bewilligt wie empfohlen")
        APPROVED_CHANGED = "approved_changed", _("bewilligt mit anderem Betrag")
        REJECTED = "rejected", _("abgelehnt")
        DEFERRED = "deferred", _("vertagt")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    application = models.ForeignKey("grants.Application", on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("Nr."), default=0)
    # Snapshot when the agenda is frozen: the list shows what the committee read, whatever changes later.
    snapshot = models.JSONField(_("Stand bei Festschreibung"), default=dict, editable=False)
    outcome = models.CharField(_("Beschluss"), max_length=20, choices=Outcome.choices, blank=True)
    decided_amount = _money(verbose_name=_("beschlossener Betrag"), null=True, blank=True)
    votes_yes = models.PositiveSmallIntegerField(_("Ja-Stimmen"), null=True, blank=True)
    votes_no = models.PositiveSmallIntegerField(_("Nein-Stimmen"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("Enthaltungen"), null=True, blank=True)
    decision_note = models.TextField(_("Vermerk zum Beschluss"), blank=True)
    carried_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("vertagt aus"))

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "application"], name="application_once_per_agenda"),
            # An application waits on one agenda at a time: until its item is decided (or deferred).
            models.UniqueConstraint(fields=["application"], condition=Q(outcome=""), name="one_open_agenda_item"),
            models.CheckConstraint(
                condition=Q(outcome__in=["approved", "approved_changed"], decided_amount__gt=0)
                | (~Q(outcome__in=["approved", "approved_changed"]) & Q(decided_amount__isnull=True)),
                name="agenda_decided_amount_fits_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} – {self.position}"


class ConflictOfInterest(models.Model):
    """Befangenheit (§ 14 LKrO, § 18 GemO): the member does not vote on this item."""

    class Reason(models.TextChoices):
        BOARD = "board", _("Mitglied im Vorstand oder Organ der Antragstellerin")
        EMPLOYER = "employer", _("Antragstellerin ist Arbeitgeberin des Mitglieds")
        RELATIVE = "relative", _("Antragstellerin ist Arbeitgeberin oder Organ einer/eines Angehörigen")
        OTHER = "other", _("sonstiger persönlicher Vorteil oder Nachteil")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(MeetingMember, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("Grund"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("Erläuterung"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("erklärt am"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("Befangenheit")
        verbose_name_plural = _("Befangenheiten")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="conflict_once_per_item")]

    def __str__(self):
        return f"{self.member} – {self.item}"


class LetterBundle(models.Model):
    """The decision letters of a meeting, generated as one job and offered as one ZIP."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="letter_bundle")
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("Bescheide insgesamt"), default=0)
    done = models.PositiveIntegerField(_("davon erstellt"), default=0)
    file = models.FileField(_("ZIP-Datei"), upload_to="bundles/", storage=_private_storage,
                            blank=True, max_length=200)
    error = models.TextField(_("Fehler"), blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    finished_at = models.DateTimeField(_("fertig am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Bescheidpaket")
        verbose_name_plural = _("Bescheidpakete")

    def __str__(self):
        return f"{self.meeting}: {self.done}/{self.total}"


class Assessment(models.Model):
    """The staff assessment given with a recommendation; it appears on the approval list."""

    application = models.OneToOneField("grants.Application", on_delete=models.CASCADE, related_name="assessment")
    eligibility_checked = models.BooleanField(_("Förderfähigkeit geprüft"))
    cofinancing_checked = models.BooleanField(_("Kofinanzierung geprüft"), default=False)
    conditions = models.TextField(_("Auflagen / Bedingungen"), blank=True)
    justification = models.TextField(_("Begründung (Kurzfassung für die Beschlussvorlage)"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("bewertet am"), auto_now=True)

    class Meta:
        verbose_name = _("Fachliche Stellungnahme")
        verbose_name_plural = _("Fachliche Stellungnahmen")

    def __str__(self):
        return f"{_('Stellungnahme')} {self.application_id}"

