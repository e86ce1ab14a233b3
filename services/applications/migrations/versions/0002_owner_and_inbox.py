"""Owners (partner isolation), idempotency keys per owner, and the inbox of core_app events.

Revision ID: 0002
Revises: 0001
Create Date: 2027-01-12

Every application records who created it: ``partner:<id>`` or ``first-party``. Rows written
before this revision came from the only caller the service knew, so they become ``first-party``.
An idempotency key is unique per owner from now on: two partners may use the same key.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.applications.models import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("owner", sa.String(72), nullable=False, server_default="first-party"))
        batch.drop_constraint("uq_applications_idempotency_key", type_="unique")
        batch.create_unique_constraint("uq_applications_owner_idempotency_key", ["owner", "idempotency_key"])
    with op.batch_alter_table("applications") as batch:
        batch.alter_column("owner", server_default=None, existing_type=sa.String(72), existing_nullable=False)
    op.create_index("ix_applications_owner_applied_at_id", "applications", ["owner", "applied_at", "id"])
    op.create_table(
        "inbox",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_inbox_application_id", "inbox", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_application_id", table_name="inbox")
    op.drop_table("inbox")
    op.drop_index("ix_applications_owner_applied_at_id", table_name="applications")
    with op.batch_alter_table("applications") as batch:
        batch.drop_constraint("uq_applications_owner_idempotency_key", type_="unique")
        batch.create_unique_constraint("uq_applications_idempotency_key", ["idempotency_key"])
        batch.drop_column("owner")
