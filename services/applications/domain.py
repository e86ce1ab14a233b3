"""Validation of application requests: pure functions from raw input to checked values.

Every function collects all violations of a request before failing, so a caller fixes its
request in one round trip. Field paths are given relative to a prefix (``input`` for a single
create, ``inputs[3]`` for a batch item) so they point into the request the caller sent.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import date

from services.common.errors import FieldViolation, InvalidArgument
from services.common.storable_text import UNSTORABLE, is_storable
from services.common.validation import parse_id

__all__ = [
    "INSURED_KINDS",
    "MAX_COMMENT_LENGTH",
    "MAX_REASON_LENGTH",
    "MAX_SUM_INSURED_KOPECKS",
    "ApplicationInput",
    "NewApplication",
    "VehicleInput",
    "check_application_input",
    "check_reason",
    "validate_application_input",
]

INSURED_KINDS = ("person", "vehicle", "property", "trip")
MAX_SUM_INSURED_KOPECKS = 10**12
MAX_COMMENT_LENGTH = 2000
MAX_DESCRIPTION_LENGTH = 1000
MAX_REASON_LENGTH = 500
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_MIN_VEHICLE_YEAR = 1950


@dataclass(frozen=True, slots=True)
class VehicleInput:
    """The insured vehicle (OSAGO, KASKO) as the caller sent it."""

    vin: str
    plate: str = ""
    make: str = ""
    model: str = ""
    year: int = 0
    engine_power_hp: int = 0


@dataclass(frozen=True, slots=True)
class ApplicationInput:
    """A create request as the caller sent it (not yet validated)."""

    idempotency_key: str
    client_id: str
    product_id: str
    insured_kind: str
    insured_description: str
    sum_insured_kopecks: int
    term_months: int
    vehicle: VehicleInput | None = None
    comment: str = ""
    submit: bool = False


@dataclass(frozen=True, slots=True)
class NewApplication:
    """A validated, normalized create request."""

    idempotency_key: str
    client_id: str
    product_id: str
    insured_kind: str
    insured_description: str
    sum_insured_kopecks: int
    term_months: int
    vehicle: VehicleInput | None
    comment: str
    submit: bool

    @property
    def fingerprint(self) -> str:
        """SHA-256 over everything but the key: equal for a retry, different for a reused key."""
        body = asdict(self)
        del body["idempotency_key"]
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def _check_vehicle(
    vehicle: VehicleInput, prefix: str, today: date
) -> tuple[VehicleInput, list[FieldViolation]]:
    violations: list[FieldViolation] = []
    vin = vehicle.vin.strip().upper()
    if not _VIN.match(vin):
        violations.append(
            FieldViolation(
                f"{prefix}.vin",
                f"{vehicle.vin!r} is not a valid VIN; a VIN has 17 letters and digits, without I, O and Q.",
            )
        )
    last_year = today.year + 1
    if not _MIN_VEHICLE_YEAR <= vehicle.year <= last_year:
        violations.append(
            FieldViolation(
                f"{prefix}.year",
                f"Year {vehicle.year} is out of range; use {_MIN_VEHICLE_YEAR}..{last_year}.",
            )
        )
    if not 1 <= vehicle.engine_power_hp <= 2000:
        violations.append(
            FieldViolation(
                f"{prefix}.engine_power_hp",
                f"Engine power {vehicle.engine_power_hp} hp is out of range; use 1..2000.",
            )
        )
    for name, value, limit in (
        ("plate", vehicle.plate, 20),
        ("make", vehicle.make, 100),
        ("model", vehicle.model, 100),
    ):
        if len(value.strip()) > limit:
            violations.append(FieldViolation(f"{prefix}.{name}", f"Must be at most {limit} characters."))
    normalized = VehicleInput(
        vin=vin,
        plate=vehicle.plate.strip().upper(),
        make=vehicle.make.strip(),
        model=vehicle.model.strip(),
        year=vehicle.year,
        engine_power_hp=vehicle.engine_power_hp,
    )
    return normalized, violations


def _check_key(key: str, field: str) -> list[FieldViolation]:
    if not key:
        return [
            FieldViolation(
                field, "An idempotency key is required; send a unique string of 8..128 characters."
            )
        ]
    if not 8 <= len(key) <= 128:
        return [FieldViolation(field, f"The idempotency key has {len(key)} characters; use 8..128.")]
    return []


def check_application_input(
    raw: ApplicationInput, prefix: str, *, today: date
) -> tuple[NewApplication | None, list[FieldViolation]]:
    """Validate ``raw``; return the normalized request, or None and every violation.

    Args:
        raw: the request as sent.
        prefix: the path of ``raw`` in the caller's request (``input`` or ``inputs[3]``).
        today: the current date (bounds the vehicle year).
    """
    violations = _check_key(raw.idempotency_key, f"{prefix}.idempotency_key")
    client_id = parse_id(raw.client_id, f"{prefix}.client_id")
    product_id = parse_id(raw.product_id, f"{prefix}.product_id")
    violations += [v for v in (client_id, product_id) if isinstance(v, FieldViolation)]
    if not 0 < raw.sum_insured_kopecks <= MAX_SUM_INSURED_KOPECKS:
        violations.append(
            FieldViolation(
                f"{prefix}.sum_insured_kopecks",
                f"Sum insured {raw.sum_insured_kopecks} is out of range; use 1..{MAX_SUM_INSURED_KOPECKS} kopecks.",
            )
        )
    if not 1 <= raw.term_months <= 600:
        violations.append(
            FieldViolation(
                f"{prefix}.term_months", f"Term {raw.term_months} is out of range; use 1..600 months."
            )
        )
    kind = raw.insured_kind.strip().lower()
    if kind not in INSURED_KINDS:
        violations.append(
            FieldViolation(
                f"{prefix}.insured_object.kind",
                f"{raw.insured_kind!r} is not an insured object kind; use one of {', '.join(INSURED_KINDS)}.",
            )
        )
    if len(raw.insured_description) > MAX_DESCRIPTION_LENGTH:
        violations.append(
            FieldViolation(
                f"{prefix}.insured_object.description",
                f"Must be at most {MAX_DESCRIPTION_LENGTH} characters.",
            )
        )
    vehicle = raw.vehicle
    if vehicle is not None:
        vehicle, vehicle_violations = _check_vehicle(vehicle, f"{prefix}.vehicle", today)
        violations += vehicle_violations
    elif kind == "vehicle":
        violations.append(
            FieldViolation(
                f"{prefix}.vehicle", "A vehicle is required when the insured object kind is 'vehicle'."
            )
        )
    if len(raw.comment) > MAX_COMMENT_LENGTH:
        violations.append(
            FieldViolation(
                f"{prefix}.comment",
                f"The comment has {len(raw.comment)} characters; at most {MAX_COMMENT_LENGTH} are allowed.",
            )
        )
    violations += _unstorable(raw, prefix)
    if violations or isinstance(client_id, FieldViolation) or isinstance(product_id, FieldViolation):
        return None, violations
    return (
        NewApplication(
            idempotency_key=raw.idempotency_key,
            client_id=client_id,
            product_id=product_id,
            insured_kind=kind,
            insured_description=raw.insured_description.strip(),
            sum_insured_kopecks=raw.sum_insured_kopecks,
            term_months=raw.term_months,
            vehicle=vehicle,
            comment=raw.comment.strip(),
            submit=raw.submit,
        ),
        [],
    )


def _unstorable(raw: ApplicationInput, prefix: str) -> list[FieldViolation]:
    """A violation for every text of ``raw`` the database cannot store (checked here, per batch item)."""
    texts = {
        "idempotency_key": raw.idempotency_key,
        "insured_object.description": raw.insured_description,
        "insured_object.kind": raw.insured_kind,
        "comment": raw.comment,
    }
    if raw.vehicle is not None:
        for name in ("vin", "plate", "make", "model"):
            texts[f"vehicle.{name}"] = getattr(raw.vehicle, name)
    return [
        FieldViolation(f"{prefix}.{name}", UNSTORABLE)
        for name, text in texts.items()
        if not is_storable(text)
    ]


def validate_application_input(raw: ApplicationInput, prefix: str, *, today: date) -> NewApplication:
    """Like ``check_application_input`` but raise one ``InvalidArgument`` listing every violation."""
    checked, violations = check_application_input(raw, prefix, today=today)
    if checked is None:
        raise InvalidArgument.for_fields(violations)
    return checked


def check_reason(reason: str, field: str, *, required: bool) -> list[FieldViolation]:
    """Violations of a status-change reason: at most 500 characters, and present when ``required``."""
    if required and not reason.strip():
        return [FieldViolation(field, "A reason is required to cancel an application.")]
    if len(reason) > MAX_REASON_LENGTH:
        return [
            FieldViolation(
                field, f"The reason has {len(reason)} characters; at most {MAX_REASON_LENGTH} are allowed."
            )
        ]
    return []
