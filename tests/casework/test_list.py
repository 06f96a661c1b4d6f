"""The case list: own cases (the lead: the provider's), search, filters, the duration badge, paging,
a number of queries that does not grow with the cases, and the read log of the cases shown."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integration_core.cases.duration import add_years
from integration_core.models import CaseReadLog, CounsellingType, ReadPurpose
from portal.accounts.roles import DATA_PROTECTION
from tests.factories import role_user
from tests.factories.cases import CaseFactory

from .conftest import login

pytestmark = pytest.mark.django_db
URL = "/fallarbeit/"


def _started_for_end_in(days: int):
    """A first contact whose regular end (3 years minus a day) lies ``days`` from today."""
    end = timezone.localdate() + timedelta(days=days)
    return add_years(end + timedelta(days=1), -3)


def test_case_worker_sees_own_cases_only(client, worker, case, colleague_case, stranger):
    foreign = CaseFactory(case_worker=stranger)
    html = login(client, worker).get(URL).content.decode()
    assert case.number in html
    assert colleague_case.number not in html
    assert foreign.number not in html


def test_lead_sees_the_providers_cases_with_their_case_worker(client, lead, case, colleague_case, stranger):
    foreign = CaseFactory(case_worker=stranger)
    html = login(client, lead).get(URL).content.decode()
    assert case.number in html
    assert colleague_case.number in html
    assert foreign.number not in html
    assert "Lena Vogt" in html
    assert "Jonas Brandt" in html


def test_search_by_name_and_by_number(client, worker):
    amani = CaseFactory(case_worker=worker, first_name="Amani", last_name="Yusuf")
    other = CaseFactory(case_worker=worker, first_name="Dara", last_name="Rahimi")
    login(client, worker)
    html = client.get(URL, {"q": "amani yus"}).content.decode()
    assert amani.number in html
    assert other.number not in html
    html = client.get(URL, {"q": other.number}).content.decode()
    assert other.number in html
    assert amani.number not in html
    html = client.get(URL, {"q": str(other.pk)}).content.decode()
    assert other.number in html
    assert amani.number not in html


def test_filter_by_counselling_type(client, worker, case, full_case):
    html = login(client, worker).get(URL, {"counselling_type": CounsellingType.FULL}).content.decode()
    assert full_case.number in html
    assert case.number not in html


def test_filter_by_status(client, worker):
    running = CaseFactory(case_worker=worker)
    ending = CaseFactory(case_worker=worker, first_contact_on=_started_for_end_in(30))
    overdue = CaseFactory(case_worker=worker, first_contact_on=_started_for_end_in(-5))
    ended = CaseFactory(case_worker=worker, ended_on=timezone.localdate(), end_reason="no_further_need")
    login(client, worker)
    expectations = {
        "offen": {running, ending, overdue},
        "endet_bald": {ending},
        "abgelaufen": {overdue},
        "beendet": {ended},
    }
    everyone = {running, ending, overdue, ended}
    for status, shown in expectations.items():
        html = client.get(URL, {"status": status}).content.decode()
        for case in everyone:
            assert (case.number in html) is (case in shown), (status, case.number)


def test_badge_for_plans_near_or_past_their_end(client, worker):
    CaseFactory(case_worker=worker, first_contact_on=_started_for_end_in(30))
    CaseFactory(case_worker=worker, first_contact_on=_started_for_end_in(-5))
    CaseFactory(case_worker=worker, first_contact_on=_started_for_end_in(61))
    html = login(client, worker).get(URL).content.decode()
    assert html.count("kern-badge--warning") == 1
    assert "endet in 30 Tagen" in html
    assert html.count("kern-badge--danger") == 1
    assert "Dauer überschritten" in html


def test_paginated(client, worker):
    CaseFactory.create_batch(27, case_worker=worker)
    login(client, worker)
    first = client.get(URL).content.decode()
    assert "Seite 1 von 2" in first
    assert "27 Fälle" in first
    second = client.get(URL, {"seite": 2, "counselling_type": CounsellingType.SIMPLE}).content.decode()
    assert "Seite 2 von 2" in second
    assert "counselling_type=simple&amp;seite=1" in second


def test_query_count_does_not_grow_with_the_cases(client, lead, colleague, django_assert_max_num_queries):
    login(client, lead)
    CaseFactory.create_batch(3, case_worker=colleague)
    client.get(URL)  # warm up (session, content types)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    CaseFactory.create_batch(25, case_worker=colleague)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_search_form_is_labelled_and_empty_filter_is_fine(client, worker, case):
    html = login(client, worker).get(URL, {"q": "", "status": "nonsense"}).content.decode()
    assert 'for="id_q"' in html
    assert 'for="id_status"' in html
    assert case.number in html  # an invalid filter value is ignored


def _logged(user, purpose) -> list[int]:
    return sorted(CaseReadLog.objects.filter(user=user, purpose=purpose).values_list("case_id", flat=True))


def test_the_list_logs_exactly_the_cases_it_showed(client, worker, colleague_case, stranger):
    own = CaseFactory.create_batch(27, case_worker=worker)
    CaseFactory(case_worker=stranger)
    login(client, worker)
    first = client.get(URL)
    shown = [case.pk for case in first.context["page"].object_list]
    assert len(shown) == 25
    assert _logged(worker, ReadPurpose.CASE_LIST) == sorted(shown)
    client.get(URL, {"seite": 2})
    assert _logged(worker, ReadPurpose.CASE_LIST) == sorted(case.pk for case in own)  # 25 + the last 2
    assert colleague_case.pk not in _logged(worker, ReadPurpose.CASE_LIST)
    assert CaseReadLog.objects.exclude(user=worker).count() == 0


def test_a_search_logs_the_cases_found_as_search(client, worker):
    amani = CaseFactory(case_worker=worker, first_name="Amani", last_name="Yusuf")
    CaseFactory(case_worker=worker, first_name="Dara", last_name="Rahimi")
    login(client, worker)
    client.get(URL, {"q": "amani"})
    assert _logged(worker, ReadPurpose.CASE_SEARCH) == [amani.pk]
    assert _logged(worker, ReadPurpose.CASE_LIST) == []
    client.get(URL, {"q": "niemand"})  # nothing found, nothing logged
    assert CaseReadLog.objects.count() == 1


def test_data_protection_sees_list_and_search_in_the_read_log(client, worker):
    amani = CaseFactory(case_worker=worker, first_name="Amani", last_name="Yusuf")
    login(client, worker)
    client.get(URL)
    client.get(URL, {"q": "yusuf"})
    client.force_login(role_user(DATA_PROTECTION))
    html = client.get("/admin/fallzugriffe/", {"case": amani.pk}).content.decode()
    assert "Fallliste" in html
    assert "Fallsuche" in html
    assert amani.number in html
    assert "Amani" not in html  # the log shows the case number, never the client's name
