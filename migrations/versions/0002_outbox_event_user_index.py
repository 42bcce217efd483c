"""Outbox rows of one event and one person: the index a registration re-plans through.

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
    op.create_index("ix_outbox_event_id_user_id", "outbox", ["event_id", "user_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_event_id_user_id", table_name="outbox")
