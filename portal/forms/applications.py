"""The application form, its cost plan and the small forms around an application."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from grants import rules as grant_rules
from grants.models import Application, AttachmentKind, CostLine
from grants.services.applications import CostLineData
from integration_core.models import Municipality
from programmes.choices import ActivityType, CostKind, FundingField

from .cofinancing import add_cofinancing_fields, default_municipality, is_cofinanced
from .kern import DraftFormMixin, KernForm, date_widget, money_field

DECLARATIONS = ("declaration_truthful", "declaration_not_started", "declaration_privacy", "declaration_conditions")
# Fields the applicant must fill before submitting; drafts may leave them empty.
NEEDED_FOR_SUBMISSION = (
    "summary", "goals", "target_group", "expected_participants", "activity_type", "funding_field",
    "planned_start", "planned_end", "place", "post_fte", *DECLARATIONS,
)


def _label(name: str):
    return Application._meta.get_field(name).verbose_name


def _programme_choices(choices_class, allowed: list[str]):
    return [("", _("Bitte wählen"))] + [(value, label) for value, label in choices_class.choices if value in allowed]


class ApplicationForm(DraftFormMixin, KernForm):
    needed_later = NEEDED_FOR_SUBMISSION

    title = forms.CharField(label=_label("title"), max_length=200)
    summary = forms.CharField(label=_label("summary"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Was haben Sie vor? Zwei bis fünf Sätze genügen."))
    goals = forms.CharField(label=_label("goals"), widget=forms.Textarea(attrs={"rows": 3}))
    target_group = forms.CharField(label=_label("target_group"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_participants = forms.IntegerField(label=_label("expected_participants"), min_value=1)
    activity_type = forms.ChoiceField(label=_label("activity_type"))
    funding_field = forms.ChoiceField(label=_label("funding_field"))
    planned_start = forms.DateField(label=_label("planned_start"), widget=date_widget())
    planned_end = forms.DateField(label=_label("planned_end"), widget=date_widget())
    early_start_requested = forms.BooleanField(
        label=_("Ich beantrage den vorzeitigen Maßnahmebeginn"), required=False,
        help_text=_("Nur nötig, wenn das Vorhaben vor dem Einreichen des Antrags beginnt."),
    )
    early_start_reason = forms.CharField(
        label=_label("early_start_reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    place = forms.ModelChoiceField(
        label=_label("place"), queryset=Municipality.objects.order_by("name"), empty_label=_("Bitte wählen")
    )
    own_funds = money_field(_("Eigenmittel in Euro"), help_text=_("Geld, das Ihre Organisation selbst einbringt."))
    third_party_funds = money_field(
        _("Drittmittel in Euro"), help_text=_("Zuschüsse anderer Stellen, Spenden und Teilnahmebeiträge.")
    )
    declaration_truthful = forms.BooleanField(
        label=_("Ich versichere, dass alle Angaben vollständig und wahrheitsgemäß sind."))
    declaration_not_started = forms.BooleanField(
        label=_("Die Maßnahme hat noch nicht begonnen, oder ich habe den vorzeitigen Beginn beantragt."))
    declaration_privacy = forms.BooleanField(
        label=_("Ich habe die Datenschutzhinweise zur Kenntnis genommen."))
    declaration_conditions = forms.BooleanField(
        label=_("Ich erkenne die Allgemeinen Nebenbestimmungen (ANBest-P) an."))

    def __init__(self, *args, programme, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].choices = _programme_choices(ActivityType, programme.activity_types)
        self.fields["funding_field"].choices = _programme_choices(FundingField, programme.funding_fields)
        if programme.min_post_fte is not None:
            # Only programmes that fund a post of a minimum size ask for it (programmes.rules.post_fte_error).
            self.fields["post_fte"] = forms.DecimalField(
                label=_label("post_fte"), max_digits=3, decimal_places=2, min_value=Decimal("0.01"),
                localize=True, help_text=_("z. B. 0,5 für eine halbe Stelle"),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        if is_cofinanced(programme):
            # Co-financed programmes (e.g. Integrationslotsen): the municipality and its contribution.
            add_cofinancing_fields(self, programme)
        if organisations is not None and len(organisations) > 1:
            # Only asked when the user could apply for more than one organisation.
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Antragstellende Organisation"), queryset=organisations, empty_label=_("Bitte wählen"),
            )
            self.order_fields(["organisation"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("Das geplante Ende liegt vor dem Beginn."))
        return cleaned

    def service_data(self) -> dict:
        """The cleaned values in the shape grants.services.applications.application_update expects."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "organisation"}
        for name in ("summary", "goals", "target_group", "activity_type", "funding_field", "early_start_reason"):
            data[name] = data.get(name) or ""
        data["own_funds"] = data.get("own_funds") or Decimal("0.00")
        data["third_party_funds"] = data.get("third_party_funds") or Decimal("0.00")
        return data


def application_initial(application: Application) -> dict:
    initial = {name: getattr(application, name) for name in ApplicationForm.base_fields}
    initial["place"] = application.place_id
    initial["post_fte"] = application.post_fte  # a field only where the programme asks for the post size
    initial["own_funds"] = application.own_funds.amount
    initial["third_party_funds"] = application.third_party_funds.amount
    # A field only in co-financed programmes; a municipality applies for itself unless it says otherwise.
    initial["cofinancing_municipality"] = (application.cofinancing_municipality_id
                                           or default_municipality(application.organisation))
    return initial


class CostLineForm(DraftFormMixin, KernForm):
    # Both are needed for a row; an empty row is simply ignored (see clean and cost_lines).
    needed_later = ("description", "amount")
    description = forms.CharField(label=_("Kostenart / Beschreibung"), max_length=200)
    amount = money_field(_("Betrag in Euro"), required=True)

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programme is not None and grant_rules.cost_kinds_asked(programme):
            # E.g. share financing: the plan shows personnel and material costs apart (grants.rules).
            self.fields["kind"] = forms.ChoiceField(
                label=CostLine._meta.get_field("kind").verbose_name,
                choices=[("", _("Bitte wählen")), *CostKind.choices],
                help_text=_("Personalkosten, z. B. Aufwandsentschädigungen der Lotsen; Sachkosten, z. B. Schulung "
                            "und Fahrtkosten."),
            )
            self.order_fields(["description", "kind", "amount"])
            self.needed_later = (*self.needed_later, "kind")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE"):
            return cleaned
        description, amount = (cleaned.get("description") or "").strip(), cleaned.get("amount")
        if amount is not None and not description:
            self.add_error("description", _("Beschreiben Sie, wofür der Betrag ausgegeben wird."))
        if description and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Geben Sie den Betrag dieser Position an."))
        if description and "kind" in self.fields and not cleaned.get("kind") and "kind" not in self.errors:
            self.add_error("kind", _("Wählen Sie, ob diese Position Personal- oder Sachkosten sind."))
        return cleaned


class BaseCostLineFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Diese Zeile entfernen")

    def cost_lines(self) -> list[CostLineData]:
        """The filled, not removed rows, in order; empty rows are ignored."""
        lines = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not (data.get("description") or "").strip():
                continue
            lines.append(CostLineData(description=data["description"].strip(), amount=data["amount"],
                                      kind=data.get("kind") or None))
        return lines


CostLineFormSet = forms.formset_factory(
    CostLineForm, formset=BaseCostLineFormSet, extra=1, can_delete=True, max_num=50, validate_max=True,
)
COST_PREFIX = "kosten"


def lines_initial(lines, *, with_amounts: bool = True) -> list[dict]:
    """Rows for a cost formset from stored lines (CostLine or SettlementCostLine)."""
    return [
        {"description": line.description, "kind": getattr(line, "kind", ""),
         **({"amount": line.amount.amount} if with_amounts else {})}
        for line in lines
    ]


def cost_plan_formset(data=None, *, initial=None, prefix: str = COST_PREFIX, programme=None):
    """``programme``: the application's, whose settings say whether each line states its kind (not a settlement)."""
    return CostLineFormSet(data, initial=initial or None, prefix=prefix, form_kwargs={"programme": programme})


def with_added_row(formset):
    """'Zeile hinzufügen' without JavaScript: the posted rows, unbound (no errors yet), plus one focused empty row.

    Works for any row formset with ``extra=1`` (cost plan, funded posts): the first field of the new row has focus.
    """
    # The fields of a row as this formset builds them (a cost plan may add the kind of costs).
    names = [name for name in formset.empty_form.fields if name != "DELETE"]
    rows = [
        {name: form[name].data for name in names}
        for form in formset.forms
        if not form["DELETE"].data
    ]
    extended = type(formset)(initial=rows, prefix=formset.prefix, form_kwargs=formset.form_kwargs)
    extended.forms[-1].fields[names[0]].widget.attrs["autofocus"] = True
    return extended


class AttachmentUploadForm(KernForm):
    file = forms.FileField(
        label=_("Datei auswählen"),
        help_text=_("Erlaubt sind PDF, JPEG, PNG, DOCX, XLSX und ODT bis 10 MB je Datei: PDFs ohne JavaScript "
                    "und ohne eingebettete Dateien, Office-Dateien ohne Makros."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt"}),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(kinds) > 1:
            # E.g. a co-financed programme: the applicant marks the evidence of the municipal co-financing.
            self.fields["kind"] = forms.ChoiceField(
                label=_("Art der Anlage"), widget=forms.RadioSelect,
                choices=[(kind, AttachmentKind(kind).label) for kind in kinds],
                error_messages={"required": _("Wählen Sie, welche Art von Anlage Sie hochladen.")},
            )
            self.order_fields(["kind", "file"])


class WithdrawForm(KernForm):
    note = forms.CharField(
        label=_("Grund für die Rücknahme"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Freiwillig. Der Grund hilft dem Landratsamt bei der Planung."),
    )


class DeclineForm(KernForm):
    reason = forms.CharField(
        label=_("Grund für den Verzicht"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Bitte geben Sie an, warum Sie auf die Zuwendung verzichten.")},
        help_text=_("z. B. die Stelle kann im Förderzeitraum nicht besetzt werden."),
    )
