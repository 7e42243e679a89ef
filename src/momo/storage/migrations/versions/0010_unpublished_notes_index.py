"""publication finds unpublished notes through an index, not a scan of every note

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_notes_unpublished", "notes", ["published", "created_bucket"])


def downgrade() -> None:
    op.drop_index("ix_notes_unpublished", table_name="notes")
