"""PostgreSQL search: each document carries the day of its bucket as lexemes

Revision ID: 0015
Revises: 0014

A GIN index gives matches in no order. With the day (at three widths) inside
each document, a search intersects a term with a stretch of days in the index
itself and reads only that stretch's matches (``search_index.stretches``).
SQLite's FTS5 index returns matches in document order and needs none of this.
"""

from collections.abc import Sequence

from alembic import op

from momo.content.search_index import DAY_SECONDS, FTS_TABLE, PERIODS, RANDOM_BITS

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DAY = f"((doc >> {RANDOM_BITS}) / {DAY_SECONDS})"
_LEXEMES = (
    "ARRAY[" + ", ".join(f"'~{name}' || ({_DAY} / {width})::text" for name, width in PERIODS) + "]"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"UPDATE {FTS_TABLE} SET terms = terms || array_to_tsvector({_LEXEMES})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"UPDATE {FTS_TABLE} SET terms = ts_delete(terms, {_LEXEMES})")
