"""Forms of the committee screens: a new meeting with its members, conflicts, attendance, the decisions.

German labels and errors throughout; what only the services can know (frozen agenda, caps, votes against
attendance) comes back from them as ValidationError and lands in the form's error summary.
"""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from ...models import AgendaItem, ConflictOfInterest, MeetingMember
from ..forms import GERMAN_DATE

DATE_ERRORS = {"required": _("Bitte geben Sie ein Datum an."),
               "invalid": _("Bitte geben Sie ein Datum wie 31.12.2026 an.")}
MEMBER_ROWS = 15  # rows of the members formset: a district's social committee has fewer members (empty rows ignored)


def add_service_errors(form: forms.Form, exc) -> None:
    """A service's ValidationError on top of the form (its messages already say which item)."""
    for message in exc.messages:
        form.add_error(None, message)


class MeetingForm(forms.Form):
    committee = forms.CharField(
        label=_("Gremium"), max_length=200, initial=_("Sozialausschuss"),
        error_messages={"required": _("Bitte geben Sie das Gremium an.")},
    )
    date = forms.DateField(label=_("Sitzungstag"), widget=AdminDateInput(format=GERMAN_DATE),
                           error_messages=DATE_ERRORS)
    is_public = forms.TypedChoiceField(
        label=_("Sitzung"), choices=[("1", _("öffentlich")), ("0", _("nichtöffentlich"))], initial="1",
        coerce=lambda value: value == "1", widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie, ob die Sitzung öffentlich ist.")},
    )
    paper_number = forms.CharField(label=_("Drucksachen-Nr."), max_length=40, required=False,
                                   help_text=_("Nummer der Beschlussvorlage, z. B. SOZ/2026/014."))
    location = forms.CharField(label=_("Sitzungsort"), max_length=200, required=False)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    group = forms.CharField(label=_("Fraktion / Organisation"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Funktion"), choices=MeetingMember.Role.choices,
                             initial=MeetingMember.Role.MEMBER)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("name") or "").strip() and (cleaned.get("group") or "").strip():
            self.add_error("name", _("Bitte geben Sie den Namen des Mitglieds an."))
        return cleaned


class BaseMemberFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        names = [f.cleaned_data["name"].strip() for f in self.forms
                 if getattr(f, "cleaned_data", None) and f.cleaned_data.get("name", "").strip()]
        if not names:
            raise forms.ValidationError(_("Tragen Sie mindestens ein Mitglied des Gremiums ein."))
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("Jeder Name darf nur einmal vorkommen."))

    def members(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data.get("name", "").strip()]


MemberFormSet = forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=MEMBER_ROWS, max_num=40,
                                      validate_max=True)


class AgendaAddForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("Empfohlene Anträge"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Wählen Sie mindestens einen Antrag."),
                        "invalid_choice": _("Mindestens ein gewählter Antrag kann nicht mehr auf die Tagesordnung."),
                        "invalid_pk_value": _("Ungültige Auswahl.")},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset


class ConflictForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Tagesordnungspunkt"), queryset=AgendaItem.objects.none(),
                                  error_messages={"required": _("Wählen Sie den Tagesordnungspunkt."),
                                                  "invalid_choice": _("Ungültige Auswahl.")})
    member = forms.ModelChoiceField(label=_("Mitglied"), queryset=MeetingMember.objects.none(),
                                    error_messages={"required": _("Wählen Sie das befangene Mitglied."),
                                                    "invalid_choice": _("Ungültige Auswahl.")})
    reason = forms.ChoiceField(label=_("Grund"), choices=[("", "—"), *ConflictOfInterest.Reason.choices],
                               error_messages={"required": _("Wählen Sie den Grund der Befangenheit.")})
    note = forms.CharField(label=_("Erläuterung (optional)"), max_length=300, required=False,
                           help_text=_("Erscheint in der Beschlussvorlage und in der Niederschrift."))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.select_related("application__organisation").order_by(
            "position", "pk")
        self.fields["item"].label_from_instance = lambda item: _item_label(item)
        self.fields["member"].queryset = meeting.members.all()


def _item_label(item: AgendaItem) -> str:
    number = item.snapshot.get("file_number") or item.application.file_number
    applicant = item.snapshot.get("applicant") or item.application.organisation.name
    return f"{item.position}. {number} – {applicant}"


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Anwesend"), queryset=MeetingMember.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, error_messages={"invalid_choice": _("Ungültige Auswahl.")},
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = meeting.members.all()
        self.fields["present"].label_from_instance = lambda m: f"{m.name} ({m.get_role_display()})"


OUTCOMES = [("", "—"), *AgendaItem.Outcome.choices]


def _votes(label):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=999,
                              widget=forms.NumberInput(attrs={"class": "w-w-20"}),
                              error_messages={"invalid": _("Bitte eine ganze Zahl angeben."),
                                              "min_value": _("Die Zahl darf nicht negativ sein.")})


class DecisionsForm(forms.Form):
    """One form for the whole agenda: a date and per item outcome, amount, votes, note (fields named by item)."""

    resolution_date = forms.DateField(label=_("Beschlussdatum"), widget=AdminDateInput(format=GERMAN_DATE),
                                      error_messages=DATE_ERRORS)

    def __init__(self, *args, meeting, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["resolution_date"].initial = min(meeting.date, timezone.localdate())
        for item in items:
            top = _("TOP %(position)s") % {"position": item.position}
            self.fields[f"outcome_{item.pk}"] = forms.ChoiceField(
                label=f"{top} – {_('Beschluss')}", choices=OUTCOMES,
                error_messages={"required": _("Bitte wählen Sie den Beschluss."),
                                "invalid_choice": _("Ungültige Auswahl.")})
            self.fields[f"amount_{item.pk}"] = forms.DecimalField(
                label=f"{top} – {_('beschlossener Betrag (€)')}", required=False, max_digits=12, decimal_places=2,
                min_value=Decimal("0.01"), localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                error_messages={"invalid": _("Bitte geben Sie einen Betrag wie 1.250,00 an."),
                                "min_value": _("Der Betrag muss größer als 0 sein."),
                                "max_decimal_places": _("Bitte höchstens zwei Nachkommastellen angeben.")})
            self.fields[f"yes_{item.pk}"] = _votes(f"{top} – {_('Ja')}")
            self.fields[f"no_{item.pk}"] = _votes(f"{top} – {_('Nein')}")
            self.fields[f"abstain_{item.pk}"] = _votes(f"{top} – {_('Enthaltung')}")
            # Printed as the reasons of a rejection or a changed amount and sent to the applicant: say so.
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=f"{top} – {_('Begründung')}", required=False,
                help_text=_("Erscheint im Bescheid und in der Nachricht an die Antragstellerin / den Antragsteller."),
                widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            outcome, amount = cleaned.get(f"outcome_{item.pk}"), cleaned.get(f"amount_{item.pk}")
            if outcome == AgendaItem.Outcome.APPROVED_CHANGED and amount is None \
                    and f"amount_{item.pk}" not in self.errors:
                self.add_error(f"amount_{item.pk}", _("Geben Sie den beschlossenen Betrag an."))
            elif outcome and outcome != AgendaItem.Outcome.APPROVED_CHANGED and amount is not None:
                self.add_error(f"amount_{item.pk}", _("Einen Betrag gibt es nur bei „bewilligt mit anderem Betrag“."))
        return cleaned

    def rows(self):
        """Per item the bound fields, for the table of the template."""
        return [(item, {name: self[f"{name}_{item.pk}"] for name in ("outcome", "amount", "yes", "no", "abstain",
                                                                      "note")}) for item in self.items]

    def decisions(self):
        from ...services.committee import Decision

        data = self.cleaned_data
        return [Decision(item_id=item.pk, outcome=data[f"outcome_{item.pk}"], amount=data[f"amount_{item.pk}"],
                         votes_yes=data[f"yes_{item.pk}"], votes_no=data[f"no_{item.pk}"],
                         votes_abstain=data[f"abstain_{item.pk}"], note=data[f"note_{item.pk}"])
                for item in self.items]
