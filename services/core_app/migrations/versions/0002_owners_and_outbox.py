"""Quote sessions record the application's owner; the outbox of events for applications.

Revision ID: 0002
Revises: 0001
Create Date: 2027-01-12

Sessions written before this revision were requested by the only caller the service knew, the
first party. The ``outbox`` carries ``OFFER_MADE`` and ``POLICY_ISSUED`` to the applications
service (``services.core_app.outbox_relay``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("quote_sessions") as batch:
        batch.add_column(sa.Column("owner", sa.String(72), nullable=False, server_default="first-party"))
    with op.batch_alter_table("quote_sessions") as batch:
        batch.alter_column("owner", server_default=None, existing_type=sa.String(72), existing_nullable=False)
    op.create_table(
        "outbox",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("subject_id", sa.String(36), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
    )
    op.create_index(
        "ix_outbox_undelivered",
        "outbox",
        ["id"],
        postgresql_where=sa.text("delivered_at IS NULL"),
        sqlite_where=sa.text("delivered_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_undelivered", table_name="outbox")
    op.drop_table("outbox")
    with op.batch_alter_table("quote_sessions") as batch:
        batch.drop_column("owner")
