"""Data collections (organisations' states, report jobs) and card completeness.

Revision ID: 0005_collections
Revises: 0004_inbox
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0005_collections"
down_revision: str | Sequence[str] | None = "0004_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "card_completeness",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("tenths", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("reported_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["user_account.id"],
            name=op.f("fk_card_completeness_reported_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_card_completeness_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_completeness")),
        sa.UniqueConstraint("school_id", name=op.f("uq_card_completeness_school_id")),
    )
    op.create_table(
        "data_collection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        sa.Column("opens_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("template_file_id", sa.String(length=200), nullable=True),
        sa.Column("template_name", sa.String(length=200), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_data_collection_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_data_collection_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
            name=op.f("fk_data_collection_region_id_region"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_collection")),
    )
    with op.batch_alter_table("data_collection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_collection_region_id"), ["region_id"], unique=False
        )

    op.create_table(
        "data_collection_org",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("started_at", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["data_collection.id"],
            name=op.f("fk_data_collection_org_collection_id_data_collection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_data_collection_org_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_collection_org")),
        sa.UniqueConstraint(
            "collection_id",
            "school_id",
            name=op.f("uq_data_collection_org_collection_id_school_id"),
        ),
    )
    with op.batch_alter_table("data_collection_org", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_collection_org_collection_id"), ["collection_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_data_collection_org_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "data_collection_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["data_collection.id"],
            name=op.f("fk_data_collection_report_collection_id_data_collection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_data_collection_report_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_collection_report")),
    )
    with op.batch_alter_table("data_collection_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_collection_report_status"), ["status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("data_collection_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_collection_report_status"))

    op.drop_table("data_collection_report")
    with op.batch_alter_table("data_collection_org", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_collection_org_school_id"))
        batch_op.drop_index(batch_op.f("ix_data_collection_org_collection_id"))

    op.drop_table("data_collection_org")
    with op.batch_alter_table("data_collection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_collection_region_id"))

    op.drop_table("data_collection")
    op.drop_table("card_completeness")
