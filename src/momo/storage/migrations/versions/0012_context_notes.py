"""context notes, their ratings under rotating rater pseudonyms, and the status log

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_ROWID = {"sqlite_with_rowid": False}


def upgrade() -> None:
    with op.batch_alter_table("notes") as batch:
        batch.add_column(sa.Column("has_context", sa.Boolean(), server_default="0", nullable=False))
    op.create_table(
        "context_notes",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("note_id", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(24), nullable=False),
        sa.Column("created_bucket", sa.Integer(), nullable=False),
        sa.Column("sealed_author", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(24), server_default="needs_more_ratings", nullable=False),
        sa.Column("intercept", sa.Float(), server_default="0", nullable=False),
        sa.Column("factor", sa.Float(), server_default="0", nullable=False),
        sa.Column("rating_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("damped", sa.Boolean(), server_default="0", nullable=False),
        **NO_ROWID,
    )
    op.create_index("ix_context_notes_note", "context_notes", ["note_id", "status"])
    op.create_index("ix_context_notes_status", "context_notes", ["status", "created_bucket"])
    op.create_table(
        "context_ratings",
        sa.Column("context_id", sa.String(16), nullable=False),
        sa.Column("rater", sa.String(32), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("tags", sa.String(200), server_default="", nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("created_bucket", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("context_id", "rater"),
        **NO_ROWID,
    )
    op.create_index("ix_context_ratings_epoch", "context_ratings", ["epoch"])
    op.create_table(
        "context_raters",
        sa.Column("rater", sa.String(32), primary_key=True),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("factor", sa.Float(), nullable=False),
        **NO_ROWID,
    )
    op.create_table(
        "context_log",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("context_id", sa.String(16), nullable=False),
        sa.Column("note_id", sa.String(16), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("created_bucket", sa.Integer(), nullable=False),
        **NO_ROWID,
    )
    op.create_index("ix_context_log_time", "context_log", ["created_bucket", "id"])


def downgrade() -> None:
    for table in ("context_log", "context_raters", "context_ratings", "context_notes"):
        op.drop_table(table)
    with op.batch_alter_table("notes") as batch:
        batch.drop_column("has_context")
