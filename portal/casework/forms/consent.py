"""Consent as a record: which notice, which language, when, and for what — and its withdrawal."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integration_core.models import Consent, ConsentPurposeKind

from .base import CaseworkForm, ServiceModelForm

# Purposes without a recipient, ticked directly; handover and data exchange name who receives the data.
PLAIN_PURPOSES = (ConsentPurposeKind.COUNSELLING, ConsentPurposeKind.STATISTICS)


class ConsentForm(ServiceModelForm):
    purposes = forms.MultipleChoiceField(
        label=_("Die Person willigt ein in"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(kind.value, kind.label) for kind in PLAIN_PURPOSES],
    )
    handover_providers = forms.TypedMultipleChoiceField(
        label=_("Übergabe an einen anderen Träger"), required=False, coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nur an die hier angekreuzten Träger darf der Fall übergeben werden."),
    )
    data_exchange = forms.CharField(
        label=_("Austausch mit benannten Stellen"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eine Stelle je Zeile, z. B. „Jobcenter Musterstadt“."),
    )

    class Meta:
        model = Consent
        fields = ("notice_version", "language", "given_on")
        help_texts = {"notice_version": _("z. B. „Datenschutzinformation IntMan 2024-01“")}

    def __init__(self, *args, providers=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("given_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["handover_providers"].choices = [(p.pk, p.name) for p in providers]
        if not providers:
            del self.fields["handover_providers"]
        self.fields["language"].widget.attrs.update({"size": 6, "autocomplete": "off"})

    def purpose_rows(self) -> list[dict]:
        """The purposes in the shape ``consent_record`` takes."""
        rows = [{"purpose": kind, "recipient_provider_id": None, "recipient_name": ""}
                for kind in self.cleaned_data.get("purposes") or ()]
        rows += [{"purpose": ConsentPurposeKind.HANDOVER, "recipient_provider_id": provider_id,
                  "recipient_name": ""} for provider_id in self.cleaned_data.get("handover_providers") or ()]
        names = [line.strip() for line in (self.cleaned_data.get("data_exchange") or "").splitlines()]
        rows += [{"purpose": ConsentPurposeKind.DATA_EXCHANGE, "recipient_provider_id": None, "recipient_name": name}
                 for name in names if name]
        return rows


class WithdrawForm(CaseworkForm):
    withdrawn_on = forms.DateField(label=_("widerrufen am"))
    purpose_ids = forms.TypedMultipleChoiceField(
        label=_("Welche Zwecke?"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("Nichts angekreuzt: die ganze Einwilligung wird widerrufen."),
    )

    def __init__(self, *args, purposes=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("withdrawn_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["purpose_ids"].choices = [(p.pk, str(p)) for p in purposes]

    def chosen_ids(self) -> list[int] | None:
        return list(self.cleaned_data.get("purpose_ids") or ()) or None
