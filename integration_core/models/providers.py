"""Who runs the integration counselling: providers (Träger) and the people working for them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case_choices import ProviderKind, ProviderRole
from .places import Municipality


class Provider(models.Model):
    """A Träger of the Integrationsmanagement: the district, a municipality or a welfare association."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=ProviderKind.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="providers",
        verbose_name=_("Kommune"), help_text=_("Nur bei kommunalen Trägern: die Kommune selbst."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Träger")
        verbose_name_plural = _("Träger")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=ProviderKind.MUNICIPALITY) | models.Q(municipality__isnull=False),
                name="provider_municipality_needs_municipality",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == ProviderKind.MUNICIPALITY and not self.municipality_id:
            raise ValidationError({"municipality": _("Ein kommunaler Träger braucht seine Kommune.")})


class ProviderMembership(models.Model):
    """A user working for a provider, as case worker (own cases) or lead (all cases of the provider)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="memberships",
                                 verbose_name=_("Träger"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="provider_memberships", verbose_name=_("Person"))
    role = models.CharField(_("Funktion"), max_length=20, choices=ProviderRole.choices,
                            default=ProviderRole.CASE_WORKER)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Mitarbeit bei einem Träger")
        verbose_name_plural = _("Mitarbeit bei Trägern")
        constraints = [
            models.UniqueConstraint(fields=["provider", "user"], name="unique_provider_membership"),
        ]

    def __str__(self):
        return f"{self.user} – {self.provider} ({self.get_role_display()})"


class AccessProposal(models.Model):
    """An administrator's proposal to grant or remove someone's case access; a data-protection user decides.

    Neither alone: the proposer cannot decide (constraint), and the decision needs the «Datenschutz» role
    (integration_core.cases.staff). One open proposal per provider and person.
    """

    class Action(models.TextChoices):
        GRANT = "grant", _("Zugriff erteilen")
        REVOKE = "revoke", _("Zugriff entziehen")

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="access_proposals",
                                 verbose_name=_("Träger"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("Person"))
    action = models.CharField(_("Vorschlag"), max_length=10, choices=Action.choices)
    role = models.CharField(_("Funktion"), max_length=20, choices=ProviderRole.choices,
                            default=ProviderRole.CASE_WORKER)
    reason = models.TextField(_("Begründung"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("vorgeschlagen von"))
    proposed_at = models.DateTimeField(_("vorgeschlagen am"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("entschieden von"))
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    approved = models.BooleanField(_("genehmigt"), null=True, blank=True)

    class Meta:
        verbose_name = _("Vorschlag zum Fallzugriff")
        verbose_name_plural = _("Vorschläge zum Fallzugriff")
        ordering = ["-proposed_at", "-pk"]
        default_permissions = ("view",)
        permissions = [("decide_accessproposal", _("Vorschläge zum Fallzugriff genehmigen oder ablehnen"))]
        constraints = [
            models.CheckConstraint(condition=~models.Q(decided_by=models.F("proposed_by")),
                                   name="access_proposal_four_eyes"),
            models.CheckConstraint(
                condition=models.Q(decided_at__isnull=True, decided_by__isnull=True, approved__isnull=True)
                | models.Q(decided_at__isnull=False, decided_by__isnull=False, approved__isnull=False),
                name="access_proposal_decided_completely"),
            models.UniqueConstraint(fields=["provider", "user"], condition=models.Q(decided_at__isnull=True),
                                    name="one_open_access_proposal"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="access_proposal_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.user} – {self.provider}"
