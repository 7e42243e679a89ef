"""The one handle every domain service uses to reach storage."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from momo.storage.checkpoints import CHECKPOINTS
from momo.storage.engine import make_engine

log = logging.getLogger(__name__)
# Callbacks waiting for a ``Database.write`` transaction to commit, by connection.
_AFTER_COMMIT: dict[Connection, list[Callable[[], None]]] = {}


def after_commit(conn: Connection, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the write transaction on ``conn`` has committed, and
    never if it rolls back: for caches of what is stored, which must not learn
    of rows that may yet vanish. Outside ``Database.write`` it is not run."""
    pending = _AFTER_COMMIT.get(conn)
    if pending is not None:
        pending.append(callback)


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self._disposed = False
        # One checkpoint at a time in this process: SQLite answers a second one with
        # "busy" at once, without waiting, and a truncating checkpoint that lost to a
        # background one would leave edited or deleted text in the WAL.
        self._checkpointing = threading.Lock()
        # SQLite has one writer at a time. Left to itself, a waiting writer sleeps
        # and retries (busy_timeout) in ever longer steps, so under load some wait
        # for seconds; queueing this process's writers on a lock serves them in turn.
        self._writer = threading.Lock() if self.dialect == "sqlite" else contextlib.nullcontext()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading. On PostgreSQL each statement runs on its own
        (autocommit): at READ COMMITTED a transaction gives statements no common
        snapshot anyway, and BEGIN and COMMIT would be two more round trips (and
        ``SET LOCAL`` would not last: settings belong on a function or statement).
        SQLite reads share a snapshot; there BEGIN costs no round trip."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT")
                yield conn
                return
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self._writer, self.engine.connect() as conn:
            conn.execution_options(momo_write=True)
            committed = _AFTER_COMMIT[conn] = []
            try:
                with conn.begin():
                    yield conn
            finally:
                del _AFTER_COMMIT[conn]
            for callback in committed:
                callback()
        if self.dialect == "sqlite":
            CHECKPOINTS.wrote(self)

    def checkpoint(self) -> None:
        """Fold SQLite's WAL into the database file and truncate it to nothing.

        Until then the WAL holds every recent page version: deleted and edited
        text, and the order of recent writes. ``secure_delete`` then zeroes what
        was freed in the main file. PostgreSQL has no such file to fold.
        """
        if self.dialect != "sqlite":
            return
        try:
            with self._checkpointing, self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except OperationalError as error:  # busy: the next checkpoint will do it
            log.warning("WAL checkpoint postponed: %s", error)

    def checkpoint_passive(self) -> None:
        """Copy into the database file what no reader still needs, without waiting
        for anyone (``storage.checkpoints`` calls it in the background)."""
        with self._checkpointing:
            if self._disposed:  # connecting again would reopen (or create) the file
                return
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def dispose(self) -> None:
        self.checkpoint()
        with self._checkpointing:
            self._disposed = True
        self.engine.dispose()
