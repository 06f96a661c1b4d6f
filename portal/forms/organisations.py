"""The organisation profile and inviting a member."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from schwifty import BIC
from schwifty.exceptions import SchwiftyException

from integration_core.models import Municipality
from portal.organisations.models import LegalForm, Organisation, validate_iban
from portal.organisations.services import MEMBERS_FIELD, ORGANISATION_FIELDS
from programmes.choices import ApplicantType

from .kern import DraftFormMixin, KernForm, KernModelForm

# SEPA countries an applicant in a German district plausibly has its seat in.
COUNTRY_CHOICES = [
    ("DE", _("Deutschland")),
    ("AT", _("Österreich")),
    ("CH", _("Schweiz")),
    ("FR", _("Frankreich")),
    ("NL", _("Niederlande")),
    ("BE", _("Belgien")),
    ("LU", _("Luxemburg")),
    ("DK", _("Dänemark")),
    ("PL", _("Polen")),
    ("CZ", _("Tschechien")),
    ("IT", _("Italien")),
    ("ES", _("Spanien")),
]


def _with_prompt(choices):
    return [("", _("Bitte wählen")), *choices]


VERBUND_MEMBERS_REQUIRED = _("Wählen Sie die Mitgliedskommunen Ihres Verbunds aus: Ihre Einwohnerzahlen "
                             "bestimmen den Anteil in einer Formelzuweisung.")


class OrganisationForm(DraftFormMixin, KernModelForm):
    # Shown without "optional", but only required for a Kommunaler Verbund (checked in clean).
    needed_later = (MEMBERS_FIELD,)

    country = forms.ChoiceField(label=_("Land"), choices=COUNTRY_CHOICES, initial="DE")
    seat_municipality = forms.ModelChoiceField(
        label=_("Sitzgemeinde"), queryset=Municipality.objects.order_by("name"), empty_label=_("Bitte wählen"),
        help_text=_("Die Kreiskommune, in der Ihre Organisation ihren Sitz hat."),
    )
    member_municipalities = forms.ModelMultipleChoiceField(
        label=_("Mitgliedskommunen (nur Kommunaler Verbund)"), queryset=Municipality.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nur bei der Art „Kommunaler Verbund“: die Kreiskommunen, die dem Verbund angehören. "
                    "Bei anderen Arten bleibt die Auswahl leer."),
    )

    class Meta:
        model = Organisation
        fields = [*ORGANISATION_FIELDS, MEMBERS_FIELD]
        widgets = {
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "town": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "iban": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "bic": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }
        help_texts = {
            "iban": _("Mit oder ohne Leerzeichen, z. B. DE89 3704 0044 0532 0130 00. Eine neue Bankverbindung gilt "
                      "für Auszahlungen erst, wenn die Verwaltung sie bestätigt hat; alle Mitglieder erhalten "
                      "dazu eine E-Mail."),
            "bic": _("Nur nötig, wenn Ihre Bank nicht in Deutschland sitzt."),
            "account_holder": _("So, wie der Name bei der Bank geführt wird."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_form"].choices = _with_prompt(LegalForm.choices)
        self.fields["applicant_type"].choices = _with_prompt(ApplicantType.choices)
        # The model allows empty bank details (none confirmed yet); the profile always asks for them.
        self.fields["iban"].required = True
        self.fields["account_holder"].required = True
        if self.instance.pk and not self.is_bound:
            # The details as last entered: a change waiting for confirmation, else the confirmed ones.
            if self.instance.has_pending_bank_details:
                self.initial["iban"] = self.instance.pending_iban_formatted
                self.initial["bic"] = self.instance.pending_bic
                self.initial["account_holder"] = self.instance.pending_account_holder
            elif self.instance.iban:
                # Show the IBAN in groups of four, as on a bank card.
                self.initial["iban"] = self.instance.iban_formatted

    def clean_iban(self) -> str:
        iban = re.sub(r"\s+", "", self.cleaned_data.get("iban") or "").upper()
        validate_iban(iban)
        return iban

    def clean_bic(self) -> str:
        bic = re.sub(r"\s+", "", self.cleaned_data.get("bic") or "").upper()
        if bic:
            try:
                BIC(bic)
            except SchwiftyException as exc:
                raise forms.ValidationError(_("Die BIC ist ungültig: %(bic)s"), params={"bic": bic}) from exc
        return bic

    def clean(self):
        cleaned = super().clean()
        postcode = (cleaned.get("postcode") or "").strip()
        if cleaned.get("country") == "DE" and postcode and not re.fullmatch(r"\d{5}", postcode):
            self.add_error("postcode", _("Eine deutsche Postleitzahl hat genau fünf Ziffern."))
        if cleaned.get("applicant_type") == ApplicantType.MUNICIPAL_ASSOCIATION:
            if MEMBERS_FIELD in cleaned and not cleaned[MEMBERS_FIELD]:
                self.add_error(MEMBERS_FIELD, VERBUND_MEMBERS_REQUIRED)
        else:
            cleaned[MEMBERS_FIELD] = []  # only a Verbund has members; anything ticked is dropped
        return cleaned


class InvitationForm(KernForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse der Person"), max_length=254,
        help_text=_("Die Person erhält eine E-Mail mit einem Link. Sie wird Mitglied, wenn sie den Link öffnet, "
                    "während sie mit dieser Adresse angemeldet ist, und den Beitritt bestätigt."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
