"""The start page: own applications with state and next step, buttons for open programmes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.states import State
from tests.factories import ProgrammeFactory, UserFactory, make_application

from .conftest import advance

pytestmark = pytest.mark.django_db


def test_user_without_organisation_is_asked_to_create_one(client):
    from tests.factories import role_user

    client.force_login(role_user("Antragsteller"))
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("portal:organisation_create") in html
    assert "Organisation anlegen" in html


def test_lists_own_applications_with_state_and_next_step(member_client, member, application, outsider):
    foreign = make_application(member=outsider)
    application = advance(application, member, State.CHANGES_REQUESTED)
    html = member_client.get(reverse("portal:dashboard")).content.decode()
    assert application.title in html
    assert application.file_number in html
    assert "1.000,00 €" in html
    assert "kern-badge--warning" in html
    assert "Nachbesserung angefordert" in html
    assert "Bitte bessern Sie den Antrag nach und reichen Sie ihn erneut ein." in html
    assert foreign.title not in html


def test_paid_application_tells_the_settlement_due_date(member_client, member, application):
    application = advance(application, member, State.PAID)
    html = member_client.get(reverse("portal:dashboard")).content.decode()
    assert application.settlement_due_on.strftime("%d.%m.%Y") in html


def test_buttons_only_for_open_programmes_the_organisation_may_use(member_client, application):
    today = timezone.localdate()
    closed = ProgrammeFactory(code="ZU", name="Geschlossen", opens_on=today - timedelta(days=90),
                              closes_on=today - timedelta(days=1))
    municipalities_only = ProgrammeFactory(code="KOM", name="Nur Kommunen", eligible_applicant_types=["municipality"])
    html = member_client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("portal:application_create", args=[application.programme.code]) in html
    assert reverse("portal:application_create", args=[closed.code]) not in html
    assert reverse("portal:application_create", args=[municipalities_only.code]) not in html


def test_query_count_does_not_grow_with_applications(member_client, application, django_assert_max_num_queries):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(reverse("portal:dashboard")).status_code == 200
        return len(queries)

    with_one = count_queries()
    for _ in range(10):
        make_application(member=UserFactory(), organisation=application.organisation, programme=application.programme)
    assert count_queries() == with_one
    with django_assert_max_num_queries(12):
        response = member_client.get(reverse("portal:dashboard"))
    assert response.content.decode().count("kern-badge--") == 11
