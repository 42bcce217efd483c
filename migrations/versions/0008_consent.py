"""Parents' consent to a student's participation, per student and school year.

Revision ID: 0008_consent
Revises: 0007_registration_counts
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0008_consent"
down_revision: str | Sequence[str] | None = "0007_registration_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("given_at", models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("given_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["student_id"], ["user_account.id"],
            name=op.f("fk_consent_student_id_user_account"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["given_by_id"], ["user_account.id"],
            name=op.f("fk_consent_given_by_id_user_account"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"], ["user_account.id"],
            name=op.f("fk_consent_withdrawn_by_id_user_account"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
        sa.UniqueConstraint("student_id", "school_year", name=op.f("uq_consent_student_id_school_year")),
    )  # fmt: skip
    with op.batch_alter_table("consent") as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_student_id"), ["student_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("consent") as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_student_id"))
    op.drop_table("consent")
