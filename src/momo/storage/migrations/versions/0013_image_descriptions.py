"""image descriptions (alt text) written by the note's author

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("note_images") as batch:
        batch.add_column(sa.Column("alt", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("note_images") as batch:
        batch.drop_column("alt")
