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
