"""topic pages read one ordered index range: note_topics keeps the note's bucket

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("note_topics", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.add_column(
            sa.Column("created_bucket", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE note_topics SET created_bucket = "
        "(SELECT created_bucket FROM notes WHERE notes.id = note_topics.note_id)"
    )
    op.create_index("ix_note_topics_feed", "note_topics", ["topic", "created_bucket", "note_id"])


def downgrade() -> None:
    op.drop_index("ix_note_topics_feed", table_name="note_topics")
    with op.batch_alter_table("note_topics", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.drop_column("created_bucket")
