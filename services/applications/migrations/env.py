"""Alembic environment of the applications service (run through services.common.migrations.upgrade)."""

from services.applications.models import metadata
from services.common.migrations import run_env

run_env(metadata)
