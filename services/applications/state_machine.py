"""The application state machine: which status may follow which.

DRAFT → SUBMITTED → PROCESSING → OFFERED → APPROVED → COMPLETED; PROCESSING and OFFERED may
end in REJECTED; DRAFT, SUBMITTED, PROCESSING and OFFERED may be CANCELLED (with a reason).
REJECTED, CANCELLED and COMPLETED are final.
"""

from __future__ import annotations

from enum import StrEnum

from services.common.errors import FailedPrecondition, FieldViolation

__all__ = [
    "CANCELLABLE",
    "MAIN_PATH",
    "TRANSITIONS",
    "ApplicationStatus",
    "check_transition",
    "parse_status",
    "steps_towards",
]


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

MAIN_PATH: tuple[ApplicationStatus, ...] = (
    _S.DRAFT,
    _S.SUBMITTED,
    _S.PROCESSING,
    _S.OFFERED,
    _S.APPROVED,
    _S.COMPLETED,
)
"""The way an application goes when nothing stops it; events of other services move it along."""

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


def steps_towards(
    current: ApplicationStatus, target: ApplicationStatus
) -> tuple[ApplicationStatus, ...] | None:
    """The statuses to pass through, in order, to bring ``current`` forward to ``target`` on the main path.

    Empty when ``current`` is ``target`` or already beyond it; ``None`` when ``current`` is off the
    main path (REJECTED, CANCELLED), from where ``target`` can never be reached. Every step is an
    allowed transition, so history shows each status the application went through.
    """
    if current not in MAIN_PATH:
        return None
    start, end = MAIN_PATH.index(current), MAIN_PATH.index(target)
    return MAIN_PATH[start + 1 : end + 1] if start < end else ()
