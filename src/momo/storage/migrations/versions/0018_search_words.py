"""PostgreSQL search stores each note's words, and indexes terms derived from them

Revision ID: 0018
Revises: 0017

The index table kept every note's terms as a ``tsvector`` with positions, for the
phrase operator: 2.2 KB per note, three times the text, on top of the GIN index.
It now keeps the note's ``index_words`` (about the size of the text); the GIN
index is over an IMMUTABLE function that reads the terms off them, and a phrase
is checked with LIKE on the words (``search_index``). Document ids are kept.
SQLite's FTS5 index is unchanged.
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import context, op

from momo.content import search_index, search_index_v1
from momo.content.search_index import FTS_TABLE, IndexedNote, SearchIndex
from momo.content.tables import notes
from momo.content.text import index_tokens, index_words

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 5000


def _refill(conn: sa.Connection, insert: str, stored: Callable[[int, str], str]) -> None:
    """Index every note that has a document id again, under that id, in id order."""
    last = -1
    while True:
        rows = conn.execute(
            sa.select(notes.c.search_doc, notes.c.title, notes.c.body)
            .where(notes.c.search_doc > last)
            .order_by(notes.c.search_doc)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        conn.execute(
            sa.text(insert),
            [
                {"doc": r.search_doc, "stored": stored(r.search_doc, f"{r.title}\n{r.body}")}
                for r in rows
            ],
        )
        last = rows[-1].search_doc


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION {search_index_v1.NEWEST_SIGNATURE}")
    op.execute(f"DROP TABLE {FTS_TABLE}")
    op.execute(search_index.POSTGRES_TERMS)
    op.execute(search_index.POSTGRES_TABLE)
    op.execute(search_index.POSTGRES_NEWEST)
    _refill(
        conn,
        f"INSERT INTO {FTS_TABLE} (doc, words) VALUES (:doc, :stored)",
        lambda _doc, text: index_words(text),
    )
    # In one pass, after the documents, with the memory the operator allows.
    memory = context.config.attributes.get("index_build_memory")
    SearchIndex.build_postgres_index(conn, memory or search_index.INDEX_BUILD_MEMORY)
    # 0007 left PostgreSQL's first index empty: notes it never indexed are now.
    unindexed = conn.execute(
        sa.select(notes.c.id, notes.c.title, notes.c.body, notes.c.created_bucket).where(
            notes.c.published.is_(True), notes.c.search_doc.is_(None)
        )
    ).all()
    SearchIndex().add(
        conn, (IndexedNote(r.id, r.title, r.body, r.created_bucket) for r in unindexed)
    )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    op.execute(f"DROP TABLE {FTS_TABLE}")
    op.execute(f"DROP FUNCTION {search_index.TERMS_FUNCTION}(bigint, text)")
    op.execute(f"DROP FUNCTION {search_index.NEWEST_SIGNATURE}")
    for statement in search_index_v1.POSTGRES_DDL:
        op.execute(statement)
    op.execute(search_index_v1.POSTGRES_NEWEST)
    op.execute(search_index_v1.POSTGRES_STATISTICS)
    _refill(
        conn,
        f"INSERT INTO {FTS_TABLE} (doc, terms) VALUES (:doc, CAST(:stored AS tsvector))",
        lambda doc, text: search_index_v1.stored_terms(index_tokens(text), doc),
    )
