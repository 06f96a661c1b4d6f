"""SEPA credit transfer files (pain.001.001.09) for payout batches, made with sepaxml and schema-validated.

Debtor is the district's account from the settings; one transaction per
payout item, with the file number as end-to-end id so bank statement lines
can be matched back. Addresses are structured on both sides: from
15 November 2026 banks reject unstructured payee addresses.

The payee of each item (name, IBAN, BIC, address) is frozen on the item when the batch is created
(``payee_fields``), and the file is written once from those frozen values: a later edit of the
organisation's profile cannot redirect the payment.
"""

import re
import string
import unicodedata
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from sepaxml import SepaTransfer
from sepaxml.validation import ValidationError as SepaSchemaError
from text_unidecode import unidecode

from .models import PayoutBatch

SCHEMA = "pain.001.001.09"
CENT = Decimal("0.01")

# The EPC's SEPA Latin character set, without the apostrophe: quotes of any kind are dropped.
SEPA_CHARACTERS = frozenset(string.ascii_letters + string.digits + "/-?:().,+ ")
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"})
# Quotes go before unidecode, which would turn the German „ and ‚ into commas.
_QUOTES = frozenset("\"'`´„‚‟‛〝〞〟＂＇ʼʻ‹›«»")


def _is_quote(ch: str) -> bool:
    return ch in _QUOTES or unicodedata.category(ch) in ("Pi", "Pf")

# Field lengths: Nm as the EPC limits it, Ustrd, and the structured address of pain.001.001.09 (PostalAddress24).
NAME_LENGTH = 70
REMITTANCE_LENGTH = 140
ADDRESS_LENGTHS = {"street": 70, "building_number": 16, "postcode": 16, "town": 35}
# Labels for the batch page, which says which fields of an item were cut to their length.
FIELD_LABELS = {
    "name": gettext_lazy("Name"), "remittance": gettext_lazy("Verwendungszweck"),
    "street": gettext_lazy("Straße"), "building_number": gettext_lazy("Hausnummer"),
    "postcode": gettext_lazy("Postleitzahl"), "town": gettext_lazy("Ort"),
}


class Fitted(NamedTuple):
    text: str
    cut: bool


def sepa_text(value: str | None, max_length: int) -> Fitted:
    """``value`` in the SEPA character set (ä→ae, ß→ss, others via unidecode, the rest dropped), cut to length.

    The one function every text field of the file goes through, so a name reads the same in every field.
    """
    text = "".join(ch for ch in (value or "") if not _is_quote(ch))
    text = unidecode(text.translate(_GERMAN))
    text = re.sub(r"\s+", " ", text)  # newlines and tabs become spaces, not glued words
    text = "".join(ch for ch in text if ch in SEPA_CHARACTERS)
    text = re.sub(r" {2,}", " ", text).strip()
    if len(text) <= max_length:
        return Fitted(text, False)
    return Fitted(text[:max_length].rstrip(), True)


def payee_fields(organisation, remittance: str) -> tuple[dict, list[str]]:
    """The payee of a payout item from the organisation's *confirmed* bank details, fitted for the file.

    Returns the model field values for ``PayoutItem`` and the keys of ``FIELD_LABELS`` that were cut.
    """
    cut = []

    def fit(key: str, value: str, length: int) -> str:
        fitted = sepa_text(value, length)
        if fitted.cut:
            cut.append(key)
        return fitted.text

    values = {
        "payee_name": fit("name", organisation.account_holder or organisation.name, NAME_LENGTH),
        "payee_iban": organisation.iban.replace(" ", "").upper(),
        "payee_bic": (organisation.bic or "").replace(" ", "").upper(),
        "payee_street": fit("street", organisation.street, ADDRESS_LENGTHS["street"]),
        "payee_building_number": fit("building_number", organisation.house_number,
                                     ADDRESS_LENGTHS["building_number"]),
        "payee_postcode": fit("postcode", organisation.postcode, ADDRESS_LENGTHS["postcode"]),
        "payee_town": fit("town", organisation.town, ADDRESS_LENGTHS["town"]),
        "payee_country": (organisation.country or "DE").upper(),
        "remittance_info": fit("remittance", remittance, REMITTANCE_LENGTH),
    }
    return values, cut


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
    # Keys as in sepaxml.utils.ADDRESS_MAPPING; every text through sepa_text like the names.
    fields = {"street_name": (street, ADDRESS_LENGTHS["street"]),
              "building_number": (number, ADDRESS_LENGTHS["building_number"]),
              "postcode": (postcode, ADDRESS_LENGTHS["postcode"]), "town": (town, ADDRESS_LENGTHS["town"])}
    address = {key: sepa_text(value, length).text for key, (value, length) in fields.items()}
    address = {key: value for key, value in address.items() if value}
    address["country"] = (country or "DE").upper()
    return address


def debtor_config() -> dict:
    district = settings.DISTRICT_ADDRESS
    config = {
        "name": sepa_text(settings.DISTRICT_NAME, NAME_LENGTH).text,
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
    """One transaction from the values frozen on the item (already fitted by ``payee_fields``)."""
    payment = {
        "name": item.payee_name,
        "IBAN": item.payee_iban,
        "amount": _cents(item.amount),
        "execution_date": execution_date,
        "description": item.remittance_info,
        "endtoend_id": item.end_to_end_id,
        "address": _address(street=item.payee_street, number=item.payee_building_number,
                            postcode=item.payee_postcode, town=item.payee_town, country=item.payee_country),
    }
    if item.payee_bic:
        payment["BIC"] = item.payee_bic
    return payment


def build_payout_xml(batch: PayoutBatch) -> bytes:
    """The pain.001.001.09 file for ``batch``; raises ValidationError if it is empty or fails the schema.

    Called once, when the batch is created (``grants.services.payouts``); downloads return the stored file.
    """
    items = list(batch.items.order_by("pk"))
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
