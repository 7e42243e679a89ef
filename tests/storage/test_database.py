"""Reads on PostgreSQL run without a transaction; writes always have one."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text

from momo.storage.database import Database
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only")
IDLE = psycopg.pq.TransactionStatus.IDLE


@pytest.fixture
def database() -> Iterator[Database]:
    db = Database(str(PG_URL))
    with db.write() as conn:
        conn.execute(text("DROP TABLE IF EXISTS read_modes"))
        conn.execute(text("CREATE TABLE read_modes (n integer)"))
    yield db
    with db.write() as conn:
        conn.execute(text("DROP TABLE read_modes"))
    db.engine.dispose()


def _status(conn: object) -> psycopg.pq.TransactionStatus:
    return conn.connection.dbapi_connection.info.transaction_status  # type: ignore[attr-defined, no-any-return]


def test_a_read_sends_no_begin_and_leaves_no_transaction_open(database: Database) -> None:
    with database.read() as conn:
        assert conn.scalar(text("SELECT count(*) FROM read_modes")) == 0
        # Idle after a statement: no BEGIN went out, so no COMMIT has to follow.
        assert _status(conn) == IDLE


def test_a_write_after_a_read_on_the_same_connection_is_still_atomic(
    database: Database,
) -> None:
    with database.read() as conn:
        used = conn.connection.dbapi_connection
        conn.scalar(text("SELECT 1"))
    with pytest.raises(RuntimeError), database.write() as conn:
        assert conn.connection.dbapi_connection is used  # the pool handed it back
        conn.execute(text("INSERT INTO read_modes VALUES (1)"))
        raise RuntimeError("the request failed half way")
    with database.read() as conn:
        assert conn.scalar(text("SELECT count(*) FROM read_modes")) == 0
