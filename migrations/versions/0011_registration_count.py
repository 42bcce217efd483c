"""Each event's registrations, results and expected results, kept by triggers on registration
(models/registration_counts.py), filled in from the registrations already there.

Revision ID: 0011_registration_count
Revises: 0010_outbox_topic
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.registration_counts import (
    BACKFILL,
    POSTGRESQL_DROP,
    POSTGRESQL_TRIGGERS,
    SQLITE_DROP,
    SQLITE_TRIGGERS,
)

revision: str = "0011_registration_count"
down_revision: str | Sequence[str] | None = "0010_outbox_topic"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _dialect() -> str:
    return op.get_bind().dialect.name


def upgrade() -> None:
    op.create_table(
        "registration_count",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registered", sa.Integer(), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["olympiad_event.id"],
            name=op.f("fk_registration_count_event_id_olympiad_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_registration_count")),
    )
    op.execute(BACKFILL)
    for statement in POSTGRESQL_TRIGGERS if _dialect() == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for statement in POSTGRESQL_DROP if _dialect() == "postgresql" else SQLITE_DROP:
        op.execute(statement)
    op.drop_table("registration_count")
