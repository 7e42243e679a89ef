"""INSERT … ON CONFLICT DO NOTHING for both SQLite and PostgreSQL."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def upsert_ignore(conn: Connection, table: Table, **values: Any) -> Any:
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table).values(**values).on_conflict_do_nothing()


@cache
def insert_ignoring_conflicts(dialect: str, table: Table) -> Any:
    """The same statement without values, built once per table, for paths that run it
    on every write: pass the row as parameters."""
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing()
