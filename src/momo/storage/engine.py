"""Create the SQLAlchemy engine for SQLite (the embedded default) or PostgreSQL."""

from __future__ import annotations

import time
from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

IDLE_PING_SECONDS = 10.0
"""A pooled PostgreSQL connection idle longer than this is pinged before use."""


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling is switched off; BEGIN is emitted here.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=10, max_overflow=10)
    event.listen(engine, "checkout", _ping_if_idle)
    event.listen(engine, "checkin", _note_return)
    return engine


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Ping only a connection that sat idle, where a restarted or restarting server
    may have closed it. SQLAlchemy's ``pool_pre_ping`` pings on every checkout: one
    more round trip for each transaction, a fifth of a comment's. A connection used
    a moment ago that then fails is still handled: the error invalidates the pool,
    so the next checkout starts afresh."""
    returned = record.info.get("momo_returned")
    if returned is not None and time.monotonic() - returned < IDLE_PING_SECONDS:
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        dbapi_connection.rollback()  # hand it over idle: a read may switch to autocommit
    except psycopg.Error as error:
        # The pool discards this connection and checks out another (three tries).
        raise exc.DisconnectionError(str(error)) from error


def _note_return(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["momo_returned"] = time.monotonic()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Deleted rows must not linger in free pages of the file.
    cursor.execute("PRAGMA secure_delete=ON")
    # No commit checkpoints: storage.checkpoints does it off the write path.
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Writers take the lock up front (IMMEDIATE) so two writers never deadlock
    # upgrading a read lock; readers stay deferred and run beside them in WAL.
    writing = conn.get_execution_options().get("momo_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
