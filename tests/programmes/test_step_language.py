"""Calculation steps and engine errors in the page's language: no German fragment baked into a stored run.

The steps keep German templates (msgids) with language-neutral params. A pseudo-translation replaces every
word of every template with "~": whatever German is left after it would be a fragment outside gettext.
"""

import dataclasses
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from programmes.allocation import NO_POSITIVE_WEIGHT, apportion
from programmes.exports import steps as steps_module
from programmes.exports.steps import error_text, explain_step
from programmes.exports.table import step_explanations
from programmes.runs import formula_preview, staffing_key_preview
from programmes.step_params import AllocationError
from tests.factories import MunicipalityFactory

D = Decimal
PLACEHOLDER = re.compile(r"(%\(\w+\)s|%%)")
NAMES = ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta")


def pseudo(message: str) -> str:
    """Every word of the template becomes "~"; the placeholders stay."""
    return "".join(part if PLACEHOLDER.fullmatch(part) else "~" for part in PLACEHOLDER.split(message) if part)


@pytest.fixture
def pseudo_english(monkeypatch):
    monkeypatch.setattr(steps_module, "ACTIVE", dataclasses.replace(steps_module.ACTIVE, translate=pseudo))
    with translation.override("en"):
        yield


def words_left(text: str) -> list[str]:
    for name in NAMES:
        text = text.replace(name, "")
    return re.findall(r"[^\W\d_]+", text)


def _row(key: str, name: str, population: int, fte: str | None, cap: str | None = None) -> dict:
    return {"key": key, "application_id": None, "name": name, "population": population,
            "municipalities": [{"ags": f"0811{key[-4:]}", "name": name, "population": population,
                                "population_reference_date": "2025-12-31"}],
            "weight": f"{population}.00", "fte": fte, "fte_total": fte or "0.00", "cap": cap,
            "previous_amount": "0.00"}


RULES = {"method": "hare_niemeyer", "min_fte": "0.50", "min_share": "50.00", "cap": None, "remainder": "reshare",
         "population_reference_date": "2025-12-31", "follow_up": False}


@pytest.fixture
def every_rule():
    """1,000 € with every rule firing: FTE missing and 0.30 FTE drop (step 1); Gamma's own cap of 450 €
    freezes it (step 2); Zeta's 40.89 € is below the minimum of 50 € (step 3); one cent left to round (step 4)."""
    inputs = [_row("SOF-0001", "Alpha", 1000, None), _row("SOF-0002", "Beta", 1000, "0.30"),
              _row("SOF-0003", "Gamma", 5000, "1.00", cap="450.00"), _row("SOF-0004", "Delta", 4500, "1.00"),
              _row("SOF-0005", "Epsilon", 480, "1.00"), _row("SOF-0006", "Zeta", 400, "1.00")]
    preview = formula_preview(total=D("1000.00"), rules=RULES, inputs=inputs)
    assert [step["kind"] for step in preview.steps] == ["eligibility", "cap", "min_share", "share"]
    return preview


def test_formula_steps_leave_no_german_fragment_and_use_english_numbers(every_rule, pseudo_english):
    text = " ".join(step_explanations(every_rule.steps))
    assert words_left(text) == []  # "keine Angabe", "VZÄ", "rechnerisch", "höchstens", "Cent", … all translated
    for english in ("Beta (0.30~)", "0.50", "1,000.00 €", "Gamma (~481.70 €~450.00 €)", "Zeta (~40.89 €)"):
        assert english in text, english
    assert "0,30" not in text
    assert "1.000,00" not in text


def test_staffing_steps_leave_no_german_fragment(db, pseudo_english):
    municipalities = [MunicipalityFactory(name=name, population=population, is_urban=urban)
                      for name, population, urban in (("Alpha", 1000, True), ("Beta", 2000, False),
                                                      ("Gamma", 0, False))]
    for unit in ("FTE", "EUR"):
        preview = staffing_key_preview(total=D("10.00"), unit=unit, urban_factor=D("1.20"),
                                       municipalities=municipalities)
        text = " ".join(step_explanations(preview.steps))
        assert words_left(text) == [], unit
        assert "1.20" in text  # the factor, English
        assert "3,200.00" in text  # the sum of the weights


def test_in_german_the_steps_read_as_stored(every_rule):
    with translation.override("de"):
        shown = step_explanations(every_rule.steps)
    assert shown == [step["explanation"] for step in every_rule.steps]
    for german in ("Alpha (keine Angabe)", "Beta (0,30 VZÄ)", "mindestens 0,50 VZÄ", "1.000,00 €",
                   "Gamma (rechnerisch 481,70 €, höchstens 450,00 €)", "Zeta (rechnerisch 40,89 €)",
                   "dann nach Aktenzeichen in aufsteigender Reihenfolge", "1 Cent"):
        assert german in " ".join(shown), german


def test_the_english_catalogue_is_used_for_known_fragments(every_rule):
    with translation.override("en"):
        eligibility = explain_step(every_rule.steps[0])
    assert "not specified" in eligibility
    assert "keine Angabe" not in eligibility
    assert "0.30" in eligibility
    assert "0,30" not in eligibility


def test_a_run_fixed_before_keeps_its_german_strings():
    old = {"message": "Schritt %(step)s – Ergebnis: %(pot)s verteilt.", "params": {"step": 2, "pot": "10,00 €"},
           "explanation": "Schritt 2 – Ergebnis: 10,00 € verteilt."}
    with translation.override("de"):
        assert explain_step(old) == "Schritt 2 – Ergebnis: 10,00 € verteilt."
    assert explain_step({"message": "%(missing)s", "params": {}, "explanation": "gespeichert"}) == "gespeichert"


# -- engine errors ---------------------------------------------------------------------------------
def test_engine_errors_stay_value_errors_with_german_text_and_can_be_translated(pseudo_english):
    with pytest.raises(ValueError, match="größer als null") as error:
        apportion(D("10.00"), {"a": 0})
    assert isinstance(error.value, AllocationError)
    assert str(error.value) == NO_POSITIVE_WEIGHT
    assert error_text(error.value) == "~"
    with pytest.raises(ValueError, match="Der zu verteilende Betrag darf nicht negativ sein, erhalten: -1") as error:
        apportion(D("-1"), {"a": 1})
    assert words_left(error_text(error.value)) == []
    assert error_text(ValueError("schlicht")) == "schlicht"


def test_the_preview_shows_the_engine_error_in_the_active_language(pseudo_english):
    inputs = [_row("SOF-0001", "Alpha", 0, "1.00")]
    with pytest.raises(ValidationError) as error:
        formula_preview(total=D("10.00"), rules=RULES, inputs=inputs)
    assert "Gewicht" not in error.value.messages[0]
    assert error.value.messages[0].endswith(": ~")


def test_the_preview_shows_the_engine_error_in_german():
    inputs = [_row("SOF-0001", "Alpha", 0, "1.00")]
    with translation.override("de"), pytest.raises(ValidationError) as error:
        formula_preview(total=D("10.00"), rules=RULES, inputs=inputs)
    assert error.value.messages == ["Die Verteilung ist so nicht möglich: Mindestens ein Antragsteller braucht ein "
                                    "Gewicht größer als null."]
