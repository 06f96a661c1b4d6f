"""The import screen in the Wagtail admin: staff preview and apply; everyone else is kept out."""

import re
from datetime import date

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from integration_core.admin_views import SESSION_KEY, UPLOAD_DIR
from integration_core.models import Municipality
from tests.factories import role_user

from .helpers import csv_bytes, stored, three_towns, xlsx_bytes

pytestmark = pytest.mark.django_db
UPLOAD, APPLY = reverse("einwohnerzahlen_import:upload"), reverse("einwohnerzahlen_import:apply")
GOOD = csv_bytes("AGS;Gemeinde;Einwohner;Stichtag", "08299001;Neustadt;12.500;30.06.2026",
                 "08299002;Altdorf a. d. Murg;8.000;31.12.2025")
BAD = csv_bytes("AGS;Gemeinde;Einwohner;Stichtag", "08299001;Neustadt;12.500;30.06.2026",
                "08299001;Neustadt;-4;30.06.2026")


def upload(client, data: bytes, name: str = "einwohner.csv", **extra):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **extra})


def waiting_files() -> list[str]:
    storage = storages["private"]
    return storage.listdir(UPLOAD_DIR)[1] if storage.exists(UPLOAD_DIR) else []


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def staff(client):
    client.force_login(role_user("Sachbearbeitung"))
    return client


def test_staff_find_the_import_button_on_the_municipality_listing(client):
    three_towns()
    client.force_login(role_user("Sachbearbeitung"))
    assert UPLOAD in client.get(reverse("kreiskommunen:index")).content.decode()
    client.force_login(role_user("Finanzen"))
    assert UPLOAD not in client.get(reverse("kreiskommunen:index")).content.decode()


def test_staff_preview_shows_old_and_new_and_changes_nothing(staff):
    three_towns()
    before = stored()
    page = staff.get(UPLOAD)
    assert page.status_code == 200
    assert "<title>Einwohnerzahlen importieren" in page.content.decode()

    response = upload(staff, GOOD)
    assert response.status_code == 200
    shown = text(response)
    assert "Vorschau: einwohner.csv" in shown
    assert "12.000 → neu: 12.500" in shown
    assert "31.12.2025 → neu: 30.06.2026" in shown
    assert "wird aktualisiert" in shown
    assert "unverändert" in shown
    assert "Zeile 3: Der Name „Altdorf a. d. Murg“ weicht vom gespeicherten Namen „Altdorf“ ab" in shown
    assert "Nicht in der Datei enthalten (bleiben unverändert): Bergheim" in shown
    assert "Übernehmen" in shown
    assert stored() == before
    assert len(waiting_files()) == 1


def test_staff_apply_imports_the_previewed_file_once(staff):
    three_towns()
    upload(staff, GOOD)
    token = staff.session[SESSION_KEY]["token"]
    response = staff.post(APPLY, {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("kreiskommunen:index")
    assert "Einwohnerzahlen übernommen: 1 Kreiskommunen aktualisiert, 1 unverändert, 1 Hinweise." in text(response)
    assert stored()["08299001"] == (12500, date(2026, 6, 30))
    assert waiting_files() == []
    assert SESSION_KEY not in staff.session
    town = Municipality.objects.get(ags="08299001")
    history = text(staff.get(reverse("kreiskommunen:history", args=[town.pk])))
    assert "Einwohnerzahl aus „einwohner.csv“ (Zeile 2) importiert: 12.000 → 12.500, Stichtag 30.06.2026" in history

    again = staff.post(APPLY, {"token": token}, follow=True)  # a second click finds nothing to apply
    assert again.redirect_chain[-1][0] == UPLOAD
    assert "Die Vorschau ist nicht mehr gültig" in text(again)


def test_xlsx_without_stichtag_column_uses_the_date_from_the_form(staff):
    three_towns()
    data = xlsx_bytes([["AGS", "Name", "Einwohner"], ["08299003", "Bergheim", 3210]])
    response = upload(staff, data, name="tabelle.xlsx", reference_date="30.06.2026")
    assert "3.000 → neu: 3.210" in text(response)
    staff.post(APPLY, {"token": staff.session[SESSION_KEY]["token"]})
    assert stored()["08299003"] == (3210, date(2026, 6, 30))


def test_errors_are_listed_line_by_line_and_nothing_can_be_applied(staff):
    three_towns()
    before = stored()
    response = upload(staff, BAD)
    shown = text(response)
    assert "Die Datei enthält 3 Fehler. Es wird nichts übernommen." in shown
    assert "Zeile 2: Der AGS 08299001 kommt mehrfach vor (auch in Zeile 3)." in shown
    assert "Zeile 3: Die Einwohnerzahl darf nicht negativ sein (gelesen: -4)." in shown
    assert f'action="{APPLY}"' not in response.content.decode()
    assert SESSION_KEY not in staff.session
    assert waiting_files() == []
    assert stored() == before


def test_a_wrong_token_applies_nothing(staff):
    three_towns()
    before = stored()
    upload(staff, GOOD)
    response = staff.post(APPLY, {"token": "geraten"})
    assert response.status_code == 302
    assert response.url == UPLOAD
    assert stored() == before


def test_a_file_of_another_type_is_refused_by_the_form(staff):
    response = upload(staff, b"%PDF-1.7\n\xe2\xe3\xcf\xd3", name="einwohner.csv")
    assert response.status_code == 200
    assert "weder eine XLSX-Datei noch eine UTF-8-kodierte CSV-Datei" in text(response)
    assert response.context.get("report") is None


@pytest.mark.parametrize("role", ["Finanzen", "Ausschuss", "Leitung"])
def test_other_staff_roles_get_403(client, role):
    three_towns()
    before = stored()
    client.force_login(role_user(role))
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert client.post(APPLY, {"token": "x"}).status_code == 403
    assert stored() == before


def test_applicants_are_sent_away(client):
    three_towns()
    before = stored()
    client.force_login(role_user("Antragsteller"))
    for response in (client.get(UPLOAD), upload(client, GOOD), client.post(APPLY, {"token": "x"})):
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response.url == "/portal/"
    assert stored() == before


def test_a_stale_preview_of_another_session_cannot_be_applied(client, staff):
    """The token is bound to the session: another staff member cannot apply someone else's upload."""
    three_towns()
    before = stored()
    upload(staff, GOOD)
    token = staff.session[SESSION_KEY]["token"]
    from django.test import Client

    other = Client()
    other.force_login(role_user("Sachbearbeitung"))
    assert other.post(APPLY, {"token": token}).status_code == 302
    assert stored() == before


def test_apply_checks_again_and_imports_nothing_if_the_data_changed_since_the_preview(staff):
    three_towns()
    upload(staff, GOOD)
    Municipality.objects.filter(ags="08299002").delete()  # gone between preview and "Übernehmen"
    before = stored()
    response = staff.post(APPLY, {"token": staff.session[SESSION_KEY]["token"]})
    assert response.status_code == 200
    shown = text(response)
    assert "Vorschau: einwohner.csv" in shown
    assert "Zeile 3: Der AGS 08299002 gehört zu keiner Kreiskommune." in shown
    assert "Die Datei enthält Fehler. Es wurde nichts importiert." in shown
    assert f'action="{APPLY}"' not in response.content.decode()
    assert stored() == before
    assert waiting_files() == []


def test_the_preview_needs_the_same_few_queries_for_many_lines(staff, django_assert_max_num_queries):
    from tests.factories import MunicipalityFactory

    towns = MunicipalityFactory.create_batch(60)
    lines = [f"{town.ags};{town.name};{town.population + 1};30.06.2026" for town in towns]
    data = csv_bytes("AGS;Gemeinde;Einwohner;Stichtag", *lines)
    with django_assert_max_num_queries(16):  # admin furniture and session included; no query per line
        response = upload(staff, data)
    assert response.context["report"].updated == 60
