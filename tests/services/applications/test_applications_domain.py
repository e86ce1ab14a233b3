"""Validation of create requests and reasons (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from services.applications.domain import (
    ApplicationInput,
    check_application_input,
    check_reason,
    validate_application_input,
)
from services.common.errors import InvalidArgument
from tests.services.applications.applications_harness import make_input, vehicle

TODAY = date(2026, 3, 1)


def fields_of(raw: ApplicationInput, prefix: str = "input") -> list[str]:
    checked, violations = check_application_input(raw, prefix, today=TODAY)
    assert (checked is None) == bool(violations)
    return [v.field for v in violations]


def test_valid_input_is_normalized() -> None:
    raw = make_input(
        insured_kind=" Vehicle ",
        vehicle=vehicle(vin="jtdbr32e720123456", plate=" а123вс77 "),
        comment="  Нужна скидка.  ",
    )
    checked = validate_application_input(raw, "input", today=TODAY)
    assert checked.insured_kind == "vehicle"
    assert checked.vehicle is not None
    assert checked.vehicle.vin == "JTDBR32E720123456"
    assert checked.vehicle.plate == "А123ВС77"
    assert checked.comment == "Нужна скидка."


def test_every_violation_is_collected_with_its_path() -> None:
    raw = make_input(
        idempotency_key="short",
        client_id="not-a-uuid",
        product_id="",
        sum_insured_kopecks=0,
        term_months=601,
        insured_kind="boat",
        comment="x" * 2001,
    )
    assert fields_of(raw, "inputs[3]") == [
        "inputs[3].idempotency_key",
        "inputs[3].client_id",
        "inputs[3].product_id",
        "inputs[3].sum_insured_kopecks",
        "inputs[3].term_months",
        "inputs[3].insured_object.kind",
        "inputs[3].comment",
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"idempotency_key": ""}, "input.idempotency_key"),
        ({"idempotency_key": "k" * 7}, "input.idempotency_key"),
        ({"idempotency_key": "k" * 129}, "input.idempotency_key"),
        ({"sum_insured_kopecks": -1}, "input.sum_insured_kopecks"),
        ({"sum_insured_kopecks": 10**12 + 1}, "input.sum_insured_kopecks"),
        ({"term_months": 0}, "input.term_months"),
        ({"insured_kind": ""}, "input.insured_object.kind"),
        ({"insured_description": "d" * 1001}, "input.insured_object.description"),
        ({"insured_kind": "vehicle"}, "input.vehicle"),
        ({"vehicle": vehicle(vin="JTDBR32E72012345")}, "input.vehicle.vin"),
        ({"vehicle": vehicle(vin="JTDBR32E72012345O")}, "input.vehicle.vin"),
        ({"vehicle": vehicle(vin="ITDBR32E720123456")}, "input.vehicle.vin"),
        ({"vehicle": vehicle(vin="QTDBR32E720123456")}, "input.vehicle.vin"),
        ({"vehicle": vehicle(year=1949)}, "input.vehicle.year"),
        ({"vehicle": vehicle(year=2028)}, "input.vehicle.year"),
        ({"vehicle": vehicle(engine_power_hp=0)}, "input.vehicle.engine_power_hp"),
        ({"vehicle": vehicle(engine_power_hp=2001)}, "input.vehicle.engine_power_hp"),
        ({"vehicle": vehicle(plate="P" * 21)}, "input.vehicle.plate"),
        ({"comment": "c" * 2001}, "input.comment"),
    ],
)
def test_single_violation(overrides: dict[str, object], field: str) -> None:
    assert fields_of(make_input(**overrides)) == [field]


@pytest.mark.parametrize(
    "overrides",
    [
        {"idempotency_key": "k" * 8},
        {"idempotency_key": "k" * 128},
        {"sum_insured_kopecks": 10**12},
        {"term_months": 600},
        {"term_months": 1},
        {"insured_kind": "vehicle", "vehicle": vehicle(year=2027)},
        {"vehicle": vehicle(year=1950, engine_power_hp=2000)},
        {"comment": "c" * 2000},
    ],
)
def test_boundaries_are_accepted(overrides: dict[str, object]) -> None:
    assert fields_of(make_input(**overrides)) == []


def test_validate_raises_one_error_listing_all_fields() -> None:
    with pytest.raises(InvalidArgument) as caught:
        validate_application_input(make_input(term_months=0, comment="c" * 3000), "input", today=TODAY)
    assert [v.field for v in caught.value.violations] == ["input.term_months", "input.comment"]
    assert "'input.term_months'" in caught.value.message


def test_fingerprint_ignores_the_key_but_not_the_payload() -> None:
    first = validate_application_input(make_input(idempotency_key="a" * 10), "input", today=TODAY)
    same = validate_application_input(make_input(idempotency_key="b" * 10), "input", today=TODAY)
    other = validate_application_input(replace(make_input(), term_months=13), "input", today=TODAY)
    assert first.fingerprint == same.fingerprint
    assert first.fingerprint != other.fingerprint


def test_reason_rules() -> None:
    assert [v.field for v in check_reason("", "reason", required=True)] == ["reason"]
    assert [v.field for v in check_reason("   ", "reason", required=True)] == ["reason"]
    assert check_reason("", "reason", required=False) == []
    assert check_reason("r" * 500, "reason", required=True) == []
    assert [v.field for v in check_reason("r" * 501, "reason", required=False)] == ["reason"]
