"""comments: answer a new comment's questions about its thread from indexes alone

Revision ID: 0016
Revises: 0015

Every comment reads its thread twice inside its write transaction: the next
position, and the pile-on figures (recent replies, distinct voices, the older
baseline). Both used to visit every comment row of the thread, so a comment on a
thread of thousands cost thousands of row lookups while holding the write lock.
The thread index now carries the voice and parent, and positions get their own.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_comments_thread", table_name="comments")
    op.create_index(
        "ix_comments_thread",
        "comments",
        ["note_id", "created_bucket", "id", "voice", "parent_id"],
    )
    op.create_index("ix_comments_position", "comments", ["note_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_comments_position", table_name="comments")
    op.drop_index("ix_comments_thread", table_name="comments")
    op.create_index("ix_comments_thread", "comments", ["note_id", "created_bucket", "id"])
