"""The counselling type decides which parts of the plan the pages show and require (Singen "wenn-dann")."""

import pytest
from django.urls import reverse

from integration_core.models import Case, ConsentPurposeKind, CounsellingType
from tests.factories.cases import CaseFactory, GoalFactory, give_consent

from .conftest import login

pytestmark = pytest.mark.django_db

PART_A = 'id="teil-a"'
PART_B_FORM = 'id="neues-ziel"'


def _page(client, case) -> str:
    return client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()


@pytest.mark.parametrize(("kind", "part_a", "part_b", "parts_label"), [
    (CounsellingType.ONE_OFF, False, False, "Rahmendaten"),
    (CounsellingType.SIMPLE, True, False, "Rahmendaten + Teil A: Kompetenzerfassung"),
    (CounsellingType.FULL, True, True, "Rahmendaten + Teil A: Kompetenzerfassung + Teil B: Zielvereinbarung"),
])
def test_case_page_shows_exactly_the_parts_of_the_type(client, worker, kind, part_a, part_b, parts_label):
    case = CaseFactory(case_worker=worker, counselling_type=kind, with_consent=True)
    html = _page(login(client, worker), case)
    assert (PART_A in html) is part_a
    assert (PART_B_FORM in html) is part_b
    assert parts_label in html
    assert ("Eigenständiges Leben" in html) is part_a  # derived from Part A, shown with it


def test_simple_counselling_may_open_part_b_on_request(client, worker, case):
    login(client, worker)
    assert PART_B_FORM not in _page(client, case)
    html = client.get(reverse("casework:case_detail", args=[case.pk]) + "?teil_b=1").content.decode()
    assert PART_B_FORM in html
    assert "freiwillig" in html


def test_missing_required_parts_are_named(client, worker, full_case):
    html = _page(login(client, worker), full_case)
    assert "Noch nicht vollständig" in html
    assert "Teil A (Kompetenzerfassung) ist noch nicht ausgefüllt." in html
    assert "Teil B (Zielvereinbarung) braucht mindestens ein Ziel." in html


def test_one_off_enquiry_has_no_part_a_page(client, worker, one_off_case):
    response = login(client, worker).get(reverse("casework:competences_edit", args=[one_off_case.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case_detail", args=[one_off_case.pk])


def _frame_data(case, **overrides) -> dict:
    data = {
        "first_name": case.first_name, "last_name": case.last_name, "birth_year": "1990", "gender": "w",
        "country_of_origin": "sy", "municipality": str(case.municipality_id), "counselling_type": case.counselling_type,
        "first_contact_on": case.first_contact_on.isoformat(), "referral": "authority",
        "agreement_signed_on": case.first_contact_on.isoformat(),
    }
    data.update(overrides)
    return data


def test_changing_the_type_changes_the_parts_shown(client, worker, one_off_case):
    give_consent(one_off_case, ConsentPurposeKind.COUNSELLING)
    login(client, worker)
    assert PART_A not in _page(client, one_off_case)
    response = client.post(reverse("casework:frame_edit", args=[one_off_case.pk]),
                           _frame_data(one_off_case, counselling_type=CounsellingType.FULL))
    assert response.status_code == 302
    one_off_case.refresh_from_db()
    assert one_off_case.counselling_type == CounsellingType.FULL
    html = _page(client, one_off_case)
    assert PART_A in html
    assert PART_B_FORM in html


def test_type_change_refused_by_the_service_is_shown_and_nothing_saved(client, worker, full_case):
    GoalFactory(case=full_case)
    login(client, worker)
    response = client.post(reverse("casework:frame_edit", args=[full_case.pk]),
                           _frame_data(full_case, counselling_type=CounsellingType.ONE_OFF, first_name="Neu"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in html
    assert "Teil B" in html
    full_case.refresh_from_db()
    assert full_case.counselling_type == CounsellingType.FULL
    assert full_case.first_name != "Neu"


def test_create_case_then_the_page_shows_its_parts(client, worker, case):
    login(client, worker)
    data = _frame_data(case, first_name="Samir", last_name="Nasser", counselling_type=CounsellingType.SIMPLE)
    response = client.post(reverse("casework:case_create"), data)
    created = Case.objects.get(last_name="Nasser")
    assert response["Location"] == reverse("casework:case_detail", args=[created.pk])
    assert created.case_worker == worker
    assert created.provider == case.provider
    assert created.country_of_origin == "SY"
    html = _page(client, created)
    assert PART_A in html
    assert PART_B_FORM not in html


def test_create_with_bad_input_gives_german_errors_and_saves_nothing(client, worker):
    before = Case.objects.count()
    response = login(client, worker).post(reverse("casework:case_create"), {
        "first_name": "Samir", "first_contact_on": "gestern", "counselling_type": "", "referral": "authority",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in html
    assert 'href="#id_first_contact_on"' in html
    assert 'href="#id_municipality"' in html
    assert "Dieses Feld ist zwingend erforderlich." in html or "Bitte" in html
    assert "<title>Fehler: " in html
    assert Case.objects.count() == before


def test_frame_fields_the_plan_needs_are_not_marked_optional(client, worker):
    html = login(client, worker).get(reverse("casework:case_create")).content.decode()
    birth_year_label = html.split('for="id_birth_year"')[1].split("</label>")[0]
    assert "optional" not in birth_year_label
    phone_label = html.split('for="id_phone"')[1].split("</label>")[0]
    assert "optional" in phone_label


def test_lead_may_create_a_case_for_a_colleague(client, lead, colleague, case):
    login(client, lead)
    data = _frame_data(case, last_name="Zugeordnet", case_worker=str(colleague.pk))
    client.post(reverse("casework:case_create"), data)
    assert Case.objects.get(last_name="Zugeordnet").case_worker == colleague


def test_case_worker_cannot_pick_another_case_worker(client, worker, colleague, case):
    html = login(client, worker).get(reverse("casework:case_create")).content.decode()
    assert 'name="case_worker"' not in html


def test_optional_part_b_stays_open_when_a_posted_goal_has_errors(client, worker, case):
    response = login(client, worker).post(reverse("casework:goal_add", args=[case.pk]), {"ziel-goal": ""})
    html = response.content.decode()
    assert PART_B_FORM in html
    assert 'href="#id_ziel-goal"' in html
    assert 'id="id_ziel-goal"' in html
