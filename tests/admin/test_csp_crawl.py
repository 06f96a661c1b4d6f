"""A representative set of pages, each as the user who works with it, holds under the CSP: no inline script
without the response's nonce, no inline event handler, no ``javascript:`` URL."""

import pytest
from django.urls import reverse

from cms.models import HomePage, ProgrammePage
from cms.setup import ensure_site_tree
from grants.models import PayoutBatch
from grants.states import State
from portal.security_headers import add_nonce_to_initialisers, is_wagtail_initialiser
from tests.csp import csp_offences
from tests.factories import UserFactory

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(people, application_in):
    paid = application_in(State.PAID)
    ensure_site_tree(programmes=[paid.programme])
    submitted = application_in(State.SUBMITTED)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    return {
        "paid": paid,
        "submitted": submitted,
        "programme_page": ProgrammePage.objects.get(programme=paid.programme),
        "superuser": superuser,
    }


def pages(site, people):
    paid, submitted, programme_page = site["paid"], site["submitted"], site["programme_page"]
    batch = PayoutBatch.objects.filter(items__application=paid).get()
    yield None, "/"
    yield None, programme_page.url
    yield people.applicant, reverse("portal:dashboard")
    yield people.applicant, reverse("portal:application_create", args=[submitted.programme.code])
    yield people.applicant, reverse("portal:settlement", args=[paid.pk])
    yield people.staff, "/admin/"
    yield people.staff, reverse("antraege:index")
    yield people.staff, reverse("antraege:detail", args=[submitted.pk])
    yield people.finance, reverse("zahlungslaeufe:detail", args=[batch.pk])
    yield site["superuser"], reverse("wagtailadmin_pages:edit", args=[programme_page.pk])
    yield site["superuser"], reverse("wagtailadmin_pages:edit", args=[HomePage.objects.get().pk])
    # No snippets are registered; the programme's edit form is the model edit view that stands for them.
    yield site["superuser"], reverse("foerderprogramme:edit", args=[paid.programme.pk])


def test_pages_hold_under_the_csp(client, people, site):
    checked = 0
    for user, url in pages(site, people):
        client.logout()
        if user is not None:
            login(client, user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert csp_offences(response) == [], url
        checked += 1
    assert checked == 12


def test_case_list_holds_under_the_csp(client):
    from tests.factories.cases import ProviderFactory, case_worker

    login(client, case_worker(ProviderFactory()))
    response = client.get(reverse("casework:case_list"))
    assert response.status_code == 200
    assert csp_offences(response) == []


def test_date_widget_initialiser_gets_the_nonce_in_the_page_editor(client, site):
    # The page editor's scheduling dialog holds Wagtail's date-time widgets, rendered with inline
    # initialisers: the middleware gives exactly those the nonce.
    login(client, site["superuser"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[site["programme_page"].pk])).content.decode()
    assert "initDateTimeChooser(" in html
    assert "<script>initDateTimeChooser(" not in html


@pytest.mark.parametrize(
    "body",
    [
        'initDateChooser("id_go_live_at", {"dayOfWeekStart": 1});',
        'new PageChooser("id_page", {"modalUrl": "/admin/choose-page/"});',
        ' createTaskChooser("id_task") ',
    ],
)
def test_wagtail_initialisers_are_recognised(body):
    assert is_wagtail_initialiser(body)


@pytest.mark.parametrize(
    "body",
    [
        "alert(1)",
        'initDateChooser("x", {}); alert(1);',
        'initDateChooser("x", alert(1));',
        'fetch("/x", {"a": 1});',
        'new PageChooser("x", {"a": "<!--<script>"});',
        'initDateChooser("x", {"a": 1}, window.name);',
    ],
)
def test_any_other_inline_script_gets_no_nonce(body):
    assert not is_wagtail_initialiser(body)
    html = f"<p><script>{body}</script></p>"
    assert add_nonce_to_initialisers(html, "N0NCE") == html


def test_the_nonce_is_added_to_an_initialiser():
    html = '<input id="d"><script>initDateChooser("d", {"a": 1});</script>'
    assert add_nonce_to_initialisers(html, "N0NCE") == (
        '<input id="d"><script nonce="N0NCE">initDateChooser("d", {"a": 1});</script>'
    )
