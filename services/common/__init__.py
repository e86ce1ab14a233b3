"""What every backend service shares: database access, migrations, errors and the gRPC server."""

from services.common.db import Database, database_url_for
from services.common.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    Unavailable,
)
from services.common.server import ServiceSpec, serve

__all__ = [
    "AlreadyExists",
    "Database",
    "DomainError",
    "FailedPrecondition",
    "FieldViolation",
    "InvalidArgument",
    "NotFound",
    "ServiceSpec",
    "Unavailable",
    "database_url_for",
    "serve",
]
