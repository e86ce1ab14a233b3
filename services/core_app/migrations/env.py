"""Alembic environment of the core_app service (run through ``services.common.migrations.upgrade``)."""

from services.common.migrations import run_env
from services.core_app.models import metadata

run_env(metadata)
