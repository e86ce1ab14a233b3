"""Alembic environment of the client_info service."""

from services.client_info.models import metadata
from services.common.migrations import run_env

run_env(metadata)
