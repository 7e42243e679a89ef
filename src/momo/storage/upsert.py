"""INSERT … ON CONFLICT DO NOTHING for both SQLite and PostgreSQL."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def upsert_ignore(conn: Connection, table: Table, **values: Any) -> Any:
    return insert_ignoring_conflicts(conn.dialect.name, table).values(**values)


@cache
def insert_ignoring_conflicts(dialect: str, table: Table) -> Any:
    """The statement without values, built once per dialect and table: paths that run
    it on every write pass the row as parameters."""
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing()
