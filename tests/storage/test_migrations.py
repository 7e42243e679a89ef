"""Migrations go up, down and up again on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from momo.storage.database import Database
from momo.storage.metadata import metadata
from momo.storage.migrate import downgrade, upgrade
from tests.conftest import PG_URL, with_schema

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_url() -> str:
    url = PG_URL or DEFAULT_PG
    try:
        db = Database(url)
        with db.engine.connect():
            pass
        db.dispose()
    except Exception as error:
        if os.environ.get("MOMO_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required but unreachable: {error}")
        pytest.skip(f"no PostgreSQL at {url}: {type(error).__name__}")
    return url


def _round_trip(db: Database) -> None:
    expected = {table.name for table in metadata.sorted_tables}
    upgrade(db.engine)
    assert expected <= set(inspect(db.engine).get_table_names())
    downgrade(db.engine)
    assert not expected & set(inspect(db.engine).get_table_names())
    upgrade(db.engine)
    assert expected <= set(inspect(db.engine).get_table_names())


def test_round_trip_on_sqlite(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'round.sqlite3'}")
    _round_trip(db)
    with db.read() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    db.dispose()


def test_round_trip_on_postgresql() -> None:
    url = _postgres_url()
    admin = Database(url)
    with admin.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS momo_migrations CASCADE"))
        conn.execute(text("CREATE SCHEMA momo_migrations"))
    admin.dispose()
    db = Database(with_schema(url, "momo_migrations"))
    _round_trip(db)
    db.dispose()
