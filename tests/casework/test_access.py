"""Who may open which case-work page: the case worker their own cases, the lead the provider's cases,
everybody else 404 (case workers) or 403 (no case-worker right), anonymous users go to the login.
The scope comes from integration_core's selectors; these tests pin it through the pages."""

import pytest
from django.urls import reverse

from integration_core.models import CaseReadLog
from portal.casework import urls as casework_urls
from tests.factories.cases import give_consent
from tests.factories.people import totp_code

from .conftest import login

pytestmark = pytest.mark.django_db

# URL name -> the methods it answers
CASE_URLS = {
    "case_detail": {"get"},
    "frame_edit": {"get", "post"},
    "competences_edit": {"get", "post"},
    "consent_create": {"get", "post"},
    "consent_withdraw": {"get", "post"},
    "goal_add": {"post"},
    "goal_achieved": {"post"},
    "reporting_status": {"post"},
    "extension": {"post"},
    "end": {"post"},
    "handover": {"post"},
}


# Pages whose id is a provider or a membership, for the provider's lead only (test_team_access.py).
TEAM_URLS = {"team", "team_remove"}


def test_matrix_covers_every_case_url():
    with_case = {p.name for p in casework_urls.urlpatterns if "<int:pk>" in str(p.pattern)}
    assert with_case == set(CASE_URLS) | TEAM_URLS


def _url(name, case, consent):
    if name == "consent_withdraw":
        return reverse("casework:consent_withdraw", args=[case.pk, consent.pk])
    if name == "goal_achieved":
        return reverse("casework:goal_achieved", args=[case.pk, 999999])
    return reverse(f"casework:{name}", args=[case.pk])


@pytest.fixture
def consent(case):
    return give_consent(case)


@pytest.mark.parametrize("name", [name for name, methods in CASE_URLS.items() if "get" in methods])
def test_owner_and_lead_open_every_page(client, worker, lead, case, consent, name):
    url = _url(name, case, consent)
    assert login(client, worker).get(url).status_code == 200
    assert login(client, lead).get(url).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(CASE_URLS))
def test_other_case_workers_get_404(client, colleague, stranger, case, consent, name, method):
    url = _url(name, case, consent)
    for user in (colleague, stranger):
        response = getattr(login(client, user), method)(url, {"ziel-area": "language", "ziel-goal": "x"})
        if method not in CASE_URLS[name]:
            assert response.status_code == 405  # same answer for every id: nothing revealed
        else:
            assert response.status_code == 404, (user, url)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(CASE_URLS))
def test_applicant_gets_403(client, applicant, case, consent, name, method):
    response = getattr(login(client, applicant), method)(_url(name, case, consent))
    assert response.status_code == 403
    assert "Kein Zugriff" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(CASE_URLS))
def test_anonymous_goes_to_login(client, case, consent, name, method):
    url = _url(name, case, consent)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["case_list", "case_create"])
def test_list_and_create_need_the_case_worker_right(client, applicant, worker, name):
    url = reverse(f"casework:{name}")
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    assert login(client, applicant).get(url).status_code == 403
    assert login(client, worker).get(url).status_code == 200


def test_lead_sees_colleagues_case_but_not_other_providers(client, lead, colleague_case, stranger):
    from tests.factories.cases import CaseFactory

    foreign = CaseFactory(case_worker=stranger)
    login(client, lead)
    assert client.get(reverse("casework:case_detail", args=[colleague_case.pk])).status_code == 200
    assert client.get(reverse("casework:case_detail", args=[foreign.pk])).status_code == 404


def test_opening_a_case_is_logged_and_refusals_are_not(client, worker, colleague, case):
    url = reverse("casework:case_detail", args=[case.pk])
    login(client, colleague).get(url)
    assert not CaseReadLog.objects.exists()
    login(client, worker).get(url)
    assert list(CaseReadLog.objects.values_list("user_id", "case_id")) == [(worker.pk, case.pk)]


@pytest.mark.parametrize("name", ["case_list", "case_create"])
def test_pages_send_no_store(client, worker, case, name):
    response = login(client, worker).get(reverse(f"casework:{name}"))
    assert "no-store" in response["Cache-Control"]
    response = client.get(reverse("casework:case_detail", args=[case.pk]))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_navigation_links_case_work_only_for_case_workers(client, worker, applicant):
    link = f'href="{reverse("casework:case_list")}"'
    assert link in login(client, worker).get(reverse("portal:dashboard")).content.decode()
    assert link not in login(client, applicant).get(reverse("portal:dashboard")).content.decode()


def test_case_workers_land_in_their_case_list_after_login(client, worker, applicant):
    response = client.post(reverse("account_login"), {"login": worker.email, "password": "demo-pass-123"})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(worker)})
    assert response["Location"] == reverse("casework:case_list")
    client.logout()
    response = client.post(reverse("account_login"), {"login": applicant.email, "password": "demo-pass-123"})
    assert response["Location"] == reverse("portal:dashboard")
