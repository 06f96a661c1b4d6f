"""SEPA credit transfer files (pain.001.001.09) for payout batches, made with sepaxml and schema-validated.

Debtor is the district's account from the settings; one transaction per
payout item, with the file number as end-to-end id so bank statement lines
can be matched back. Addresses are structured on both sides: from
15 November 2026 banks reject unstructured payee addresses.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from sepaxml import SepaTransfer
from sepaxml.validation import ValidationError as SepaSchemaError
from text_unidecode import unidecode  # what sepaxml itself uses to clean names and remittance texts

from .models import PayoutBatch

SCHEMA = "pain.001.001.09"
CENT = Decimal("0.01")


class _BatchTransfer(SepaTransfer):
    """sepaxml's transfer with the batch number as message id, so a bank refuses the same file twice."""

    def __init__(self, config, *, message_id: str):
        self._message_id = message_id
        super().__init__(config, schema=SCHEMA, clean=True)

    def _create_header(self):
        self.msg_id = self._message_id[:35]
        super()._create_header()


def _cents(money) -> int:
    amount = money.amount.quantize(CENT)
    if amount != money.amount:
        raise ValidationError(_("Beträge müssen auf den Cent genau sein: %(amount)s") % {"amount": money.amount})
    return int(amount * 100)


def _address(*, street, number, postcode, town, country) -> dict:
    # Keys as in sepaxml.utils.ADDRESS_MAPPING; transliterated like names (EPC character set).
    fields = {"street_name": street, "building_number": number, "postcode": postcode, "town": town}
    address = {key: unidecode(value or "").strip() for key, value in fields.items()}
    address = {key: value for key, value in address.items() if value}
    address["country"] = (country or "DE").upper()
    return address


def debtor_config() -> dict:
    district = settings.DISTRICT_ADDRESS
    config = {
        "name": settings.DISTRICT_NAME,
        "IBAN": settings.DISTRICT_IBAN.replace(" ", "").upper(),
        "currency": "EUR",
        "batch": True,  # one PmtInf per execution date; only batch mode writes the debtor address in sepaxml 2.7
        "address": _address(street=district["street"], number=district["number"], postcode=district["postcode"],
                            town=district["town"], country=district.get("country", "DE")),
    }
    if settings.DISTRICT_BIC:
        config["BIC"] = settings.DISTRICT_BIC
    return config


def _payment(item, execution_date) -> dict:
    organisation = item.application.organisation
    payment = {
        "name": organisation.account_holder or organisation.name,
        "IBAN": organisation.iban,
        "amount": _cents(item.amount),
        "execution_date": execution_date,
        "description": item.remittance_info[:140],
        "endtoend_id": item.end_to_end_id,
        "address": _address(street=organisation.street, number=organisation.house_number,
                            postcode=organisation.postcode, town=organisation.town, country=organisation.country),
    }
    if organisation.bic:
        payment["BIC"] = organisation.bic
    return payment


def build_payout_xml(batch: PayoutBatch) -> bytes:
    """The pain.001.001.09 file for ``batch``; raises ValidationError if it is empty or fails the schema."""
    items = list(batch.items.select_related("application__organisation").order_by("pk"))
    if not items:
        raise ValidationError(_("Der Zahlungslauf %(number)s enthält keine Zahlungen.") % {"number": batch.number})
    transfer = _BatchTransfer(debtor_config(), message_id=batch.number)
    for item in items:
        transfer.add_payment(_payment(item, batch.execution_date))
    try:
        return transfer.export(validate=True)
    except SepaSchemaError as exc:
        raise ValidationError(
            _("Die SEPA-Datei für Zahlungslauf %(number)s entspricht nicht dem Schema %(schema)s: %(reason)s")
            % {"number": batch.number, "schema": SCHEMA, "reason": getattr(exc.__cause__, "reason", exc)}
        ) from exc


def payout_filename(batch: PayoutBatch) -> str:
    number = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in batch.number)
    return f"SEPA-{number}-{batch.execution_date:%Y-%m-%d}.xml"
