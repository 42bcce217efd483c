"""Registrations counted per event from an index: (event_id, state, score).

The panel's first screen and /overview count an event's registrations, results and absences
over a whole region; with the state and the score in the index, the table is not read. The
index on event_id alone is covered by it and goes.

Revision ID: 0007_registration_counts
Revises: 0006_calendar_steps
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_registration_counts"
down_revision: str | Sequence[str] | None = "0006_calendar_steps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("registration") as batch_op:
        batch_op.create_index(
            "ix_registration_event_id_state_score", ["event_id", "state", "score"]
        )
        batch_op.drop_index("ix_registration_event_id")


def downgrade() -> None:
    with op.batch_alter_table("registration") as batch_op:
        batch_op.create_index("ix_registration_event_id", ["event_id"])
        batch_op.drop_index("ix_registration_event_id_state_score")
