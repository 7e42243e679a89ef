"""search through a real full-text index (FTS5 / GIN) instead of search_terms rows

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from momo.content import search_index_v1
from momo.content.search_index import FTS_TABLE, SQLITE_DDL, SearchIndex

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column("notes", sa.Column("search_doc", sa.BigInteger(), nullable=True))
    op.create_index("ix_notes_search_doc", "notes", ["search_doc"], unique=True)
    if conn.dialect.name == "sqlite":
        op.execute(SQLITE_DDL)
        SearchIndex().rebuild(conn)
    else:
        # PostgreSQL's first form; 0018 replaces it and indexes every note then.
        for statement in search_index_v1.POSTGRES_DDL:
            op.execute(statement)
    op.drop_table("search_terms")


def downgrade() -> None:
    from momo.content.text import index_tokens

    conn = op.get_bind()
    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(64), nullable=False),
        sa.Column(
            "note_id",
            sa.String(16),
            sa.ForeignKey("notes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("term", "note_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_search_terms_note", "search_terms", ["note_id"])
    rows = conn.execute(sa.text("SELECT id, title, body FROM notes")).all()
    table = sa.table("search_terms", sa.column("term"), sa.column("note_id"))
    for note_id, title, body in rows:
        terms = {t for t in index_tokens(f"{title}\n{body}") if len(t) > 1 or t.isascii()}
        if terms:
            conn.execute(sa.insert(table), [{"term": t, "note_id": note_id} for t in terms])
    op.execute(f"DROP TABLE {FTS_TABLE}")
    op.drop_index("ix_notes_search_doc", table_name="notes")
    with op.batch_alter_table("notes", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.drop_column("search_doc")
