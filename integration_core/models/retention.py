"""Cases the daily anonymisation could not anonymise, shown to data protection and administrators."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case


class AnonymisationFailure(models.Model):
    """The last failure of one case; deleted in the transaction that finally anonymises the case.

    ``error`` is the exception's class and first line only: database errors carry the failing row
    (names included) in their detail lines, and this text is shown in the admin and sent to Sentry.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="anonymisation_failure",
                                verbose_name=_("Fall"))
    error = models.CharField(_("Fehler"), max_length=300)
    attempts = models.PositiveIntegerField(_("Versuche"), default=1)
    first_failed_at = models.DateTimeField(_("erstmals fehlgeschlagen am"), auto_now_add=True)
    last_failed_at = models.DateTimeField(_("zuletzt fehlgeschlagen am"))

    class Meta:
        verbose_name = _("fehlgeschlagene Anonymisierung")
        verbose_name_plural = _("fehlgeschlagene Anonymisierungen")
        ordering = ["first_failed_at", "pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.case.number}: {self.error}"
