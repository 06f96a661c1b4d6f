"""Part A: fieldsets per area, rows for children, languages and German courses, special-category fields
labelled as such, and "Eigenständiges Leben" shown as derived, never typed in."""

import pytest
from django.urls import reverse

from integration_core.models import Competences, GermanLevel

from .conftest import login

pytestmark = pytest.mark.django_db


def _management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "10"}


def _part_a(**overrides):
    data = {
        "marital_status": "married", "household_size": "4", "single_parent": "false",
        "first_language": "Arabisch", "literate": "true", "literate_latin": "true",
        "german_level": str(GermanLevel.B1), "school_attended": "true", "school_years": "12",
        "school_recognition": "in_progress", "labour_status": "unemployed", "housing": "own_flat",
        "skill_areas": ["it", "crafts"], "driving_licence": "true", "licence_valid_in_germany": "false",
        "residence_status": "humanitarian", "disability": "no",
        "course_bamf_integration_attended": "on", "course_bamf_integration_certificate": "on",
        "course_job_oriented_current": "on",
        **_management("kinder", 2), "kinder-0-gender": "w", "kinder-0-birth_year": "2016", "kinder-0-care": "school",
        "kinder-1-care": "none",
        **_management("sprachen", 2), "sprachen-0-language": "Englisch", "sprachen-0-level": "fluent",
    }
    data.update(overrides)
    return data


def test_part_a_page_has_a_fieldset_per_area_and_labels_special_categories(client, worker, case):
    html = login(client, worker).get(reverse("casework:competences_edit", args=[case.pk])).content.decode()
    for area in ("Person und Haushalt", "Sprachen und Deutschkenntnisse", "Schulbildung", "Berufsabschluss",
                 "Studium", "Arbeit und Ausbildung", "Besondere Kenntnisse", "Mobilität", "Wohnen",
                 "Aufenthaltsrechtlicher Status", "Gesundheit und Behinderung"):
        assert f"{area}" in html
    assert html.count("besondere Kategorie (Art. 9 DSGVO)") == 2
    assert "verschlüsselt gespeichert" in html
    # The ordered German scale, and no input for the derived "Eigenständiges Leben".
    assert "unter A1" in html
    assert ">C2<" in html
    assert "independent" not in html


def test_save_part_a_with_rows(client, worker, case):
    response = login(client, worker).post(reverse("casework:competences_edit", args=[case.pk]), _part_a())
    assert response.status_code == 302, response.content.decode()[:3000]
    competences = Competences.objects.get(case=case)
    assert competences.german_level == GermanLevel.B1
    assert competences.skill_areas == ["crafts", "it"]
    assert competences.residence_status == "humanitarian"
    assert competences.licence_valid_in_germany is False
    assert competences.single_parent is False
    assert [(c.gender, c.birth_year, c.care) for c in competences.children.all()] == [("w", 2016, "school")]
    assert [(s.language, s.level) for s in competences.languages.all()] == [("Englisch", "fluent")]
    courses = {(c.kind, c.certificate, c.current) for c in competences.german_courses.all()}
    assert courses == {("bamf_integration", True, False), ("job_oriented", False, True)}


def test_saved_values_come_back_into_the_form(client, worker, case):
    login(client, worker)
    client.post(reverse("casework:competences_edit", args=[case.pk]), _part_a())
    html = client.get(reverse("casework:competences_edit", args=[case.pk])).content.decode()
    assert 'value="Englisch"' in html
    assert 'name="course_bamf_integration_certificate" id="id_course_bamf_integration_certificate" checked' in html
    assert 'value="humanitarian" selected' in html


def test_independent_living_is_derived_on_the_case_page(client, worker, case):
    login(client, worker)
    page = reverse("casework:case_detail", args=[case.pk])
    assert "Eigenständiges Leben: noch nicht erreicht" in client.get(page).content.decode()
    client.post(reverse("casework:competences_edit", args=[case.pk]), _part_a())  # B1 + own flat = 2 of 3
    html = client.get(page).content.decode()
    assert "Eigenständiges Leben: erreicht" in html
    assert "Zurzeit treffen 2 von 3 zu." in html


def test_bad_part_a_input_gives_german_errors_and_saves_nothing(client, worker, case):
    data = _part_a(household_size="viele", **{"sprachen-0-level": ""})
    response = login(client, worker).post(reverse("casework:competences_edit", args=[case.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_household_size"' in html
    assert 'href="#id_sprachen-0-level"' in html
    assert "Bitte geben Sie das Niveau an." in html
    assert not Competences.objects.exists()


def test_service_rule_on_part_a_is_shown_on_its_field(client, worker, case):
    data = _part_a(literate="false", literate_latin="true")
    html = login(client, worker).post(reverse("casework:competences_edit", args=[case.pk]), data).content.decode()
    assert "Wer nicht alphabetisiert ist" in html
    assert 'href="#id_literate_latin"' in html
    assert not Competences.objects.exists()


def test_fields_needed_for_a_complete_part_a_are_not_marked_optional(client, worker, case):
    html = login(client, worker).get(reverse("casework:competences_edit", args=[case.pk])).content.decode()
    for name in ("german_level", "labour_status", "housing", "household_size", "first_language"):
        label = html.split(f'for="id_{name}"')[1].split("</label>")[0]
        assert "optional" not in label, name
    assert "optional" in html.split('for="id_vocation"')[1].split("</label>")[0]
