"""Quiet hours per calendar: a person's own quiet hours for one calendar's reminders.

Revision ID: 0013_calendar_quiet_hours
Revises: 0012_outbox_documents
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0013_calendar_quiet_hours"
down_revision: str | Sequence[str] | None = "0012_outbox_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_quiet_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("calendar", sa.String(length=32), nullable=False),
        sa.Column("quiet_start", sa.SmallInteger(), nullable=False),
        sa.Column("quiet_end", sa.SmallInteger(), nullable=False),
        sa.Column("updated_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_calendar_quiet_hours_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_quiet_hours")),
        sa.UniqueConstraint(
            "user_id", "calendar", name=op.f("uq_calendar_quiet_hours_user_id_calendar")
        ),
    )


def downgrade() -> None:
    op.drop_table("calendar_quiet_hours")
