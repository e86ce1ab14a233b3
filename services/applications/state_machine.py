"""The application state machine: which status may follow which.

DRAFT → SUBMITTED → PROCESSING → OFFERED → APPROVED → COMPLETED; PROCESSING and OFFERED may
end in REJECTED; DRAFT, SUBMITTED, PROCESSING and OFFERED may be CANCELLED (with a reason).
REJECTED, CANCELLED and COMPLETED are final.
"""

from __future__ import annotations

from enum import StrEnum

from services.common.errors import FailedPrecondition, FieldViolation

__all__ = ["CANCELLABLE", "TRANSITIONS", "ApplicationStatus", "check_transition", "parse_status"]


class ApplicationStatus(StrEnum):
    """An application's status; values equal the proto enum names and the stored text."""

    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    PROCESSING = "PROCESSING"
    OFFERED = "OFFERED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"
    COMPLETED = "COMPLETED"


_S = ApplicationStatus

TRANSITIONS: dict[ApplicationStatus, tuple[ApplicationStatus, ...]] = {
    _S.DRAFT: (_S.SUBMITTED, _S.CANCELLED),
    _S.SUBMITTED: (_S.PROCESSING, _S.CANCELLED),
    _S.PROCESSING: (_S.OFFERED, _S.REJECTED, _S.CANCELLED),
    _S.OFFERED: (_S.APPROVED, _S.REJECTED, _S.CANCELLED),
    _S.APPROVED: (_S.COMPLETED,),
    _S.REJECTED: (),
    _S.CANCELLED: (),
    _S.COMPLETED: (),
}
"""The allowed targets of each status."""

CANCELLABLE = frozenset(status for status, targets in TRANSITIONS.items() if _S.CANCELLED in targets)


def check_transition(number: str, current: ApplicationStatus, target: ApplicationStatus) -> None:
    """Raise ``FailedPrecondition`` unless ``current → target`` is allowed.

    The message names the application, its current status and the allowed targets, so the
    caller can see why and what it could do instead.
    """
    allowed = TRANSITIONS[current]
    if target in allowed:
        return
    if allowed:
        options = f"allowed from {current.value}: {', '.join(s.value for s in allowed)}."
    else:
        options = f"{current.value} is a final status, so no further change is allowed."
    raise FailedPrecondition(
        f"Application {number!r} is {current.value} and cannot move to {target.value}; {options}"
    )


def parse_status(name: str, field: str) -> ApplicationStatus | FieldViolation:
    """The status called ``name``, or a violation naming ``field`` and the accepted values."""
    try:
        return ApplicationStatus(name)
    except ValueError:
        accepted = ", ".join(status.value for status in ApplicationStatus)
        return FieldViolation(field, f"{name!r} is not an application status; use one of {accepted}.")
