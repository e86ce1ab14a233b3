"""Argument checks before any RPC, and proto→GraphQL field path renaming."""

from __future__ import annotations

import pytest

from grpc_clients.errors import FieldViolation, InvalidArgumentError
from resolvers.arguments import (
    batch_item_path,
    graphql_path,
    parse_id,
    parse_ids,
    rename_violations,
    require_limit,
)

UUID = "123e4567-e89b-12d3-a456-426614174000"


def test_parse_id_canonicalizes() -> None:
    assert parse_id(UUID.upper(), "id") == UUID


def test_parse_id_rejects_with_a_field_violation() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        parse_id("42", "input.clientId")
    assert caught.value.code == "BAD_USER_INPUT"
    (violation,) = caught.value.violations
    assert violation.field == "input.clientId"
    assert "'42' is not a valid id" in violation.description


def test_parse_ids_reports_every_bad_id() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        parse_ids([UUID, "x", "y"], "ids")
    assert [v.field for v in caught.value.violations] == ["ids[1]", "ids[2]"]
    assert parse_ids([UUID], "ids") == [UUID]


def test_require_limit() -> None:
    assert require_limit(5, "first", maximum=100) == 5
    with pytest.raises(InvalidArgumentError, match="between 1 and 100, got 101"):
        require_limit(101, "first", maximum=100)
    with pytest.raises(InvalidArgumentError):
        require_limit(0, "first", maximum=100)


@pytest.mark.parametrize(
    ("proto", "renames", "prefix", "expected"),
    [
        ("input.sum_insured_kopecks", None, "", "input.sumInsuredKopecks"),
        ("inputs[3].client_id", None, "", "inputs[3].clientId"),
        ("page_token", {"page_token": "after"}, "", "after"),
        ("input.idempotency_key", {"input.idempotency_key": "idempotencyKey"}, "", "idempotencyKey"),
        ("last_name", None, "input", "input.lastName"),
        ("documents[0].issue_date", None, "input", "input.documents[0].issueDate"),
    ],
)
def test_graphql_path(proto: str, renames: dict[str, str] | None, prefix: str, expected: str) -> None:
    assert graphql_path(proto, renames, prefix=prefix) == expected


def test_rename_violations_rebuilds_the_message_and_keeps_the_cause() -> None:
    cause = RuntimeError("grpc")
    error = InvalidArgumentError(
        "Invalid value for 'client_id': Unknown.", [FieldViolation("client_id", "Unknown.")]
    )
    error.__cause__ = cause
    renamed = rename_violations(error, prefix="input")
    assert renamed.message == "Invalid value for 'input.clientId': Unknown."  # no proto name left
    assert renamed.violations == (FieldViolation("input.clientId", "Unknown."),)
    assert renamed.__cause__ is cause
    assert rename_violations(InvalidArgumentError("bad")).message == "bad"  # nothing to rename


def test_batch_item_paths_point_into_the_item_input() -> None:
    own = frozenset({"idempotency_key"})
    assert batch_item_path("inputs[2].sum_insured_kopecks", "application", own=own) == (
        "inputs[2].application.sumInsuredKopecks"
    )
    assert batch_item_path("inputs[2].vehicle.engine_power_hp", "application", own=own) == (
        "inputs[2].application.vehicle.enginePowerHp"
    )
    assert batch_item_path("inputs[0].idempotency_key", "application", own=own) == "inputs[0].idempotencyKey"
    assert batch_item_path("inputs", "application", own=own) == "inputs"
