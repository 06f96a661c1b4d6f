"""The payout file as a file: schema pain.001.001.09, debtor, one transaction per application, sums."""

from datetime import timedelta
from decimal import Decimal

import pytest
import xmlschema
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from grants.models import PayoutBatch
from grants.sepa import build_payout_xml, payout_filename
from grants.services import payouts
from tests.documents.helpers import PAIN_001_001_09_XSD

pytestmark = pytest.mark.django_db

LONG_TITLE = "Interkulturelle Begegnungswoche mit Kochkurs, Lesung, Straßenfest und Ausstellung – " * 3


# Last week: the batch may be executed today, whenever the suite runs.
EXECUTION_DAY = timezone.localdate() - timedelta(days=7)

@pytest.fixture
def batch(people, approved):
    first = approved(amount="1200.00")
    second = approved(amount="234.56", title=LONG_TITLE[:200], organisation__bic="COBADEFFXXX",
                      organisation__account_holder="Müller & Söhne Kulturverein",
                      organisation__street="Kölner Straße", organisation__house_number="7b",
                      organisation__postcode="50667", organisation__town="Köln")
    third = approved(amount="3000.00", organisation__iban="DE75512108001245126199")
    return payouts.payout_batch_create(
        user=people.finance, application_ids=[first.pk, second.pk, third.pk], execution_date=EXECUTION_DAY
    )


def _decode(xml: bytes) -> dict:
    schema = xmlschema.XMLSchema(str(PAIN_001_001_09_XSD))
    schema.validate(xml.decode("utf-8"))  # raises on any schema violation
    return schema.to_dict(xml.decode("utf-8"))["CstmrCdtTrfInitn"]


def test_payout_file_is_valid_pain_001_001_09(batch):
    xml = build_payout_xml(batch)

    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert b"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09" in xml
    assert xmlschema.XMLSchema(str(PAIN_001_001_09_XSD)).is_valid(xml.decode("utf-8"))


def test_payout_file_has_debtor_transactions_and_sums(batch):
    items = list(batch.items.select_related("application__organisation").order_by("pk"))
    doc = _decode(build_payout_xml(batch))

    header = doc["GrpHdr"]
    assert header["MsgId"] == batch.number
    assert header["NbOfTxs"] == "3"
    assert Decimal(str(header["CtrlSum"])) == Decimal("4434.56")
    assert header["InitgPty"]["Nm"] == "Landkreis Musterstadt"

    [payment_info] = doc["PmtInf"]
    assert payment_info["PmtMtd"] == "TRF"
    assert payment_info["NbOfTxs"] == "3"
    assert Decimal(str(payment_info["CtrlSum"])) == Decimal("4434.56")
    assert payment_info["ReqdExctnDt"]["Dt"] == EXECUTION_DAY.isoformat()
    assert payment_info["DbtrAcct"]["Id"]["IBAN"] == "DE02120300000000202051"
    assert payment_info["DbtrAgt"]["FinInstnId"]["BICFI"] == "BYLADEM1001"
    debtor = payment_info["Dbtr"]
    assert debtor["Nm"] == "Landkreis Musterstadt"
    assert debtor["PstlAdr"] == {
        "StrtNm": "Am Landratsamt", "BldgNb": "1", "PstCd": "76131", "TwnNm": "Musterstadt", "Ctry": "DE",
    }

    transactions = payment_info["CdtTrfTxInf"]
    assert len(transactions) == len(items) == 3
    for item, tx in zip(items, transactions, strict=True):
        assert tx["PmtId"]["EndToEndId"] == item.application.file_number == item.end_to_end_id
        assert Decimal(str(tx["Amt"]["InstdAmt"]["$"])) == item.amount.amount
        assert tx["Amt"]["InstdAmt"]["@Ccy"] == "EUR"
        assert tx["CdtrAcct"]["Id"]["IBAN"] == item.application.organisation.iban
        remittance = tx["RmtInf"]["Ustrd"][0]
        assert remittance.startswith(item.end_to_end_id)
        assert len(remittance) <= 140
    assert sum(Decimal(str(tx["Amt"]["InstdAmt"]["$"])) for tx in transactions) == Decimal("4434.56")

    # Creditor: the account holder, a structured address, the BIC only where one is stored.
    first, second, third = transactions
    assert "CdtrAgt" not in first
    assert second["CdtrAgt"]["FinInstnId"]["BICFI"] == "COBADEFFXXX"
    assert second["Cdtr"]["Nm"] == "Mueller Soehne Kulturverein"  # ü→ue, ö→oe; & is not in the SEPA set
    assert second["Cdtr"]["PstlAdr"] == {
        "StrtNm": "Koelner Strasse", "BldgNb": "7b", "PstCd": "50667", "TwnNm": "Koeln", "Ctry": "DE",
    }
    assert len(LONG_TITLE) > 140
    assert len(second["RmtInf"]["Ustrd"][0]) == 140
    assert third["CdtrAcct"]["Id"]["IBAN"] == "DE75512108001245126199"


def test_executed_batch_exports_the_same_payments(people, batch):
    before = _decode(build_payout_xml(batch))
    payouts.payout_batch_execute(user=people.finance, batch_id=batch.pk)
    batch.refresh_from_db()
    after = _decode(build_payout_xml(batch))

    assert batch.status == PayoutBatch.Status.EXECUTED
    assert after["PmtInf"][0]["CdtTrfTxInf"] == before["PmtInf"][0]["CdtTrfTxInf"]


@override_settings(DISTRICT_NAME="Kreis Beispielland", DISTRICT_IBAN="DE75512108001245126199", DISTRICT_BIC="")
def test_debtor_comes_from_settings(batch):
    payment_info = _decode(build_payout_xml(batch))["PmtInf"][0]

    assert payment_info["Dbtr"]["Nm"] == "Kreis Beispielland"
    assert payment_info["DbtrAcct"]["Id"]["IBAN"] == "DE75512108001245126199"
    assert "BICFI" not in (payment_info["DbtrAgt"]["FinInstnId"] or {})


def test_empty_batch_is_refused(people):
    empty = PayoutBatch.objects.create(number="ZL-LEER", execution_date=EXECUTION_DAY, created_by=people.finance)

    with pytest.raises(ValidationError, match="keine Zahlungen"):
        build_payout_xml(empty)


def test_payout_filename(batch):
    name = payout_filename(batch)

    assert name == f"SEPA-{batch.number}-{EXECUTION_DAY.isoformat()}.xml"
    assert "/" not in name
    assert " " not in name
