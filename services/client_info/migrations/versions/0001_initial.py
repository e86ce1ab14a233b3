"""The client card: clients, addresses, documents, relatives and vehicles.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _client_fk(primary_key: bool = False) -> sa.Column[Any]:
    return sa.Column(
        "client_id",
        sa.String(36),
        sa.ForeignKey("clients.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def _stamp(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("middle_name", sa.String(100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(16), nullable=False),
        sa.Column("phone_digits", sa.String(15), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("search_key", sa.String(310), nullable=False),
        sa.Column("employment", sa.JSON(), nullable=True),
        sa.Column("health", sa.JSON(), nullable=True),
        sa.Column("marketing", sa.JSON(), nullable=True),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_clients"),
    )
    op.create_index("ix_clients_last_name_first_name_id", "clients", ["last_name", "first_name", "id"])
    op.create_table(
        "addresses",
        _client_fk(primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False, primary_key=True),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("street", sa.String(200), nullable=False),
        sa.Column("house", sa.String(20), nullable=False),
        sa.Column("apartment", sa.String(20), nullable=False),
        sa.Column("postal_code", sa.String(6), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "kind", name="pk_addresses"),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.String(36), nullable=False),
        _client_fk(),
        sa.Column("type", sa.String(24), nullable=False),
        sa.Column("number", sa.String(12), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("issuer", sa.String(200), nullable=False),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("type", "number", name="uq_documents_type_number"),
        sa.UniqueConstraint("client_id", "type", name="uq_documents_client_id_type"),
    )
    op.create_index("ix_documents_number", "documents", ["number"])
    op.create_table(
        "relatives",
        sa.Column("id", sa.String(36), nullable=False),
        _client_fk(),
        sa.Column("relation", sa.String(16), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("middle_name", sa.String(100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        _stamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_relatives"),
    )
    op.create_index("ix_relatives_client_id", "relatives", ["client_id"])
    op.create_table(
        "vehicles",
        sa.Column("id", sa.String(36), nullable=False),
        _client_fk(),
        sa.Column("vin", sa.String(17), nullable=False),
        sa.Column("plate", sa.String(9), nullable=False),
        sa.Column("make", sa.String(50), nullable=False),
        sa.Column("model", sa.String(50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("engine_power_hp", sa.Integer(), nullable=False),
        _stamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_vehicles"),
        sa.UniqueConstraint("vin", name="uq_vehicles_vin"),
    )
    op.create_index("ix_vehicles_client_id", "vehicles", ["client_id"])


def downgrade() -> None:
    for table in ("vehicles", "relatives", "documents", "addresses", "clients"):
        op.drop_table(table)
