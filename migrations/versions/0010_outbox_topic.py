"""Outbox rows carry their topic: the student's consent or the school's digest they are about.

Re-planning a class's consent reminders looked the rows up by a pattern inside the key, which
reads the whole outbox once per part of the class. With the topic in an index it reads only the
rows concerned. Existing consent rows get their topic from their key.

Revision ID: 0010_outbox_topic
Revises: 0009_codes_appeals
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_outbox_topic"
down_revision: str | Sequence[str] | None = "0009_codes_appeals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSENT_STEP = "consent_due"
BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("topic", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_outbox_topic", ["topic"])
    outbox = sa.table(
        "outbox", sa.column("id", sa.Integer), sa.column("key", sa.String),
        sa.column("step", sa.String), sa.column("event_id", sa.Integer),
        sa.column("topic", sa.String),
    )  # fmt: skip
    bind = op.get_bind()
    found = bind.execute(
        sa.select(outbox.c.id, outbox.c.key).where(
            outbox.c.step == CONSENT_STEP, outbox.c.event_id.is_(None)
        )
    ).all()
    updates = [{"row_id": row_id, "topic": topic_of(key)} for row_id, key in found]
    statement = (
        sa.update(outbox)
        .where(outbox.c.id == sa.bindparam("row_id"))
        .values(topic=sa.bindparam("topic"))
    )
    for start in range(0, len(updates), BATCH):
        bind.execute(statement, updates[start : start + BATCH])


def topic_of(key: str) -> str | None:
    """`kind:user:consent/<student>/<year>:step:due` or `…:consent/s<school>/<year>/<day>:…`."""
    parts = key.split(":")
    if len(parts) < 3 or not parts[2].startswith("consent/"):
        return None
    pieces = parts[2].split("/")
    return "/".join(pieces[:3])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_index("ix_outbox_topic")
        batch_op.drop_column("topic")
