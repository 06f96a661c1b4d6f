"""Committee meetings in the admin: each screen per role, the whole click path, German refusals, query counts."""

import csv
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.admin.menu import admin_menu

from grants.admin.views.meetings import agenda_candidates
from grants.models import AgendaItem, Application, ConflictOfInterest, LetterBundle, Meeting
from grants.services.committee import agenda_add, agenda_freeze, conflict_declare
from tests.factories import role_user

from .builder import People, application, eur, lotsen_programme, meeting, projects_programme

pytestmark = pytest.mark.django_db
DAY = timezone.localdate() - timedelta(days=3)  # the meeting was held; the resolution date may be today at most


@pytest.fixture
def people():
    return People()


@pytest.fixture
def apps(people):
    lotsen, projects = lotsen_programme(), projects_programme()
    return [application(lotsen, people, title="Lotsen Nord"), application(lotsen, people, title="Lotsen Süd"),
            application(projects, people, costs="6000.00", own="0.00", title="Sprachcafé"),
            application(projects, people, costs="9000.00", own="1000.00", title="Elternabende")]


def url(name, meeting_, *args):
    return reverse(f"ausschuss:{name}", args=(meeting_.pk, *args))


def html(response) -> str:
    return response.content.decode()


def frozen_meeting(people, apps):
    m = meeting(people, DAY)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[a.pk for a in apps])
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    return Meeting.objects.get(pk=m.pk)


def meeting_post(**overrides):
    data = {"committee": "Sozialausschuss", "date": DAY.strftime("%d.%m.%Y"), "is_public": "0",
            "paper_number": "SOZ/2026/014", "location": "Landratsamt, Saal 1",
            "members-TOTAL_FORMS": "15", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "40"}
    for i, (name, group, role) in enumerate([("Anna Rat", "SPD", "chair"), ("Bert Rat", "CDU", "member"),
                                             ("Cem Rat", "Grüne", "member"), ("Dora Beirat", "", "advisory")]):
        data.update({f"members-{i}-name": name, f"members-{i}-group": group, f"members-{i}-role": role})
    for i in range(4, 15):
        data[f"members-{i}-role"] = "member"
    data.update(overrides)
    return data


# -- the whole click path ------------------------------------------------------------------------------
def test_staff_click_through_from_a_new_meeting_to_the_letters_zip(client, people, apps,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(people.clerk)
    assert client.get(reverse("ausschuss:add")).status_code == 200
    response = client.post(reverse("ausschuss:add"), meeting_post())
    m = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", m)
    assert (m.is_public, m.paper_number, m.members.count()) == (False, "SOZ/2026/014", 4)
    assert m.members.get(name="Dora Beirat").role == "advisory"

    page = client.get(url("agenda_add", m))
    assert {a.pk for a, _checked in page.context["rows"]} == {a.pk for a in apps}
    client.post(url("agenda_add", m), {"applications": [a.pk for a in apps]})
    assert m.items.count() == 4
    detail = html(client.get(url("detail", m)))
    assert "Lotsen Nord" in detail
    assert "Bewährtes Lotsenprojekt" in detail
    assert "10.000,00 €" in detail
    assert client.get(url("agenda_add", m)).context["rows"] == []  # on an open agenda: not offered again

    removed = m.items.get(application=apps[3])
    client.post(url("agenda_remove", m, removed.pk))
    assert m.items.count() == 3
    client.post(url("agenda_add", m), {"applications": [apps[3].pk]})

    assert "Tagesordnung jetzt festschreiben" in html(client.get(url("freeze", m)))
    client.post(url("freeze", m))
    m.refresh_from_db()
    assert m.is_frozen
    assert [i.position for i in m.items.order_by("position")] == [1, 2, 3, 4]

    first = m.items.get(position=1)
    anna = m.members.get(name="Anna Rat")
    response = client.post(url("conflicts", m), {"item": first.pk, "member": anna.pk, "reason": "board",
                                                 "note": "Vorstand des Trägervereins"})
    assert response.status_code == 302
    assert ConflictOfInterest.objects.get().note == "Vorstand des Trägervereins"
    assert "Vorstand des Trägervereins" in html(client.get(url("conflicts", m)))

    bert = m.members.get(name="Bert Rat")
    present = [x.pk for x in m.members.exclude(pk=bert.pk)]
    client.post(url("attendance", m), {"present": present})
    assert set(m.members.filter(present=True).values_list("pk", flat=True)) == set(present)

    for fmt in ("pdf", "xlsx", "csv"):
        download = client.get(url(f"list_{fmt}", m))
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment; filename=\"Beschlussvorlage-")

    items = {i.position: i for i in m.items.all()}
    data = {"resolution_date": DAY.strftime("%d.%m.%Y")}
    for item in items.values():
        data[f"outcome_{item.pk}"] = "approved"
    data[f"outcome_{items[2].pk}"], data[f"amount_{items[2].pk}"] = "approved_changed", "8.000,00"
    data[f"outcome_{items[3].pk}"], data[f"note_{items[3].pk}"] = "rejected", "Nicht förderfähig."
    data[f"outcome_{items[4].pk}"] = "deferred"
    data[f"yes_{items[1].pk}"] = "1"  # Cem votes (Anna has a conflict, Bert is away, Dora only advises)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("decisions", m), data)
    assert response.status_code == 302
    assert response["Location"] == url("letters", m)
    states = [Application.objects.get(pk=a.pk).state for a in apps]
    assert sorted(states) == ["approved", "approved", "recommended", "rejected"]
    assert AgendaItem.objects.get(pk=items[2].pk).decided_amount == eur("8000.00")

    letters = client.get(url("letters", m))
    assert 'http-equiv="refresh"' not in html(letters)
    assert "3 von 3 Bescheiden erstellt" in html(letters)
    assert LetterBundle.objects.get(meeting=m).status == "done"
    zipped = client.get(url("letters_zip", m))
    assert zipped.status_code == 200
    assert zipped["Content-Type"] == "application/zip"
    assert "attachment" in zipped["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))).namelist()
    assert len(names) == 3
    assert all(n.endswith(".pdf") for n in names)

    minutes = client.get(url("minutes", m))
    assert minutes.status_code == 200
    assert minutes["Content-Type"] == "application/pdf"
    assert "beschlossen" in html(client.get(reverse("ausschuss:index")))


def test_the_letters_page_refreshes_itself_while_the_job_runs(client, people, apps):
    m = frozen_meeting(people, apps[:1])
    LetterBundle.objects.create(meeting=m, total=4, done=1, status="running")
    client.force_login(people.staff)
    page = html(client.get(url("letters", m)))
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "1 von 4 Bescheiden erstellt" in page
    response = client.get(url("letters_zip", m))
    assert response.status_code == 302  # not done yet: back to the progress page, no file


# -- the candidates: deciding_body semantics in one query -----------------------------------------------
def test_candidates_follow_the_deciding_body(people, django_assert_num_queries):
    committee_all = application(projects_programme(), people, costs="6000.00", own="0.00")
    limits = {"committee_decides_all": False, "staff_approval_limit": eur("1500.00"),
              "head_approval_limit": eur("5000.00")}
    above = application(projects_programme(code="P2", **limits), people, costs="6000.00", own="0.00")
    head = application(projects_programme(code="P3", **limits), people, costs="4000.00", own="0.00")
    no_head_limit = application(projects_programme(code="P4", **{**limits, "head_approval_limit": None}), people,
                                costs="9000.00", own="0.00")
    lowered = application(projects_programme(code="P5", **limits), people, costs="9000.00", own="0.00",
                          recommended="4000.00")  # the recommended amount counts, not the requested one
    not_yet = application(projects_programme(code="P6"), people, costs="6000.00", own="0.00", recommend=False)
    with django_assert_num_queries(1):
        found = {a.pk for a in agenda_candidates(people.staff)}
    assert committee_all.pk in found
    assert above.pk in found
    assert not found & {head.pk, no_head_limit.pk, lowered.pk, not_yet.pk}
    assert not list(agenda_candidates(role_user("Antragsteller")))  # scoped to what the user may see


def test_the_meeting_list_has_a_constant_number_of_queries(client, people, apps, django_assert_max_num_queries):
    client.force_login(people.staff)
    frozen_meeting(people, apps[:2])
    client.get(reverse("ausschuss:index"))  # warm caches (permissions, site)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("ausschuss:index"))
    for offset in range(6):
        meeting(people, DAY + timedelta(days=offset + 1), members=("Eva Rat",))
    agenda_add(user=people.staff, meeting_id=Meeting.objects.order_by("-date").first().pk,
               application_ids=[a.pk for a in apps[2:]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("ausschuss:index"))
    assert len(response.context["rows"]) == 7


def test_the_meeting_page_has_a_constant_number_of_queries(client, people, apps, django_assert_max_num_queries):
    client.force_login(people.staff)
    m = frozen_meeting(people, apps[:1])
    client.get(url("detail", m))
    with django_assert_max_num_queries(40) as few:
        client.get(url("detail", m))
    bigger = frozen_meeting(people, apps[1:])
    for item in bigger.items.all():
        conflict_declare(user=people.staff, item_id=item.pk, member_id=bigger.members.first().pk, reason="other")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("detail", bigger))
    assert len(response.context["items"]) == 3


# -- per role -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["Sachbearbeitung", "Leitung"])
def test_clerk_and_head_prepare_meetings(client, people, apps, role):
    client.force_login(role_user(role))
    assert client.post(reverse("ausschuss:add"), meeting_post()).status_code == 302
    m = Meeting.objects.get()
    for name in ("detail", "agenda_add", "freeze", "conflicts", "attendance"):
        assert client.get(url(name, m)).status_code == 200, name


@pytest.mark.parametrize("role", ["Ausschuss"])
def test_the_committee_role_looks_and_downloads_the_list_but_changes_nothing(client, people, apps, role):
    m = frozen_meeting(people, apps)
    client.force_login(role_user(role))
    assert client.get(reverse("ausschuss:index")).status_code == 200
    page = html(client.get(url("detail", m)))
    assert "Beschlüsse erfassen" not in page
    assert "Entfernen" not in page
    assert "Anträge hinzufügen" not in page
    assert client.get(url("list_pdf", m)).status_code == 200
    sheet = load_workbook(io.BytesIO(client.get(url("list_xlsx", m)).content)).worksheets[0]
    assert sheet.max_row > 4
    rows = list(csv.reader(io.StringIO(client.get(url("list_csv", m)).content.decode("utf-8-sig")), delimiter=";"))
    assert any("Lotsen Nord" in cell for row in rows for cell in row)
    for name in ("agenda_add", "freeze", "conflicts", "attendance", "decisions", "letters_zip"):
        assert client.get(url(name, m)).status_code == 403, name
    assert client.get(reverse("ausschuss:add")).status_code == 403
    item = m.items.first()
    assert client.post(url("agenda_remove", m, item.pk)).status_code == 403
    assert client.post(url("decisions", m), {"resolution_date": DAY.strftime("%d.%m.%Y")}).status_code == 403
    assert m.items.count() == 4
    assert not Meeting.objects.get(pk=m.pk).is_decided


def test_finance_applicant_and_anonymous_get_nowhere(client, people, apps):
    m = frozen_meeting(people, apps)
    every = [reverse("ausschuss:index"), reverse("ausschuss:add"), url("detail", m), url("list_pdf", m),
             url("list_csv", m), url("minutes", m), url("letters", m), url("letters_zip", m), url("decisions", m)]
    for user in (people.finance, role_user("Antragsteller"), None):
        client.logout()
        if user:
            client.force_login(user)
        for address in every:
            assert client.get(address).status_code in (302, 403), (user, address)
        assert client.post(reverse("ausschuss:add"), meeting_post()).status_code in (302, 403)
    client.force_login(people.finance)
    assert client.get(url("detail", m)).status_code == 403  # the real 403 page
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(("role", "shown"), [("Sachbearbeitung", True), ("Leitung", True), ("Ausschuss", True),
                                             ("Finanzen", False), ("Antragsteller", False)])
def test_the_menu_entry_follows_the_view_permission(role, shown):
    request = RequestFactory().get("/admin/")
    request.user = role_user(role)
    assert ("ausschuss" in {item.name for item in admin_menu.menu_items_for_request(request)}) is shown


# -- bad input: German errors, nothing changed -----------------------------------------------------------
def test_a_meeting_needs_date_and_members_in_german(client, people):
    client.force_login(people.staff)
    data = meeting_post(date="31.02.2026", committee="")
    for i in range(4):
        data[f"members-{i}-name"] = ""
    page = html(client.post(reverse("ausschuss:add"), data))
    assert "Bitte geben Sie ein Datum wie 31.12.2026 an." in page
    assert "Bitte geben Sie das Gremium an." in page
    assert "Tragen Sie mindestens ein Mitglied des Gremiums ein." in page
    page = html(client.post(reverse("ausschuss:add"), meeting_post(**{"members-1-name": "Anna Rat"})))
    assert "Jeder Name darf nur einmal vorkommen." in page
    assert not Meeting.objects.exists()


def test_agenda_refusals_in_german(client, people, apps):
    client.force_login(people.staff)
    m = meeting(people, DAY)
    page = html(client.post(url("agenda_add", m), {}))
    assert "Wählen Sie mindestens einen Antrag." in page
    waiting = application(projects_programme(code="PX"), people, costs="6000.00", own="0.00", recommend=False)
    page = html(client.post(url("agenda_add", m), {"applications": [waiting.pk]}))
    assert "Mindestens ein gewählter Antrag kann nicht mehr auf die Tagesordnung." in page
    response = client.post(url("freeze", m), follow=True)
    assert "Eine leere Tagesordnung kann nicht festgeschrieben werden." in html(response)
    assert not m.items.exists()
    assert not Meeting.objects.get(pk=m.pk).is_frozen

    frozen = frozen_meeting(people, apps[:1])
    response = client.post(url("agenda_remove", frozen, frozen.items.get().pk), follow=True)
    assert "festgeschrieben und kann nicht mehr geändert werden" in html(response)
    assert frozen.items.count() == 1
    assert client.get(url("agenda_add", frozen)).status_code == 302


def test_a_second_conflict_and_decisions_with_errors_change_nothing(client, people, apps):
    client.force_login(people.staff)
    m = frozen_meeting(people, apps[:2])
    one, two = m.items.order_by("position")
    anna = m.members.get(name="Anna Rat")
    conflict = {"item": one.pk, "member": anna.pk, "reason": "employer"}
    client.post(url("conflicts", m), conflict)
    page = html(client.post(url("conflicts", m), conflict))
    assert "Anna Rat hat für diesen Punkt bereits Befangenheit erklärt." in page
    assert "Wählen Sie den Grund der Befangenheit." in html(client.post(url("conflicts", m), {**conflict,
                                                                                             "reason": ""}))
    assert ConflictOfInterest.objects.count() == 1

    base = {"resolution_date": DAY.strftime("%d.%m.%Y"), f"outcome_{one.pk}": "approved",
            f"outcome_{two.pk}": "approved"}
    cases = [
        ({f"outcome_{two.pk}": ""}, "Bitte wählen Sie den Beschluss."),
        ({f"outcome_{two.pk}": "approved_changed"}, "Geben Sie den beschlossenen Betrag an."),
        ({f"amount_{one.pk}": "5.000,00"}, "Einen Betrag gibt es nur bei"),
        ({f"outcome_{two.pk}": "approved_changed", f"amount_{two.pk}": "abc"}, "Bitte geben Sie einen Betrag wie"),
        ({f"yes_{one.pk}": "3"}, "nur 2 stimmberechtigte Anwesende"),  # Anna is excluded from TOP 1
        ({"resolution_date": (timezone.localdate() + timedelta(days=1)).strftime("%d.%m.%Y")},
         "Das Beschlussdatum liegt nicht zwischen dem Sitzungstag und heute."),
        ({f"outcome_{two.pk}": "approved_changed", f"amount_{two.pk}": "11.000,00"},
         "Es kann nicht mehr bewilligt werden, als beantragt ist."),
    ]
    for change, message in cases:
        response = client.post(url("decisions", m), {**base, **change})
        assert response.status_code == 200, message
        assert message in html(response), message
        assert 'id="error-summary"' in html(response)
    assert not Application.objects.filter(state__in=["approved", "rejected"]).exists()
    assert not Meeting.objects.get(pk=m.pk).is_decided
    assert not LetterBundle.objects.exists()


def test_decisions_need_a_frozen_agenda_and_are_recorded_once(client, people, apps):
    client.force_login(people.staff)
    open_meeting = meeting(people, DAY)
    assert client.get(url("decisions", open_meeting)).status_code == 302
    m = frozen_meeting(people, apps[2:3])
    item = m.items.get()
    data = {"resolution_date": DAY.strftime("%d.%m.%Y"), f"outcome_{item.pk}": "rejected"}
    assert client.post(url("decisions", m), data).status_code == 302
    response = client.post(url("decisions", m), data, follow=True)
    assert "bereits erfasst" in html(response)
    assert Application.objects.get(pk=apps[2].pk).state == "rejected"
    assert client.get(url("minutes", m)).status_code == 200
    assert Decimal(m.items.get().snapshot["recommended"]) == Decimal("6000.00")


def test_downloads_before_freezing_are_refused_in_german(client, people, apps):
    client.force_login(people.staff)
    m = meeting(people, DAY)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[apps[0].pk])
    response = client.get(url("list_pdf", m), follow=True)
    assert response.redirect_chain
    assert "festgeschrieben" in html(response)
    response = client.get(url("minutes", m), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", m)


def test_unknown_meeting_is_404_after_the_permission_check(client, people):
    client.force_login(people.staff)
    assert client.get(reverse("ausschuss:detail", args=(999,))).status_code == 404
    client.force_login(people.finance)
    assert client.get(reverse("ausschuss:detail", args=(999,))).status_code == 403


def test_deferred_items_show_on_the_next_meeting(client, people, apps):
    client.force_login(people.staff)
    m = frozen_meeting(people, apps[2:3])
    item = m.items.get()
    client.post(url("decisions", m), {"resolution_date": DAY.strftime("%d.%m.%Y"), f"outcome_{item.pk}": "deferred"})
    client.post(reverse("ausschuss:add"), meeting_post(date=(DAY + timedelta(days=30)).strftime("%d.%m.%Y")))
    later = Meeting.objects.order_by("-date").first()
    assert later.date == DAY + timedelta(days=30)
    assert "vertagt aus früherer Sitzung" in html(client.get(url("detail", later)))
