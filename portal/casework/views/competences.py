"""Part A (Kompetenzerfassung) of a plan, on a page of its own: it is the long part."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from integration_core.cases import parts
from integration_core.cases.access import case_for_read
from integration_core.cases.consent import counselling_consent_refusal
from integration_core.cases.services_parts import competences_save
from integration_core.models import ReadPurpose

from ..forms.competences import (
    SPECIAL_CATEGORY_HINT,
    CompetencesForm,
    child_formset,
    children_rows,
    language_formset,
    language_rows,
)
from .base import CaseworkView, add_service_error, error_entries
from .case_page import competences_of

PURPOSE = ReadPurpose.PART_A_EDIT


class CompetencesEditView(CaseworkView):
    template_name = "casework/competences_form.html"

    def render_form(self, request, case, form, children, languages):
        return render(request, self.template_name, {
            "case": case, "form": form, "children": children, "languages": languages,
            "errors": error_entries(form, [(children, _("Kind")), (languages, _("Sprache"))]),
            "special_hint": SPECIAL_CATEGORY_HINT,
        })

    def no_part_a(self, request, case):
        if parts.Part.PART_A in parts.required_parts(case.counselling_type):
            return None
        messages.info(request, _("Zur Art der Beratung „%(type)s“ gehört kein Teil A. Ändern Sie bei Bedarf die Art "
                                 "der Beratung in den Rahmendaten.") % {"type": case.get_counselling_type_display()})
        return redirect("casework:case_detail", pk=case.pk)

    def get(self, request, pk):
        case = case_for_read(user=request.user, case_id=pk, purpose=PURPOSE)
        refusal = self.no_part_a(request, case)
        if refusal:
            return refusal
        no_consent = counselling_consent_refusal(case)
        if no_consent:
            # Before the long form is filled in: the save would be refused (competences_save checks again).
            messages.warning(request, no_consent)
            return redirect(reverse("casework:case_detail", args=[pk]) + "#einwilligung")
        competences = competences_of(case)
        if competences is None:
            form, children, languages = CompetencesForm(), child_formset(), language_formset()
        else:
            form = CompetencesForm(instance=competences, courses=competences.german_courses.all())
            children = child_formset(children=competences.children.all())
            languages = language_formset(languages=competences.languages.all())
        return self.render_form(request, case, form, children, languages)

    def post(self, request, pk):
        form = CompetencesForm(request.POST)
        children, languages = child_formset(request.POST), language_formset(request.POST)
        if form.is_valid() and children.is_valid() and languages.is_valid():
            try:
                competences_save(
                    user=request.user, case_id=pk, data=form.service_data(), children=children_rows(children),
                    languages=language_rows(languages), german_courses=form.german_courses(),
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Teil A ist gespeichert."))
                return redirect(reverse("casework:case_detail", args=[pk]) + "#teil-a")
        case = case_for_read(user=request.user, case_id=pk, purpose=PURPOSE)
        return self.render_form(request, case, form, children, languages)
