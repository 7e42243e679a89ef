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

from sqlalchemy import Connection, inspect

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
    rows = 0
    with db.write() as conn:
        tables = _tables(conn)
        for table in tables:
            conn.exec_driver_sql(
                f'CREATE TEMPORARY TABLE "aside_{table}" ON COMMIT DROP AS SELECT * FROM "{table}"'
            )
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))
        for table, key in tables.items():
            result = conn.exec_driver_sql(
                f'INSERT INTO "{table}" SELECT * FROM "aside_{table}" ORDER BY {key}'
            )
            rows += result.rowcount
    return rows


def _tables(conn: Connection) -> dict[str, str]:
    """Every table with its primary-key order, parents before the tables referring to
    them; tables created by migrations alone (the search index) come last."""
    found = inspect(conn)
    declared = [t.name for t in metadata.sorted_tables]
    extra = sorted(set(found.get_table_names()) - {*declared, "alembic_version"})
    return {
        name: ", ".join(f'"{c}"' for c in found.get_pk_constraint(name)["constrained_columns"])
        for name in [*declared, *extra]
    }
