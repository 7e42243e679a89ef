"""PostgreSQL search: the walk back through stretches of days runs in the database

Revision ID: 0017
Revises: 0016

A search used to send two statements per stretch of days, each a round trip and
each planned and set up anew. One PL/pgSQL function now walks the stretches
(``search_index.POSTGRES_NEWEST``) and stops at the first that fills the page.
ANALYZE keeps the shares of more of the index's terms, so a search can tell a
rare term (read all its matches at once) from a common one (read the newest
documents first). SQLite's FTS5 index returns matches in document order and
needs none of this.
"""

from collections.abc import Sequence

from alembic import op

from momo.content.search_index import FTS_TABLE
from momo.content.search_index_v1 import NEWEST_SIGNATURE, POSTGRES_NEWEST, POSTGRES_STATISTICS

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_NEWEST)
        op.execute(POSTGRES_STATISTICS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {FTS_TABLE} ALTER COLUMN terms SET STATISTICS -1")
        op.execute(f"DROP FUNCTION {NEWEST_SIGNATURE}")
