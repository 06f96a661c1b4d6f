"""``manage.py export_approval_list``: lists the meetings, writes each format, refuses in German."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from grants.services.committee import agenda_add

from .builder import People, application, meeting, projects_programme
from .test_exports import DAY, csv_rows, frozen_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return People()


def run(*args) -> str:
    out = StringIO()
    call_command("export_approval_list", *args, stdout=out)
    return out.getvalue()


def test_without_an_id_it_lists_the_meetings(people):
    assert "noch keine Ausschusssitzungen" in run()
    frozen = frozen_meeting(people)
    open_meeting = meeting(people, DAY)
    agenda_add(user=people.staff, meeting_id=open_meeting.pk,
               application_ids=[application(projects_programme(), people, costs="6000.00", own="0.00").pk])
    lines = run().splitlines()
    assert lines[0].split() == ["ID", "Datum", "Gremium", "Punkte", "festgeschrieben"]
    rows = {line.split()[0]: line.split() for line in lines[2:]}
    assert rows[str(frozen.pk)] == [str(frozen.pk), f"{DAY:%d.%m.%Y}", "Sozialausschuss", "4", "ja"]
    assert rows[str(open_meeting.pk)] == [str(open_meeting.pk), f"{DAY:%d.%m.%Y}", "Sozialausschuss", "1", "nein"]


def test_it_writes_each_format(people, tmp_path):
    frozen = frozen_meeting(people)
    applicants = [item.snapshot["applicant"] for item in frozen.items.order_by("position")]
    out = tmp_path / "ausgabe"  # tmp_path also holds the test's media and private file roots (tests/conftest.py)
    out.mkdir()
    for file_format in ("pdf", "xlsx", "csv"):
        target = out / f"liste.{file_format}"
        message = run(str(frozen.pk), "--format", file_format, "--output", str(target))
        assert "geschrieben" in message
        assert f"Beschlussvorlage-Sozialausschuss-{DAY:%Y-%m-%d}.{file_format}" in message
        data = target.read_bytes()
        if file_format == "pdf":
            text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
            assert all(name in " ".join(text.split()) for name in applicants)
        elif file_format == "xlsx":
            assert load_workbook(io.BytesIO(data)).sheetnames == ["Übersicht", "Integrationslotsen",
                                                                  "Integrationsprojekte"]
        else:
            assert [r[4] for r in csv_rows(data) if r[0] == "TOP"] == applicants
    assert sorted(p.name for p in out.iterdir()) == ["liste.csv", "liste.pdf", "liste.xlsx"]  # no leftovers


def test_csv_goes_to_standard_output(people):
    frozen = frozen_meeting(people)
    text = run(str(frozen.pk), "--format", "csv")
    assert text.startswith("\ufeffZeile;Förderprogramm;")
    assert "Gesamtsumme" in text


@pytest.mark.parametrize(("args", "message"), [
    (["999999", "--format", "pdf", "--output", "x.pdf"], "gibt es nicht"),
    (["abc", "--format", "pdf", "--output", "x.pdf"], "gibt es nicht"),
    (["{frozen}", "--format", "docx", "--output", "x.docx"], "Unbekanntes Format „docx“"),
    (["{frozen}", "--format", "pdf"], "--output"),
    (["{frozen}", "--format", "pdf", "--output", "/kein/verzeichnis/x.pdf"], "Verzeichnis"),
    (["--output", "x.pdf"], "ID einer Ausschusssitzung"),
])
def test_clear_german_errors(people, args, message):
    frozen = frozen_meeting(people, lotsen=1, projects=0)
    with pytest.raises(CommandError) as error:
        run(*[a.format(frozen=frozen.pk) for a in args])
    assert message in str(error.value)


def test_a_meeting_that_is_not_frozen_is_refused(people, tmp_path):
    m = meeting(people, DAY)
    agenda_add(user=people.staff, meeting_id=m.pk,
               application_ids=[application(projects_programme(), people, costs="6000.00", own="0.00").pk])
    target = tmp_path / "liste.pdf"
    with pytest.raises(CommandError) as error:
        run(str(m.pk), "--format", "pdf", "--output", str(target))
    assert "festgeschrieben" in str(error.value)
    assert not target.exists()
