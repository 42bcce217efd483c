"""The olympiad day: participant codes, per-event settings of the day, appeals.

Revision ID: 0009_codes_appeals
Revises: 0008_consent
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0009_codes_appeals"
down_revision: str | Sequence[str] | None = "0008_consent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_day_setting",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("release_time", sa.String(length=5), nullable=True),
        sa.Column("codes_assigned_at", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("appeal_until", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("appeal_hours", sa.Integer(), nullable=True),
        sa.Column("updated_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["olympiad_event.id"],
            name=op.f("fk_event_day_setting_event_id_olympiad_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_day_setting")),
    )
    op.create_table(
        "participant_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("reserve", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("release_at", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("assigned_at", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("voided_at", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["olympiad_event.id"],
            name=op.f("fk_participant_code_event_id_olympiad_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["user_account.id"],
            name=op.f("fk_participant_code_student_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_code")),
        sa.UniqueConstraint("event_id", "code", name=op.f("uq_participant_code_event_id_code")),
    )
    with op.batch_alter_table("participant_code", schema=None) as batch_op:
        batch_op.create_index(
            "ix_participant_code_event_id_student_id", ["event_id", "student_id"], unique=False
        )

    op.create_table(
        "appeal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("task", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("old_score", sa.Float(), nullable=True),
        sa.Column("new_score", sa.Float(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("filed_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["user_account.id"],
            name=op.f("fk_appeal_answered_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["olympiad_event.id"],
            name=op.f("fk_appeal_event_id_olympiad_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["filed_by_id"],
            ["user_account.id"],
            name=op.f("fk_appeal_filed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_appeal_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["user_account.id"],
            name=op.f("fk_appeal_student_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal")),
    )
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeal_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_appeal_registration_id"), ["registration_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeal_registration_id"))
        batch_op.drop_index(batch_op.f("ix_appeal_event_id"))

    op.drop_table("appeal")
    with op.batch_alter_table("participant_code", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_code_event_id_student_id")

    op.drop_table("participant_code")
    op.drop_table("event_day_setting")
