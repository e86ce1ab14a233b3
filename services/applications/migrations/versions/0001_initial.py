"""Applications, status history, outbox, number counters and full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Works on PostgreSQL and SQLite. Search differs by dialect: PostgreSQL gets a generated
``search_vector`` tsvector column (Russian configuration) with a GIN index; SQLite gets the FTS5
table ``applications_fts`` whose body the application fills with Snowball stems.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.applications.models import STATUS_NAMES, UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_STATUS_CHECK = "status IN (" + ", ".join(f"'{name}'" for name in STATUS_NAMES) + ")"

_PG_SEARCH_VECTOR = """
ALTER TABLE applications ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('russian', coalesce(number, '')), 'A')
    || setweight(to_tsvector('russian', coalesce(insured_description, '')), 'B')
    || setweight(to_tsvector('russian', coalesce(comment, '')), 'C')
    || setweight(to_tsvector('russian', coalesce(cancellation_reason, '')), 'C')
) STORED
"""


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("applied_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("insured_kind", sa.String(16), nullable=False),
        sa.Column("insured_description", sa.Text(), nullable=False),
        sa.Column("sum_insured_kopecks", sa.BigInteger(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("vehicle_vin", sa.String(17), nullable=True),
        sa.Column("vehicle_plate", sa.String(20), nullable=True),
        sa.Column("vehicle_make", sa.String(100), nullable=True),
        sa.Column("vehicle_model", sa.String(100), nullable=True),
        sa.Column("vehicle_year", sa.Integer(), nullable=True),
        sa.Column("vehicle_engine_power_hp", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("cancellation_reason", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("request_fingerprint", sa.String(64), nullable=False),
        sa.CheckConstraint(_STATUS_CHECK, name="ck_applications_status"),
        sa.CheckConstraint("sum_insured_kopecks > 0", name="ck_applications_sum_insured_positive"),
        sa.CheckConstraint("term_months BETWEEN 1 AND 600", name="ck_applications_term_months_range"),
        sa.UniqueConstraint("number", name="uq_applications_number"),
        sa.UniqueConstraint("idempotency_key", name="uq_applications_idempotency_key"),
    )
    op.create_index("ix_applications_applied_at_id", "applications", ["applied_at", "id"])
    op.create_index(
        "ix_applications_client_id_applied_at_id", "applications", ["client_id", "applied_at", "id"]
    )
    op.create_index(
        "ix_applications_product_id_applied_at_id", "applications", ["product_id", "applied_at", "id"]
    )
    op.create_index("ix_applications_status_applied_at_id", "applications", ["status", "applied_at", "id"])

    op.create_table(
        "status_history",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "application_id",
            sa.String(36),
            sa.ForeignKey(
                "applications.id", ondelete="CASCADE", name="fk_status_history_application_id_applications"
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.CheckConstraint(_STATUS_CHECK, name="ck_status_history_status"),
        sa.UniqueConstraint("application_id", "position", name="uq_status_history_application_id_position"),
    )

    op.create_table(
        "outbox",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("aggregate_type", sa.String(32), nullable=False),
        sa.Column("aggregate_id", sa.String(36), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
        sa.UniqueConstraint("aggregate_id", "sequence", name="uq_outbox_aggregate_id_sequence"),
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["id"],
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )

    op.create_table(
        "application_number_counters",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_SEARCH_VECTOR)
        op.execute("CREATE INDEX ix_applications_search_vector ON applications USING gin (search_vector)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE applications_fts USING fts5("
            "application_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_applications_search_vector")
    else:
        op.execute("DROP TABLE IF EXISTS applications_fts")
    op.drop_table("application_number_counters")
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("status_history")
    op.drop_table("applications")
