"""The small forms on the case page: a goal row, its achievement, the status at a reporting date,
the extension, the end of counselling and the handover."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integration_core.cases.parts import END_REASONS_NEEDING_COMPLETE_PLAN
from integration_core.models import Achievement, Case, EndReason, Goal, ReportingStatus

from .base import CaseworkForm, ServiceModelForm, tidy_field


class GoalForm(ServiceModelForm):
    """One row of Part B, added in one step (the service takes the steps as a list)."""

    class Meta:
        model = Goal
        fields = ("area", "goal", "step_1", "step_2", "step_3", "who", "agreed_on", "due_by",
                  "services_involved", "remarks")
        widgets = {"goal": forms.Textarea(attrs={"rows": 2}), "remarks": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"who": _("z. B. „Klientin“, „IntMan“, „Jobcenter“")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("agreed_on", timezone.localdate())
        kwargs.setdefault("prefix", "ziel")
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "area": data["area"], "goal": data["goal"], "agreed_on": data["agreed_on"],
            "steps": [data.get(f"step_{n}") or "" for n in (1, 2, 3)],
            "who": data.get("who") or "", "due_by": data.get("due_by"),
            "services_involved": data.get("services_involved") or "", "remarks": data.get("remarks") or "",
        }


class AchievementForm(CaseworkForm):
    """The achievement of one goal: a select and a button in the goal's row."""

    achieved = forms.ChoiceField(label=_("erreicht?"), choices=Achievement.choices)

    def __init__(self, *args, goal_id: int, achieved: str | None = None, **kwargs):
        if achieved is not None:
            kwargs.setdefault("initial", {"achieved": achieved})
        # The goal's id in the prefix: every row's select has its own id and label.
        super().__init__(*args, prefix=f"ziel-{goal_id}", **kwargs)
        self.goal_id = goal_id


class ReportingStatusForm(ServiceModelForm):
    class Meta:
        model = ReportingStatus
        fields = ("reporting_date", "status")
        help_texts = {"reporting_date": _("Erneut erfasst, wird der Stand zu diesem Stichtag korrigiert.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "stand")
        super().__init__(*args, **kwargs)


class ExtensionForm(CaseworkForm):
    until = forms.DateField(label=_("verlängert bis"))
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Schriftliche Begründung, warum die Beratung länger als drei Jahre "
                                         "dauern muss."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "verlaengerung")
        super().__init__(*args, **kwargs)


class EndForm(ServiceModelForm):
    class Meta:
        model = Case
        fields = ("ended_on", "end_reason")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("ended_on", timezone.localdate())
        kwargs.setdefault("prefix", "ende")
        super().__init__(*args, **kwargs)
        for name in ("ended_on", "end_reason"):
            self.fields[name].required = True
            tidy_field(self.fields[name])  # "Bitte wählen" instead of "keine Angabe"
        # Said before the case worker picks a reason: the service refuses these on an incomplete plan.
        reasons = ", ".join(f"„{EndReason(reason).label}“" for reason in END_REASONS_NEEDING_COMPLETE_PLAN)
        self.fields["end_reason"].help_text = _(
            "%(reasons)s setzen einen vollständigen Plan voraus. Kam die Beratung nicht zustande, wurde sie "
            "abgebrochen oder endete sie von außen (Ausreise, Wegzug, Übergabe), genügt der Grund allein.") % {
            "reasons": reasons}


class HandoverForm(CaseworkForm):
    """One select: the receiving case worker, grouped by provider (value "provider:user")."""

    target = forms.ChoiceField(label=_("Übergeben an"))
    note = forms.CharField(label=_("Vermerk"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, targets=(), current: tuple[int, int] | None = None, **kwargs):
        """``targets``: (provider, users) pairs; ``current``: (provider id, user id) now holding the case."""
        kwargs.setdefault("prefix", "uebergabe")
        super().__init__(*args, **kwargs)
        groups = []
        for provider, users in targets:
            options = [(f"{provider.pk}:{user.pk}", user.get_full_name() or user.email)
                       for user in users if (provider.pk, user.pk) != current]
            if options:
                groups.append((provider.name, options))
        self.fields["target"].choices = [("", _("Bitte wählen")), *groups]

    def target_ids(self) -> tuple[int, int]:
        provider_id, user_id = self.cleaned_data["target"].split(":")
        return int(provider_id), int(user_id)
