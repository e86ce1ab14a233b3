"""Catalog, tariffs, policies and OSAGO quote sessions.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(36), primary_key=True)


def _instant(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "products",
        _id(),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_products"),
        sa.UniqueConstraint("code", name="uq_products_code"),
    )
    op.create_index("ix_products_kind", "products", ["kind"])
    op.create_table(
        "insurers",
        _id(),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("license_number", sa.String(40), nullable=False),
        sa.Column("rating", sa.Float, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_insurers"),
        sa.UniqueConstraint("code", name="uq_insurers_code"),
    )
    op.create_table(
        "tariffs",
        _id(),
        sa.Column(
            "product_id",
            sa.String(36),
            sa.ForeignKey("products.id", name="fk_tariffs_product_id_products"),
            nullable=False,
        ),
        sa.Column(
            "insurer_id",
            sa.String(36),
            sa.ForeignKey("insurers.id", name="fk_tariffs_insurer_id_insurers"),
            nullable=False,
        ),
        sa.Column("base_premium_kopecks", sa.BigInteger, nullable=False),
        sa.Column("rate_percent", sa.Float, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=False),
        _instant("refreshed_at"),
        sa.PrimaryKeyConstraint("id", name="pk_tariffs"),
        sa.UniqueConstraint(
            "product_id", "insurer_id", "valid_from", name="uq_tariffs_product_id_insurer_id_valid_from"
        ),
    )
    op.create_index("ix_tariffs_product_id", "tariffs", ["product_id"])
    op.create_index("ix_tariffs_insurer_id", "tariffs", ["insurer_id"])
    op.create_index("ix_tariffs_validity", "tariffs", ["valid_from", "valid_to"])
    op.create_table(
        "quote_sessions",
        _id(),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column(
            "product_id",
            sa.String(36),
            sa.ForeignKey("products.id", name="fk_quote_sessions_product_id_products"),
            nullable=False,
        ),
        sa.Column("engine_power_hp", sa.Integer, nullable=False),
        sa.Column("region", sa.String(8), nullable=False),
        sa.Column("driver_age", sa.Integer, nullable=False),
        sa.Column("driver_experience_years", sa.Integer, nullable=False),
        _instant("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_quote_sessions"),
    )
    op.create_index("ix_quote_sessions_application_id", "quote_sessions", ["application_id"])
    op.create_table(
        "offers",
        _id(),
        sa.Column(
            "session_id",
            sa.String(36),
            sa.ForeignKey("quote_sessions.id", name="fk_offers_session_id_quote_sessions"),
            nullable=False,
        ),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column(
            "insurer_id",
            sa.String(36),
            sa.ForeignKey("insurers.id", name="fk_offers_insurer_id_insurers"),
            nullable=False,
        ),
        sa.Column(
            "product_id",
            sa.String(36),
            sa.ForeignKey("products.id", name="fk_offers_product_id_products"),
            nullable=False,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("premium_kopecks", sa.BigInteger, nullable=True),
        _instant("requested_at"),
        _instant("settled_at", nullable=True),
        _instant("valid_until", nullable=True),
        sa.Column("failure_reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_offers"),
    )
    op.create_index("ix_offers_session_id", "offers", ["session_id"])
    op.create_index("ix_offers_application_id", "offers", ["application_id"])
    op.create_table(
        "policies",
        _id(),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column(
            "product_id",
            sa.String(36),
            sa.ForeignKey("products.id", name="fk_policies_product_id_products"),
            nullable=False,
        ),
        sa.Column(
            "insurer_id",
            sa.String(36),
            sa.ForeignKey("insurers.id", name="fk_policies_insurer_id_insurers"),
            nullable=False,
        ),
        sa.Column("application_id", sa.String(36), nullable=True),
        sa.Column(
            "offer_id",
            sa.String(36),
            sa.ForeignKey("offers.id", name="fk_policies_offer_id_offers"),
            nullable=True,
        ),
        sa.Column("premium_kopecks", sa.BigInteger, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _instant("issued_at"),
        sa.PrimaryKeyConstraint("id", name="pk_policies"),
        sa.UniqueConstraint("number", name="uq_policies_number"),
        sa.UniqueConstraint("offer_id", name="uq_policies_offer_id"),
    )
    op.create_index("ix_policies_client_id", "policies", ["client_id"])
    op.create_index("ix_policies_application_id", "policies", ["application_id"])


def downgrade() -> None:
    for table in ("policies", "offers", "quote_sessions", "tariffs", "insurers", "products"):
        op.drop_table(table)
