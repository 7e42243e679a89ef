"""SQLite's WAL checkpoints, taken off the requests that write.

Left to itself, SQLite checkpoints inside a committing write once the WAL holds
1,000 pages: that one write copies every page back into the database file and
syncs it, while every other writer queues behind the write lock. Random keys put
each write's pages all over the file, so the larger the database, the longer
that stall: at a million notes such a commit took 25–375 ms against about 2 ms
for the others (docs/performance.md, "Checkpoints off the write path").

So connections never checkpoint on commit (``wal_autocheckpoint=0``, set in
``storage.engine``), and one thread checkpoints each database that was written,
at most ``INTERVAL_SECONDS`` after the write, in PASSIVE mode: it copies what no
reader still needs, never waits for a writer, and never makes one wait.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from typing import Protocol

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 1.0


class Checkpointable(Protocol):
    def checkpoint_passive(self) -> None: ...


class Checkpointer:
    """One daemon thread for every SQLite database of the process. It holds them
    weakly: a database nobody uses any more is simply dropped."""

    def __init__(self, interval_seconds: float = INTERVAL_SECONDS) -> None:
        self._interval = interval_seconds
        self._written: weakref.WeakSet[Checkpointable] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def wrote(self, database: Checkpointable) -> None:
        """``database`` committed a write: checkpoint it soon."""
        with self._lock:
            self._written.add(database)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="momo-checkpoints", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            # Gather the writes of the next moment into one checkpoint.
            time.sleep(self._interval)
            with self._lock:
                self._wake.clear()
                due = list(self._written)
                self._written.clear()
            for database in due:
                try:
                    database.checkpoint_passive()
                except Exception:  # a closed or broken database: its owner will see it
                    log.exception("WAL checkpoint failed")
            del due  # hold no database between rounds


CHECKPOINTS = Checkpointer()
