"""Every read of a case, for the data-protection officer.

Written by ``cases.access``: ``case_for_read`` (a case opened), ``log_cases_shown`` (cases shown in the case
list or a search, one row per case on the page) and by the statistics extract (one row per case in it).
On PostgreSQL a trigger refuses UPDATE and DELETE (migration 0004, ``integration_core.db_guards``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case_choices import ReadPurpose
from .cases import Case


class CaseReadLog(models.Model):
    """Append-only: nobody gets add/change/delete permissions for it; only the selector writes.

    Also records every grant and removal of case access (``ReadPurpose.ACCESS_GRANTED``/``ACCESS_REVOKED``):
    then ``case`` is empty, ``provider`` and ``subject`` say whose access to which provider's cases changed,
    ``user`` who changed it and ``detail`` the role and, for an administrator's proposal, who approved it.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="read_logs",
                             verbose_name=_("Fall"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_reads",
                             verbose_name=_("Person"))
    read_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    # A code, translated on display (entries written before codes were used keep their German text).
    purpose = models.CharField(_("Zweck / Ansicht"), max_length=100, choices=ReadPurpose.choices)
    provider = models.ForeignKey("integration_core.Provider", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("Träger"))
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("betroffene Person"))
    detail = models.CharField(_("Einzelheiten"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Fallzugriff")
        verbose_name_plural = _("Protokoll der Fallzugriffe")
        ordering = ["-read_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.read_at:%d.%m.%Y %H:%M} {self.user} → {self.case or self.subject}"
