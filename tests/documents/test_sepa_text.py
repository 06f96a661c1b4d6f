"""SEPA text fields: one transliteration for every field, cut after transliteration, never a failed batch."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grants.sepa import (
    ADDRESS_LENGTHS,
    NAME_LENGTH,
    REMITTANCE_LENGTH,
    SEPA_CHARACTERS,
    payee_fields,
    sepa_text,
)
from tests.factories import OrganisationFactory


@pytest.mark.parametrize(("value", "expected"), [
    ("Müller & Söhne „Kulturverein“", "Mueller Soehne Kulturverein"),
    ("ÄÖÜ äöü ß ẞ", "AeOeUe aeoeue ss SS"),
    ("Straße des 17. Juni", "Strasse des 17. Juni"),
    ("L'Étoile \"Café\" ‚Begegnung‘", "LEtoile Cafe Begegnung"),
    ("Zeile eins\nZeile\tzwei", "Zeile eins Zeile zwei"),
    ("Ğüzel İnsanlar e.V.", "Guezel Insanlar e.V."),
    ("Ort: Köln (Nord) / 2-3 ?+,", "Ort: Koeln (Nord) / 2-3 ?+,"),
    ("<script>alert(1)</script>", "scriptalert(1)/script"),
    ("", ""),
    (None, ""),
])
def test_transliteration_to_the_sepa_set(value, expected):
    assert sepa_text(value, 140) == (expected, False)


def test_cut_after_transliteration_and_said_so():
    # 35 characters as typed, 40 once the umlauts are written out: the town field holds 35.
    town = "Überlingen-Öhningen-Äpfelbäumenstädt"
    fitted = sepa_text(town, ADDRESS_LENGTHS["town"])
    assert len(town) <= 36
    assert fitted.cut is True
    assert fitted.text == "Ueberlingen-Oehningen-Aepfelbaeumen"
    assert len(fitted.text) == 35
    assert sepa_text("Kurz", 35) == ("Kurz", False)


def test_a_cut_never_ends_in_a_space():
    fitted = sepa_text("a" * 69 + " b", NAME_LENGTH)
    assert fitted == ("a" * 69, True)


@settings(max_examples=300, deadline=None)
@given(value=st.text(), max_length=st.sampled_from([16, 35, NAME_LENGTH, REMITTANCE_LENGTH]))
def test_any_unicode_becomes_sepa_characters_within_the_length(value, max_length):
    fitted = sepa_text(value, max_length)
    assert set(fitted.text) <= SEPA_CHARACTERS
    assert len(fitted.text) <= max_length
    assert fitted.text == fitted.text.strip()
    assert sepa_text(fitted.text, max_length).text == fitted.text  # fitting twice changes nothing


@pytest.mark.django_db
def test_payee_fields_say_which_fields_were_cut():
    organisation = OrganisationFactory.build(
        account_holder="Förderverein " + "Größenwahn " * 8, street="Hauptstraße", house_number="1",
        town="Überlingen-Öhningen-Äpfelbäumenstädt", iban="DE89370400440532013000", bic="cobadeffxxx",
    )
    values, cut = payee_fields(organisation, "II-2026-0001 Zuwendung: " + "Ä" * 140)
    assert cut == ["name", "town", "remittance"]
    assert len(values["payee_name"]) <= NAME_LENGTH
    assert len(values["remittance_info"]) <= REMITTANCE_LENGTH
    assert values["payee_street"] == "Hauptstrasse"
    assert values["payee_bic"] == "COBADEFFXXX"
