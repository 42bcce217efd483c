"""Data-calendar roles: the calendar a role is held in, step marks per organisation, plan works.

Revision ID: 0006_calendar_steps
Revises: 0005_collections
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0006_calendar_steps"
down_revision: str | Sequence[str] | None = "0005_collections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AT = models.base.UtcDateTime(timezone=True)


def upgrade() -> None:
    for table in ("role_grant", "invitation"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("calendar", sa.String(length=32), nullable=True))
    op.create_table(
        "step_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calendar", sa.String(length=32), nullable=False),
        sa.Column("item", sa.String(length=96), nullable=False),
        sa.Column("org_kind", sa.String(length=16), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("done_at", _AT, nullable=False),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("file_id", sa.String(length=200), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["user_account.id"],
            name=op.f("fk_step_mark_done_by_id_user_account"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_step_mark")),
        sa.UniqueConstraint(
            "calendar", "item", "org_kind", "org_id",
            name=op.f("uq_step_mark_calendar_item_org_kind_org_id"),
        ),
    )  # fmt: skip
    op.create_table(
        "plan_work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calendar", sa.String(length=32), nullable=False),
        sa.Column("scope_key", sa.String(length=24), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("track", sa.String(length=32), nullable=False),
        sa.Column("work_on", sa.Date(), nullable=False),
        sa.Column("upload_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_plan_work_region_id_region"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"], ["municipality.id"],
            name=op.f("fk_plan_work_municipality_id_municipality"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_plan_work_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"],
            name=op.f("fk_plan_work_created_by_id_user_account"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_work")),
        sa.UniqueConstraint(
            "calendar", "scope_key", "subject", "grade",
            name=op.f("uq_plan_work_calendar_scope_key_subject_grade"),
        ),
    )  # fmt: skip
    with op.batch_alter_table("plan_work") as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_work_scope_key"), ["scope_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_work") as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_work_scope_key"))
    op.drop_table("plan_work")
    op.drop_table("step_mark")
    for table in ("invitation", "role_grant"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("calendar")
