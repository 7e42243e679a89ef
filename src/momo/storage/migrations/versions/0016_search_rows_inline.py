"""PostgreSQL search: keep each document's terms inside its row, uncompressed

Revision ID: 0016
Revises: 0015

A note's ``tsvector`` (about 2 KB) is just over the size at which PostgreSQL
moves a value out of line, so nearly every one sat in the TOAST table: checking
a phrase against a candidate cost an index lookup and two chunk reads. With
``toast_tuple_target`` at its maximum a row under a page stays whole (a long
note's terms are still moved out), and a 4-character phrase is checked about
five times faster. The column is rewritten so existing rows move back in.
"""

from collections.abc import Sequence

from alembic import op

from momo.content.search_index import FTS_TABLE, TOAST_TUPLE_TARGET

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {FTS_TABLE} SET (toast_tuple_target = {TOAST_TUPLE_TARGET})")
        # A USING expression other than the bare column makes PostgreSQL rewrite
        # every row (and rebuild the indexes), each stored afresh under the new target.
        op.execute(
            f"ALTER TABLE {FTS_TABLE} ALTER COLUMN terms TYPE tsvector USING terms || ''::tsvector"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {FTS_TABLE} RESET (toast_tuple_target)")
