"""The applicant's withdrawal page while the application waits on a committee meeting's agenda."""

from datetime import date

import pytest
from django.urls import reverse

from grants.models import Application
from grants.services.committee import agenda_add, agenda_freeze
from tests.committee.builder import People, application, lotsen_programme, meeting

pytestmark = pytest.mark.django_db


def test_withdrawal_is_refused_with_the_meeting_date_while_on_a_frozen_agenda(client):
    people = People()
    app = application(lotsen_programme(), people)
    m = meeting(people, date(2026, 11, 10))
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[app.pk])
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    client.force_login(app.created_by)
    url = reverse("portal:application_withdraw", args=[app.pk])
    for response in (client.get(url, follow=True), client.post(url, {"note": "Projekt fällt aus"}, follow=True)):
        assert response.redirect_chain[-1][0] == reverse("portal:application_detail", args=[app.pk])
        html = response.content.decode()
        assert "festgeschriebenen Tagesordnung der Sitzung des Gremiums „Sozialausschuss“ am 10.11.2026" in html
        assert 'name="note"' not in html
    assert Application.objects.get(pk=app.pk).state == "recommended"


def test_withdrawal_works_when_no_meeting_waits(client):
    app = application(lotsen_programme(), People())
    client.force_login(app.created_by)
    url = reverse("portal:application_withdraw", args=[app.pk])
    assert 'name="note"' in client.get(url).content.decode()
    client.post(url, {"note": ""})
    assert Application.objects.get(pk=app.pk).state == "withdrawn"


def test_the_detail_page_offers_no_withdrawal_while_on_an_agenda_and_says_why(client):
    people = People()
    app = application(lotsen_programme(), people)
    client.force_login(app.created_by)
    detail = reverse("portal:application_detail", args=[app.pk])
    withdraw = reverse("portal:application_withdraw", args=[app.pk])
    assert withdraw in client.get(detail).content.decode()
    m = meeting(people, date(2026, 11, 10))
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[app.pk])
    html = client.get(detail).content.decode()
    assert withdraw not in html
    assert "Tagesordnung der Sitzung des Gremiums „Sozialausschuss“ am 10.11.2026" in html
    assert html.count("am 10.11.2026") == 1
