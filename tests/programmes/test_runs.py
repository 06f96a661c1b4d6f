"""Allocation runs as services: the staffing key preview by hand, the fixed run, its hash and its re-computation."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from integration_core.models import Municipality
from programmes.models import AllocationRun
from programmes.runs import input_hash, run_verify, staffing_key_preview, staffing_key_save
from tests.factories import MunicipalityFactory, ProgrammeFactory, role_user

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def three():
    """Hand-worked district: Aidlingen 9,000 (rural), Böblingen 50,000 (urban), Deckenpfronn 3,000 (rural)."""
    return [
        MunicipalityFactory(ags="08115001", name="Aidlingen", population=9_000),
        MunicipalityFactory(ags="08115003", name="Böblingen", population=50_000, is_urban=True),
        MunicipalityFactory(ags="08115010", name="Deckenpfronn", population=3_000),
    ]


def amounts(preview) -> dict[str, Decimal]:
    return {row["name"]: D(preview.outputs[row["key"]]["amount"]) for row in preview.inputs}


def save(user, municipalities, **overrides):
    figures = {"title": "Stellenschlüssel 2026", "total": D("10.00"), "unit": "FTE", "urban_factor": D("1.20"),
               "municipality_ids": [m.pk for m in municipalities]}
    return staffing_key_save(user=user, **{**figures, **overrides})


# -- preview: by hand ----------------------------------------------------------------------------------
def test_urban_factor_weights_the_urban_population_by_hand(three):
    # Weights 9,000 : 50,000 × 1.2 = 60,000 : 3,000 (sum 72,000). 10.00 FTE = 1,000 hundredths.
    # Exact: Aidlingen 125 (1.25), Böblingen 833⅓ → 833, Deckenpfronn 41⅔ → 41; floors 999, the missing
    # hundredth goes to the largest remainder (⅔, Deckenpfronn): 1.25 / 8.33 / 0.42.
    preview = staffing_key_preview(total=D("10"), unit="FTE", urban_factor=D("1.2"), municipalities=three)
    assert amounts(preview) == {"Aidlingen": D("1.25"), "Böblingen": D("8.33"), "Deckenpfronn": D("0.42")}
    assert [row["weight"] for row in preview.inputs] == ["9000.00", "60000.00", "3000.00"]
    assert preview.outputs["08115003"]["percent"] == "83.30"
    assert preview.rules == {"method": "hare_niemeyer", "urban_factor": "1.20"}


def test_without_the_factor_the_city_gets_less(three):
    # Factor 1.00: 9,000 : 50,000 : 3,000 (sum 62,000). Exact hundredths 145.16, 806.45, 48.39; floors 999;
    # the largest remainder (.45) is Böblingen's: 1.45 / 8.07 / 0.48.
    preview = staffing_key_preview(total=D("10.00"), unit="FTE", urban_factor=D("1.00"), municipalities=three)
    assert amounts(preview) == {"Aidlingen": D("1.45"), "Böblingen": D("8.07"), "Deckenpfronn": D("0.48")}


@pytest.mark.parametrize(("total", "unit"), [("282709.99", "EUR"), ("17.35", "FTE"), ("0.01", "FTE")])
def test_preview_sums_exactly_to_the_total(three, total, unit):
    more = [MunicipalityFactory(population=p, is_urban=p % 2 == 0) for p in (1_234, 7_777, 12_345, 40_001)]
    preview = staffing_key_preview(total=D(total), unit=unit, urban_factor=D("1.37"), municipalities=three + more)
    assert sum(D(output["amount"]) for output in preview.outputs.values()) == D(total)
    assert preview.remainder == D("0.00")
    assert all(D(o["amount"]).as_tuple().exponent == -2 for o in preview.outputs.values())


def test_steps_explain_weights_and_rounding_in_the_unit(three):
    fte = staffing_key_preview(total=D("10.00"), unit="FTE", urban_factor=D("1.20"), municipalities=three)
    weights, share = (step["explanation"] for step in fte.steps)
    assert "(hier 1 von 3) zählt die Einwohnerzahl 1,20-fach" in weights
    assert "Summe der Gewichte: 72.000,00" in weights
    assert "10,00 VZÄ werden im Verhältnis der Gewichte" in share
    assert "1 × 0,01 VZÄ" in share
    eur = staffing_key_preview(total=D("1000.00"), unit="EUR", urban_factor=D("1.20"), municipalities=three)
    assert "1.000,00 € werden" in eur.steps[-1]["explanation"]
    assert "VZÄ" not in eur.steps[-1]["explanation"]


def test_a_municipality_without_inhabitants_gets_nothing_and_is_named(three):
    empty = MunicipalityFactory(name="Wüstung", population=0)
    preview = staffing_key_preview(total=D("5.00"), unit="FTE", urban_factor=D("1.2"), municipalities=[*three, empty])
    assert preview.outputs[empty.ags] == {"amount": "0.00", "percent": "0.00", "eligible": True,
                                          "reason": "no_weight", "step": 2}
    assert "Wüstung haben keine Einwohner" in preview.steps[1]["explanation"]


def test_input_order_does_not_change_the_hash(three):
    one = staffing_key_preview(total=D("3"), unit="FTE", urban_factor=D("1.2"), municipalities=three)
    two = staffing_key_preview(total=D("3.00"), unit="FTE", urban_factor=D("1.20"), municipalities=three[::-1])
    assert one == two


@pytest.mark.parametrize(("field", "figures"), [
    ("total", {"total": D("0")}), ("total", {"total": D("1.001")}), ("total", {"total": D("-5")}),
    ("urban_factor", {"urban_factor": D("0")}), ("urban_factor", {"urban_factor": D("1.234")}),
    ("urban_factor", {"urban_factor": D("10.01")}), ("unit", {"unit": "USD"}),
])
def test_invalid_figures_are_refused_per_field(three, field, figures):
    with pytest.raises(ValidationError) as caught:
        staffing_key_preview(**{"total": D("10"), "unit": "FTE", "urban_factor": D("1.2"), **figures},
                             municipalities=three)
    assert field in caught.value.message_dict


def test_nothing_to_share_among_is_refused():
    with pytest.raises(ValidationError, match="mindestens eine Kommune"):
        staffing_key_preview(total=D("1"), unit="FTE", urban_factor=D("1.2"), municipalities=[])
    with pytest.raises(ValidationError, match="keine Einwohner"):
        staffing_key_preview(total=D("1"), unit="FTE", urban_factor=D("1.2"),
                             municipalities=[MunicipalityFactory(population=0)])


# -- the fixed run -------------------------------------------------------------------------------------
def test_saving_stores_inputs_outputs_steps_and_hash_and_verifies(three):
    staff = role_user("Sachbearbeitung")
    run = save(staff, three)
    run = AllocationRun.objects.get(pk=run.pk)  # as read back from the database
    assert (run.kind, run.unit, run.total, run.programme, run.created_by) == ("staffing_key", "FTE", D("10.00"),
                                                                              None, staff)
    assert run.inputs[1] == {"key": "08115003", "name": "Böblingen", "population": 50_000,
                             "population_reference_date": "2025-12-31", "is_urban": True, "weight": "60000.00"}
    assert {key: o["amount"] for key, o in run.outputs.items()} == {
        "08115001": "1.25", "08115003": "8.33", "08115010": "0.42"}
    assert sum(D(o["amount"]) for o in run.outputs.values()) == run.total
    assert [step["kind"] for step in run.steps] == ["weights", "share"]
    assert run.input_hash == input_hash(kind="staffing_key", unit="FTE", total=D("10.00"), rules=run.rules,
                                        inputs=run.inputs)
    assert len(run.input_hash) == 64
    assert run_verify(run) is True


def test_run_verify_notices_a_changed_input_or_output(three):
    run = AllocationRun.objects.get(pk=save(role_user("Leitung"), three).pk)
    run.inputs[0]["population"] = 9_001  # in memory only: the model refuses to store it
    assert run_verify(run) is False
    run.refresh_from_db()
    run.outputs["08115001"]["amount"] = "1.26"
    assert run_verify(run) is False
    run.refresh_from_db()
    run.inputs[0]["weight"] = "9001.00"
    run.input_hash = input_hash(kind=run.kind, unit=run.unit, total=run.total, rules=run.rules, inputs=run.inputs)
    assert run_verify(run) is False  # hash fits, but the weight no longer follows from population and factor


def test_run_verify_compares_what_the_steps_decided_not_their_wording(three):
    run = AllocationRun.objects.get(pk=save(role_user("Leitung"), three).pk)
    # A run fixed before the params became language-neutral stored German strings: it still verifies.
    run.steps[1]["params"]["total"] = "10,00 VZÄ"
    run.steps[1]["message"] = "Schritt %(step)s – Verteilung: %(total)s (ältere Fassung)."
    assert run_verify(run) is True
    run.steps[1]["among"] = run.steps[1]["among"][:2]  # but not a step that claims other participants
    assert run_verify(run) is False
    run.refresh_from_db()
    run.steps[1]["pot"] = "9.00"
    assert run_verify(run) is False


def test_a_saved_run_cannot_be_edited_or_deleted(three):
    run = save(role_user("Sachbearbeitung"), three)
    run.title = "geändert"
    with pytest.raises(PermissionDenied):
        run.save()
    with pytest.raises(PermissionDenied):
        run.delete()
    with pytest.raises(PermissionDenied):
        AllocationRun.objects.filter(pk=run.pk).update(title="geändert")
    with pytest.raises(PermissionDenied):
        AllocationRun.objects.filter(pk=run.pk).delete()
    with transaction.atomic(), pytest.raises(PermissionDenied):  # bulk_update opens its own atomic block
        AllocationRun.objects.bulk_update([run], ["title"])
    assert AllocationRun.objects.get(pk=run.pk).title == "Stellenschlüssel 2026"


def test_same_inputs_same_hash_and_a_later_population_change_leaves_the_run_alone(three):
    staff = role_user("Sachbearbeitung")
    first = save(staff, three, title="Erster Lauf")
    second = save(staff, three[::-1], title="Zweiter Lauf", urban_factor=D("1.2"), total=D("10"))
    assert second.input_hash == first.input_hash

    Municipality.objects.filter(pk=three[1].pk).update(population=60_000)
    stored = AllocationRun.objects.get(pk=first.pk)
    assert stored.inputs[1]["population"] == 50_000
    assert stored.outputs["08115003"]["amount"] == "8.33"
    assert run_verify(stored) is True
    third = save(staff, three, title="Nach der Korrektur")
    assert third.input_hash != first.input_hash
    assert third.inputs[1]["population"] == 60_000


def test_saving_refuses_a_preview_that_no_longer_matches(three):
    staff = role_user("Sachbearbeitung")
    shown = staffing_key_preview(total=D("10"), unit="FTE", urban_factor=D("1.2"), municipalities=three)
    Municipality.objects.filter(pk=three[0].pk).update(population=9_500)
    with pytest.raises(ValidationError, match="seit der Vorschau geändert"):
        save(staff, three, expected_hash=shown.input_hash)
    assert not AllocationRun.objects.exists()


def test_only_holders_of_the_add_permission_may_save(three):
    for role in ("Finanzen", "Ausschuss", "Antragsteller"):
        with pytest.raises(PermissionDenied):
            save(role_user(role), three)
    assert not AllocationRun.objects.exists()
    assert save(role_user("Leitung"), three).pk


def test_a_vanished_municipality_and_a_missing_title_are_refused(three):
    staff = role_user("Sachbearbeitung")
    with pytest.raises(ValidationError, match="gibt es nicht mehr"):
        save(staff, [*three, Municipality(pk=999_999)])
    with pytest.raises(ValidationError) as caught:
        save(staff, three, title="  ")
    assert "title" in caught.value.message_dict


def test_database_constraints_hold_without_the_model(three):
    staff = role_user("Sachbearbeitung")
    fields = {"title": "x", "unit": "FTE", "input_hash": "0" * 64, "created_by": staff}
    with transaction.atomic(), pytest.raises(IntegrityError):
        AllocationRun.objects.create(kind="staffing_key", total=D("-1.00"), **fields)
    with transaction.atomic(), pytest.raises(IntegrityError):
        AllocationRun.objects.create(kind="staffing_key", total=D("1.00"), remainder=D("2.00"), **fields)
    with transaction.atomic(), pytest.raises(IntegrityError):  # a staffing key has no programme
        AllocationRun.objects.create(kind="staffing_key", total=D("1.00"), programme=ProgrammeFactory(), **fields)
    with transaction.atomic(), pytest.raises(IntegrityError):  # a formula allocation needs one
        AllocationRun.objects.create(kind="formula_allocation", total=D("1.00"), **{**fields, "unit": "EUR"})


def test_the_reference_date_goes_into_the_inputs_and_the_hash(three):
    before = staffing_key_preview(total=D("10"), unit="FTE", urban_factor=D("1.2"), municipalities=three)
    three[0].population_reference_date = date(2026, 6, 30)
    after = staffing_key_preview(total=D("10"), unit="FTE", urban_factor=D("1.2"), municipalities=three)
    assert after.outputs == before.outputs
    assert after.input_hash != before.input_hash
    assert "Stichtag 31.12.2025, 30.06.2026" in after.steps[0]["explanation"]
