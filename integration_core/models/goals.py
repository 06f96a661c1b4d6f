"""Part B of the Integrationsplan (Zielvereinbarung) and the plan's status at reporting dates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case_choices import Achievement, GoalArea, PlanStatus
from .cases import Case


class Goal(models.Model):
    """One row of the goal agreement: area, goal, up to three steps, who, when, achieved."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals", verbose_name=_("Fall"))
    area = models.CharField(_("Bereich"), max_length=20, choices=GoalArea.choices, db_index=True)
    goal = models.TextField(_("Ziel"))
    step_1 = models.CharField(_("Arbeitsschritt 1"), max_length=300, blank=True)
    step_2 = models.CharField(_("Arbeitsschritt 2"), max_length=300, blank=True)
    step_3 = models.CharField(_("Arbeitsschritt 3"), max_length=300, blank=True)
    who = models.CharField(_("Wer?"), max_length=200, blank=True)
    agreed_on = models.DateField(_("vereinbart am"))
    due_by = models.DateField(_("geplante Umsetzung bis"), null=True, blank=True)
    achieved = models.CharField(_("erreicht?"), max_length=20, choices=Achievement.choices,
                                default=Achievement.IN_PROGRESS, db_index=True)
    achieved_changed_on = models.DateField(_("Stand vom"), null=True, blank=True)
    services_involved = models.CharField(_("beteiligte Regeldienste"), max_length=300, blank=True)
    remarks = models.TextField(_("Anmerkungen"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("erfasst durch"))
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele (Teil B)")
        ordering = ["agreed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_by__isnull=True) | models.Q(due_by__gte=models.F("agreed_on")),
                name="goal_due_after_agreed",
            ),
        ]

    def __str__(self):
        return f"{self.get_area_display()}: {self.goal[:60]}"

    @property
    def steps(self) -> list[str]:
        return [s for s in (self.step_1, self.step_2, self.step_3) if s]


class ReportingStatus(models.Model):
    """The plan's status at one reporting date (Stichtag); one row per date, the history is kept."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reporting_statuses",
                             verbose_name=_("Fall"))
    reporting_date = models.DateField(_("Stichtag"))
    status = models.CharField(_("Stand"), max_length=20, choices=PlanStatus.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("erfasst durch"))
    recorded_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Stand zum Stichtag")
        verbose_name_plural = _("Stand zu Stichtagen")
        ordering = ["-reporting_date"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reporting_date"], name="unique_status_per_reporting_date"),
        ]

    def __str__(self):
        return f"{self.reporting_date:%d.%m.%Y}: {self.get_status_display()}"
