"""The PostgreSQL pool pings only connections that sat idle, and still recovers when
the server drops connections it was using."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from momo.storage import engine as engine_module
from momo.storage.database import Database
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only")


@pytest.fixture
def database() -> Iterator[Database]:
    db = Database(str(PG_URL))
    yield db
    db.engine.dispose()


def _backend(db: Database) -> int:
    with db.read() as conn:
        return int(conn.scalar(text("SELECT pg_backend_pid()")))


def _terminate(pid: int) -> None:
    other = Database(str(PG_URL))
    try:
        with other.write() as conn:
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        other.engine.dispose()


def test_a_connection_idle_past_the_limit_is_pinged_and_replaced(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _backend(database)
    _terminate(first)
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0)
    # The ping finds the dropped connection; the pool opens another, and the
    # transaction never sees an error.
    second = _backend(database)
    assert second != first


def test_a_connection_used_a_moment_ago_is_not_pinged(database: Database) -> None:
    first = _backend(database)
    _terminate(first)
    # No ping: the dropped connection is used and fails (the round trip a ping would
    # cost on every transaction is what this saves) ...
    with pytest.raises(DBAPIError) as failure:
        _backend(database)
    assert failure.value.connection_invalidated
    # ... and the failure invalidates the pool, so the next transaction reconnects.
    assert _backend(database) != first
