"""``manage.py export_payout_batch``: write the file for automation, list batches, refuse unknown ids."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import xmlschema
from django.core.management import CommandError, call_command

from grants.services import payouts
from tests.documents.helpers import PAIN_001_001_09_XSD

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(people, approved):
    applications = [approved(amount="1200.00"), approved(amount="250.50")]
    return payouts.payout_batch_create(
        user=people.finance, application_ids=[a.pk for a in applications], execution_date=date(2026, 12, 15)
    )


def test_writes_a_valid_file(batch, tmp_path):
    target = tmp_path / "lauf.xml"
    out = StringIO()

    call_command("export_payout_batch", str(batch.pk), output=str(target), stdout=out)

    xml = target.read_text(encoding="utf-8")
    schema = xmlschema.XMLSchema(str(PAIN_001_001_09_XSD))
    schema.validate(xml)
    header = schema.to_dict(xml)["CstmrCdtTrfInitn"]["GrpHdr"]
    assert header["NbOfTxs"] == "2"
    assert Decimal(str(header["CtrlSum"])) == Decimal("1450.50")
    assert batch.number in out.getvalue()
    assert "1.450,50 €" in out.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["lauf.xml"]  # no temporary file left behind


def test_batch_number_works_as_id_and_stdout_gets_the_xml(batch):
    out = StringIO()

    call_command("export_payout_batch", batch.number, stdout=out)

    assert out.getvalue().startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "<EndToEndId>II-IMP-" in out.getvalue()


def test_lists_batches_without_id(batch, people, approved, django_assert_num_queries):
    second = payouts.payout_batch_create(
        user=people.finance, application_ids=[approved(amount="3000.00").pk], execution_date=date(2027, 1, 4)
    )
    out = StringIO()

    with django_assert_num_queries(1):  # counts and sums in one query, however many batches
        call_command("export_payout_batch", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["ID", "Nummer", "Ausführung", "Status", "Anzahl", "Summe"]
    assert set(lines[1]) <= {"-", " "}
    first_row, second_row = lines[2].split(), lines[3].split()
    assert first_row == [str(batch.pk), batch.number, "15.12.2026", "Offen", "2", "1.450,50", "€"]
    assert second_row == [str(second.pk), second.number, "04.01.2027", "Offen", "1", "3.000,00", "€"]


def test_empty_listing_says_so(db):
    out = StringIO()

    call_command("export_payout_batch", stdout=out)

    assert "Es gibt noch keine Zahlungsläufe." in out.getvalue()


def test_unknown_batch_is_a_german_error(batch, tmp_path):
    target = tmp_path / "lauf.xml"

    with pytest.raises(CommandError, match="Zahlungslauf „999999“ gibt es nicht"):
        call_command("export_payout_batch", "999999", output=str(target))
    assert not target.exists()


def test_missing_directory_is_refused(batch, tmp_path):
    with pytest.raises(CommandError, match="Verzeichnis"):
        call_command("export_payout_batch", str(batch.pk), output=str(tmp_path / "fehlt" / "lauf.xml"))
