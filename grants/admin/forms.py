"""Small forms of the staff actions and of the payout batch; all labels and errors in German."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money
from wagtail.admin.widgets import AdminDateInput

from programmes.choices import DecidingBody
from programmes.rules import deciding_body

from ..models import Application, GrantIncrease
from ..services.review import AssessmentData

# Dates shown and picked the German way; the error messages give the same example.
GERMAN_DATE = "%d.%m.%Y"


def _text(label, required_message, help_text=""):
    return forms.CharField(
        label=label, help_text=help_text, widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": required_message},
    )


def _euro(label, help_text=""):
    return forms.DecimalField(
        label=label, help_text=help_text, min_value=Decimal("0.00"), max_digits=12, decimal_places=2,
        localize=True,
        error_messages={
            "required": _("Bitte geben Sie einen Betrag in Euro an."),
            "invalid": _("Bitte geben Sie einen Betrag wie 1.250,00 an."),
            "min_value": _("Der Betrag darf nicht negativ sein."),
            "max_decimal_places": _("Bitte höchstens zwei Nachkommastellen angeben."),
        },
    )


def _message():
    return forms.CharField(
        label=_("Nachricht an die Antragstellerin / den Antragsteller (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wird per E-Mail gesendet und in der Historie angezeigt."),
    )


def _internal_note():
    return forms.CharField(
        label=_("Interner Vermerk (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur für die Verwaltung sichtbar; wird weder gesendet noch gedruckt."),
    )


class ConfirmForm(forms.Form):
    """Actions without input; the button is the confirmation."""


class MessageForm(forms.Form):
    message = _text(
        _("Mitteilung an die Antragstellerin"),
        _("Bitte beschreiben Sie, was nachgebessert werden soll."),
        _("Beschreiben Sie verständlich, was fehlt oder geändert werden muss. Der Text geht per E-Mail hinaus."),
    )


class SettlementMessageForm(forms.Form):
    message = _text(
        _("Was fehlt am Verwendungsnachweis?"),
        _("Bitte beschreiben Sie, was am Verwendungsnachweis fehlt."),
        _("Der Text geht per E-Mail an die Antragstellerin; der Verwendungsnachweis wird wieder geöffnet."),
    )


class RejectForm(forms.Form):
    reasons = _text(
        _("Gründe der Ablehnung"),
        _("Eine Ablehnung braucht eine Begründung."),
        _("Die Gründe stehen im Ablehnungsbescheid."),
    )


class FullRefundForm(forms.Form):
    reason = _text(
        _("Begründung der vollständigen Rückforderung"),
        _("Eine vollständige Rückforderung braucht eine Begründung."),
        _("Zum Beispiel: Der Zuwendungszweck wurde nicht erreicht. Die Begründung steht im Rückforderungsbescheid."),
    )


class RecommendForm(forms.Form):
    """Amount and the structured assessment (fachliche Stellungnahme) that goes onto the approval list.

    Where the committee decides (``programmes.rules.deciding_body`` for the amount entered) the assessment is
    required; elsewhere it is optional, but once begun it must be complete. The co-financing check is only
    asked for programmes with 1:1 municipal co-financing.
    """

    takes_application = True  # ApplicationActionView passes the application in

    amount = _euro(_("Empfohlener Betrag in Euro"), _("Höchstens der beantragte Betrag."))
    eligibility_checked = forms.BooleanField(
        label=_("Förderfähigkeit geprüft"), required=False,
        help_text=_("Antragsberechtigung, Fördergegenstand, Zeitraum und Kostenplan entsprechen der "
                    "Förderrichtlinie."),
    )
    cofinancing_checked = forms.BooleanField(
        label=_("Kofinanzierung der Kommune geprüft"), required=False,
        help_text=_("Der Nachweis (Gemeinderatsbeschluss oder Haushaltsstelle) liegt vor; die Kommune trägt "
                    "mindestens so viel wie der Landkreis."),
    )
    conditions = forms.CharField(
        label=_("Auflagen / Bedingungen (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stehen in der Beschlussvorlage und im Bescheid."),
    )
    justification = forms.CharField(
        label=_("Begründung (Kurzfassung für die Beschlussvorlage)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    message = _message()
    internal_note = _internal_note()

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        programme = application.programme if application is not None else None
        if programme is None or not programme.matching_funds_required:
            del self.fields["cofinancing_checked"]
        if programme is not None and programme.committee_decides_all:
            self.fields["justification"].help_text = _(
                "Über diesen Antrag entscheidet der Ausschuss: Die Begründung steht in der Beschlussvorlage.")
        else:
            self.fields["justification"].help_text = _(
                "Pflicht, wenn der Ausschuss entscheidet (Betrag über der Grenze der Amtsleitung).")

    def needs_assessment(self, amount) -> bool:
        if self.application is None or amount is None:
            return False
        return deciding_body(self.application.terms, Money(amount, "EUR")) == DecidingBody.COMMITTEE

    def clean(self):
        cleaned = super().clean()
        begun = cleaned.get("eligibility_checked") or cleaned.get("cofinancing_checked") \
            or (cleaned.get("justification") or "").strip() or (cleaned.get("conditions") or "").strip()
        if not (begun or self.needs_assessment(cleaned.get("amount"))):
            cleaned["assessment"] = None
            return cleaned
        if not cleaned.get("eligibility_checked"):
            self.add_error("eligibility_checked", _("Bestätigen Sie, dass die Förderfähigkeit geprüft ist."))
        if "cofinancing_checked" in self.fields and not cleaned.get("cofinancing_checked"):
            self.add_error("cofinancing_checked", _("Bestätigen Sie, dass die Kofinanzierung der Kommune geprüft "
                                                    "ist."))
        if not (cleaned.get("justification") or "").strip():
            self.add_error("justification", _("Begründen Sie die Empfehlung kurz; die Begründung steht in der "
                                              "Beschlussvorlage."))
        cleaned["assessment"] = AssessmentData(
            eligibility_checked=bool(cleaned.get("eligibility_checked")),
            cofinancing_checked=bool(cleaned.get("cofinancing_checked")),
            conditions=cleaned.get("conditions") or "", justification=cleaned.get("justification") or "")
        return cleaned


class InterestForm(forms.Form):
    """Interest on a refund (§ 49a Abs. 3 VwVfG): from a date, or waived with a reason."""

    interest_from = forms.DateField(
        label=_("Verzinsung ab"), required=False, widget=AdminDateInput(format=GERMAN_DATE),
        help_text=_("Der Tag, an dem der Bescheid unwirksam wurde; Zinssatz: 5 Prozentpunkte über dem "
                    "Basiszinssatz."),
        error_messages={"invalid": _("Bitte geben Sie ein Datum wie 31.12.2026 an.")},
    )
    waived = forms.BooleanField(
        label=_("Auf Zinsen verzichten"), required=False,
        help_text=_("Zum Beispiel, wenn die Empfängerin den Grund nicht zu vertreten hat und fristgerecht "
                    "erstattet."),
    )
    waiver_reason = forms.CharField(
        label=_("Begründung des Zinsverzichts"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Erscheint im Rückforderungsbescheid und in der Historie der Antragstellerin / des "
                    "Antragstellers."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("waived"):
            if not (cleaned.get("waiver_reason") or "").strip():
                self.add_error("waiver_reason", _("Ein Zinsverzicht braucht eine Begründung."))
        elif cleaned.get("interest_from") is None and "interest_from" not in self.errors:
            self.add_error("interest_from", _("Geben Sie an, ab wann die Rückforderung zu verzinsen ist, oder "
                                              "verzichten Sie mit Begründung auf Zinsen."))
        return cleaned


class ApproveForm(forms.Form):
    # The page states the amount and the budget left; approving needs this tick, else nothing is saved.
    confirmed = forms.BooleanField(
        label=_("Ich bestätige die Bewilligung und die Bindung des Betrags im Haushalt."),
        error_messages={"required": _("Bitte bestätigen Sie die Bewilligung mit dem genannten Betrag.")},
    )
    message = _message()
    internal_note = _internal_note()


class ConfirmEligibilityForm(forms.Form):
    message = _message()
    internal_note = _internal_note()


class DeclineForm(forms.Form):
    reason = _text(
        _("Begründung des Verzichts"),
        _("Bitte geben Sie an, warum auf die Zuwendung verzichtet wird."),
        _("Zum Beispiel: Schreiben der Gemeinde vom 12.03. – die Stelle wird nicht besetzt. Der Text erscheint im "
          "Verlauf und geht per E-Mail an die Zuwendungsempfängerin."),
    )


class AcceptSettlementForm(forms.Form):
    # What these costs do to the grant depends on the financing type: the page explains it and shows a preview.
    eligible_costs = _euro(
        _("Anerkannte zuwendungsfähige Ausgaben in Euro"),
        _("Die Ausgaben, die nach Prüfung der Belege als zuwendungsfähig anerkannt werden."),
    )
    reason = forms.CharField(
        label=_("Begründung – erscheint im Bescheid (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wird im Rückforderungsbescheid unter „Begründung“ gedruckt, wenn Mittel zurückzufordern sind."),
    )
    message = _message()
    internal_note = _internal_note()


class RefundReceivedForm(forms.Form):
    received_on = forms.DateField(
        label=_("Zahlungseingang am"), widget=AdminDateInput(format=GERMAN_DATE),
        error_messages={"required": _("Bitte geben Sie das Datum des Zahlungseingangs an."),
                        "invalid": _("Bitte geben Sie ein Datum wie 31.12.2026 an.")},
    )

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Der Zahlungseingang kann nicht in der Zukunft liegen."))
        return value


class PayoutBatchForm(forms.Form):
    """Approved grants and, on their own, increases raised after a grant was paid; at least one of either."""

    applications = forms.ModelMultipleChoiceField(
        label=_("Bewilligte Anträge"), queryset=Application.objects.none(), widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Mindestens ein gewählter Antrag kann nicht mehr ausgezahlt werden."),
                        "invalid_pk_value": _("Ungültige Auswahl.")},
    )
    increases = forms.ModelMultipleChoiceField(
        label=_("Erhöhungen bereits ausgezahlter Zuwendungen"), queryset=GrantIncrease.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
        error_messages={"invalid_choice": _("Mindestens eine gewählte Erhöhung kann nicht mehr ausgezahlt werden."),
                        "invalid_pk_value": _("Ungültige Auswahl.")},
    )
    execution_date = forms.DateField(
        label=_("Ausführungsdatum"), widget=AdminDateInput(format=GERMAN_DATE),
        help_text=_("Tag, an dem die Bank die Überweisungen ausführen soll."),
        error_messages={"required": _("Bitte geben Sie ein Ausführungsdatum an."),
                        "invalid": _("Bitte geben Sie ein Datum wie 31.12.2026 an.")},
    )

    def __init__(self, *args, queryset, increases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset
        self.fields["increases"].queryset = increases if increases is not None else GrantIncrease.objects.none()
        self.fields["execution_date"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("applications") or cleaned.get("increases")
        if not chosen and "applications" not in self.errors and "increases" not in self.errors:
            if self.fields["increases"].queryset.exists():
                self.add_error("applications", _("Wählen Sie mindestens einen bewilligten Antrag oder eine Erhöhung."))
            else:
                self.add_error("applications", _("Wählen Sie mindestens einen bewilligten Antrag."))
        return cleaned

    def clean_execution_date(self):
        value = self.cleaned_data["execution_date"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("Das Ausführungsdatum darf nicht in der Vergangenheit liegen."))
        return value
