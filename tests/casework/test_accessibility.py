"""Accessibility basics on every case-work page (same checks as the applicant portal): lang, title, one h1,
a legend for every fieldset, a label for every control, in-page links that hit an element."""

import pytest
from django.urls import reverse

from tests.factories.cases import GoalFactory, give_consent
from tests.portal.test_accessibility import check_page

from .conftest import login

pytestmark = pytest.mark.django_db


def test_every_page_passes_the_basic_checks(client, lead, worker, full_case, one_off_case):
    GoalFactory(case=full_case)
    consent = give_consent(full_case)
    urls = [
        reverse("casework:case_list"),
        reverse("casework:case_create"),
        reverse("casework:case_detail", args=[full_case.pk]),
        reverse("casework:case_detail", args=[one_off_case.pk]),
        reverse("casework:frame_edit", args=[full_case.pk]),
        reverse("casework:competences_edit", args=[full_case.pk]),
        reverse("casework:consent_create", args=[full_case.pk]),
        reverse("casework:consent_withdraw", args=[full_case.pk, consent.pk]),
    ]
    for user in (worker, lead):
        login(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            check_page(response.content.decode())


def test_error_pages_link_each_error_to_its_control(client, worker, full_case):
    login(client, worker)
    goal = GoalFactory(case=full_case)
    pages = [
        client.post(reverse("casework:goal_add", args=[full_case.pk]), {"ziel-area": "", "ziel-goal": ""}),
        client.post(reverse("casework:goal_achieved", args=[full_case.pk, goal.pk]), {}),
        client.post(reverse("casework:reporting_status", args=[full_case.pk]), {"stand-reporting_date": "x"}),
        client.post(reverse("casework:end", args=[full_case.pk]), {}),
        client.post(reverse("casework:handover", args=[full_case.pk]), {}),
        client.post(reverse("casework:frame_edit", args=[full_case.pk]), {}),
        client.post(reverse("casework:competences_edit", args=[full_case.pk]), {"household_size": "x"}),
        client.post(reverse("casework:consent_create", args=[full_case.pk]), {}),
    ]
    for response in pages:
        html = response.content.decode()
        page = check_page(html)
        assert "<title>Fehler: " in html
        assert any(href.startswith("#id_") for href in page.links), html[:500]
