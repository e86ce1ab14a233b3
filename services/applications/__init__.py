"""The applications backend: insurance applications, their state machine, search and outbox.

``Applications`` holds the use cases; ``build_spec`` serves them over gRPC; ``seed`` writes
deterministic demo data.
"""

from services.applications.app import MIGRATIONS_DIR, build_spec
from services.applications.domain import ApplicationInput, VehicleInput
from services.applications.operations import Applications, CreateOutcome, ListFilterRequest
from services.applications.seed import seed
from services.applications.state_machine import ApplicationStatus

__all__ = [
    "MIGRATIONS_DIR",
    "ApplicationInput",
    "ApplicationStatus",
    "Applications",
    "CreateOutcome",
    "ListFilterRequest",
    "VehicleInput",
    "build_spec",
    "seed",
]
