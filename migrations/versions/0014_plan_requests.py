"""Plan requests: a registration change is planned after its own commit, not inside it.

Revision ID: 0014_plan_requests
Revises: 0013_calendar_quiet_hours
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0014_plan_requests"
down_revision: str | Sequence[str] | None = "0013_calendar_quiet_hours"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_request")),
    )


def downgrade() -> None:
    op.drop_table("plan_request")
