"""The state machine table (pure), every ordered pair of statuses."""

from __future__ import annotations

import itertools

import pytest

from services.applications.state_machine import (
    CANCELLABLE,
    TRANSITIONS,
    ApplicationStatus,
    check_transition,
    parse_status,
)
from services.common.errors import FailedPrecondition, FieldViolation

S = ApplicationStatus
LEGAL = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.PROCESSING),
    (S.PROCESSING, S.OFFERED),
    (S.OFFERED, S.APPROVED),
    (S.APPROVED, S.COMPLETED),
    (S.PROCESSING, S.REJECTED),
    (S.OFFERED, S.REJECTED),
    (S.DRAFT, S.CANCELLED),
    (S.SUBMITTED, S.CANCELLED),
    (S.PROCESSING, S.CANCELLED),
    (S.OFFERED, S.CANCELLED),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_every_pair(current: ApplicationStatus, target: ApplicationStatus) -> None:
    if (current, target) in LEGAL:
        check_transition("APP-2026-000001", current, target)
        return
    with pytest.raises(FailedPrecondition) as caught:
        check_transition("APP-2026-000001", current, target)
    message = caught.value.message
    assert "'APP-2026-000001'" in message
    assert f"is {current.value} and cannot move to {target.value}" in message
    for allowed in TRANSITIONS[current]:
        assert allowed.value in message


def test_table_matches_the_legal_set() -> None:
    assert {(c, t) for c, targets in TRANSITIONS.items() for t in targets} == LEGAL
    assert {S.DRAFT, S.SUBMITTED, S.PROCESSING, S.OFFERED} == CANCELLABLE


def test_final_status_message() -> None:
    with pytest.raises(FailedPrecondition, match="COMPLETED is a final status"):
        check_transition("APP-2026-000001", S.COMPLETED, S.CANCELLED)


def test_parse_status() -> None:
    assert parse_status("OFFERED", "to_status") is S.OFFERED
    violation = parse_status("APPLICATION_STATUS_UNSPECIFIED", "to_status")
    assert isinstance(violation, FieldViolation)
    assert violation.field == "to_status"
    assert "DRAFT" in violation.description
