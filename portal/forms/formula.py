"""The application form of a formula programme (e.g. the Soforthilfe): no cost plan, the funded posts instead.

The amount is not applied for: it comes from the allocation run (share of the pot by population).
What must be there before submission is checked by ``grants.rules.missing_items``.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import Application, FundedPost
from grants.services.applications import PostData, post_fte_error

from .applications import DECLARATIONS, ApplicationForm
from .kern import DraftFormMixin, KernForm, date_widget

FORMULA_NEEDED_FOR_SUBMISSION = ("summary", "planned_start", "planned_end", "contact_name", "contact_email",
                                 *DECLARATIONS)
POST_PREFIX = "stellen"
# Empty rows shown without JavaScript; "Zeile hinzufügen" adds more.
POST_ROWS = 3


def _label(name: str):
    return Application._meta.get_field(name).verbose_name


class FormulaApplicationForm(DraftFormMixin, KernForm):
    needed_later = FORMULA_NEEDED_FOR_SUBMISSION

    title = forms.CharField(label=_label("title"), max_length=200,
                            help_text=_("z. B. Integrationsmanagement der Gemeinde 2026"))
    summary = forms.CharField(label=_label("summary"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Wofür setzen Sie die Zuweisung ein? Zwei bis fünf Sätze genügen."))
    planned_start = forms.DateField(label=_("Förderzeitraum von"), widget=date_widget())
    planned_end = forms.DateField(label=_("Förderzeitraum bis"), widget=date_widget())
    early_start_requested = ApplicationForm.base_fields["early_start_requested"]
    early_start_reason = ApplicationForm.base_fields["early_start_reason"]
    contact_name = forms.CharField(label=_("Name"), max_length=200,
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_email = forms.EmailField(label=_("E-Mail-Adresse"),
                                     widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    contact_phone = forms.CharField(label=_("Telefon"), max_length=40, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    declaration_truthful = ApplicationForm.base_fields["declaration_truthful"]
    declaration_not_started = ApplicationForm.base_fields["declaration_not_started"]
    declaration_privacy = ApplicationForm.base_fields["declaration_privacy"]
    declaration_conditions = ApplicationForm.base_fields["declaration_conditions"]

    def __init__(self, *args, programme, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        if organisations is not None and len(organisations) > 1:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Antragstellende Organisation"), queryset=organisations, empty_label=_("Bitte wählen"),
            )
            self.order_fields(["organisation"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("Das Ende des Förderzeitraums liegt vor seinem Beginn."))
        return cleaned

    def service_data(self) -> dict:
        """Only the fields of a formula application: the project fields (place, cost plan …) stay untouched."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "organisation"}
        for name in ("summary", "early_start_reason", "contact_name", "contact_email", "contact_phone"):
            data[name] = (data.get(name) or "").strip()
        return data


def formula_initial(application: Application) -> dict:
    return {name: getattr(application, name) for name in FormulaApplicationForm.base_fields}


def contact_initial(organisation) -> dict:
    """A new application starts with the organisation's contact; the applicant may name someone else."""
    if organisation is None:
        return {}
    return {"contact_name": organisation.contact_name, "contact_email": organisation.contact_email,
            "contact_phone": organisation.contact_phone}


class PostForm(DraftFormMixin, KernForm):
    # Both are needed for a row; an empty row is ignored (see clean and posts).
    needed_later = ("title", "fte")
    title = forms.CharField(label=_("Bezeichnung der Stelle"), max_length=200,
                            help_text=_("z. B. Integrationsmanager:in"))
    fte = forms.CharField(
        label=_("Stellenumfang (VZÄ)"), max_length=10, help_text=_("0,01 bis 1,00 – z. B. 0,5 für eine halbe Stelle"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean_fte(self):
        text = (self.cleaned_data.get("fte") or "").strip().replace(" ", "")
        if not text:
            return None
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(
                _("Geben Sie den Stellenumfang als Zahl an, z. B. 0,5 für eine halbe Stelle.")) from None
        error = post_fte_error(value)
        if error:
            raise forms.ValidationError(error)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE"):
            return cleaned
        title, fte = (cleaned.get("title") or "").strip(), cleaned.get("fte")
        if fte is not None and not title:
            self.add_error("title", _("Geben Sie die Bezeichnung der Stelle an."))
        if title and fte is None and "fte" not in self.errors:
            self.add_error("fte", _("Geben Sie den Stellenumfang dieser Stelle an."))
        return cleaned


class BasePostFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Diese Stelle entfernen")

    def posts(self) -> list[PostData]:
        """The filled, not removed rows, in order; empty rows are ignored."""
        posts = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not (data.get("title") or "").strip():
                continue
            posts.append(PostData(title=data["title"].strip(), fte=data["fte"]))
        return posts


def _post_formset_class(extra: int):
    return forms.formset_factory(
        PostForm, formset=BasePostFormSet, extra=extra, can_delete=True, max_num=20, validate_max=True,
    )


PostFormSet = _post_formset_class(1)


def post_formset(data=None, *, initial=None):
    """Bound: the posted rows. Unbound: the stored posts plus empty rows up to ``POST_ROWS`` (at least one)."""
    if data is not None:
        return PostFormSet(data, prefix=POST_PREFIX)
    initial = initial or []
    return _post_formset_class(max(POST_ROWS - len(initial), 1))(initial=initial or None, prefix=POST_PREFIX)


def posts_initial(posts: list[FundedPost]) -> list[dict]:
    # The German decimal comma, as the applicant types it.
    return [{"title": post.title, "fte": f"{post.fte:.2f}".replace(".", ",")} for post in posts]
