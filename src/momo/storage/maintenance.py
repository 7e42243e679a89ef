"""``momo maintenance``: rewrite the database so it keeps no order of writing.

On SQLite every table is ``WITHOUT ROWID`` and keyed by random values, so rows
already sit in random order; ``VACUUM`` rebuilds the file page by page in key
order and a truncating checkpoint empties the WAL.

PostgreSQL appends new row versions to the heap, stamps each with the writing
transaction's id (``xmin``), and keeps dead versions until vacuumed: physical
order, ``xmin`` and dead tuples all record when rows were written. Here every
table is copied aside, truncated (which gives it new, empty files) and filled
again in primary-key order, in one transaction. Afterwards every row carries
the same ``xmin`` and the heap order is the order of random keys. It takes an
exclusive lock on every table: run it in a quiet hour, as the operator's guide says.
"""

from __future__ import annotations

from sqlalchemy import Table

from momo.storage.database import Database
from momo.storage.metadata import metadata


def rewrite_in_key_order(db: Database) -> int:
    """Rewrite every table; returns how many rows were rewritten."""
    if db.dialect == "sqlite":
        db.checkpoint()
        with db.engine.connect() as conn:
            conn.connection.driver_connection.execute("VACUUM")  # type: ignore[union-attr]
        db.checkpoint()
        with db.read() as conn:
            return sum(
                int(conn.exec_driver_sql(f'SELECT count(*) FROM "{t.name}"').scalar() or 0)
                for t in metadata.sorted_tables
            )
    tables = metadata.sorted_tables  # parents before the tables that refer to them
    rows = 0
    with db.write() as conn:
        for table in tables:
            conn.exec_driver_sql(
                f'CREATE TEMPORARY TABLE "aside_{table.name}" ON COMMIT DROP AS '
                f'SELECT * FROM "{table.name}"'
            )
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables))
        for table in tables:
            result = conn.exec_driver_sql(
                f'INSERT INTO "{table.name}" SELECT * FROM "aside_{table.name}" '
                f"ORDER BY {_key_order(table)}"
            )
            rows += result.rowcount
    return rows


def _key_order(table: Table) -> str:
    return ", ".join(f'"{column.name}"' for column in table.primary_key.columns)
