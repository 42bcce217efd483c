"""Files in the outbox: the document of a `document` row, as bytes or a Telegram file id.

Revision ID: 0012_outbox_documents
Revises: 0011_registration_count
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_outbox_documents"
down_revision: str | Sequence[str] | None = "0011_registration_count"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_document",
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("file_id", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_outbox_document_outbox_id_outbox"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("outbox_id", name=op.f("pk_outbox_document")),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("outbox_document")
