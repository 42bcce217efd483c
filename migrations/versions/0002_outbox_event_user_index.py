"""Outbox rows of one event and one person: the index a registration re-plans through.

It also serves what the index on event_id alone did (an event's rows), which goes: one index
fewer to maintain for every planned row.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.create_index("ix_outbox_event_id_user_id", ["event_id", "user_id"])
        batch_op.drop_index("ix_outbox_event_id")


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.create_index("ix_outbox_event_id", ["event_id"])
        batch_op.drop_index("ix_outbox_event_id_user_id")
