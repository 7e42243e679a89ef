"""Checkpoints run beside the writes, never inside one."""

import threading
import time
from collections.abc import Callable
from pathlib import Path

from momo.storage.checkpoints import Checkpointer
from momo.storage.database import Database


def _file_size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_commit_does_not_checkpoint_and_the_background_does(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = Database(f"sqlite:///{path}")
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE blobs (x BLOB)")
    assert _wait_for(lambda: _file_size(path) > 0), "the table reached the file"
    # A background checkpoint may still be copying pages: finish it (this waits for
    # it), so the file's size stays put until the next checkpoint.
    db.checkpoint()
    before = _file_size(path)
    with db.write() as conn:
        # About 3,000 pages: three times the WAL size at which SQLite would have
        # checkpointed inside this commit.
        conn.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
            "INSERT INTO blobs SELECT randomblob(4000) FROM n"
        )
    # The background round starts its second's wait at this commit: nothing has
    # checkpointed it yet.
    assert _file_size(path) == before, "the commit copied its pages into the file"
    assert _file_size(tmp_path / "db.sqlite3-wal") > 3000 * 4000
    assert _wait_for(lambda: _file_size(path) > before + 3000 * 4000), "no checkpoint came"
    db.dispose()


def test_a_truncating_checkpoint_never_loses_to_a_background_one(tmp_path: Path) -> None:
    """Edits and deletes truncate the WAL so old text leaves the folder; a
    background checkpoint running at that moment must not make it a no-op."""
    path = tmp_path / "db.sqlite3"
    db = Database(f"sqlite:///{path}")
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x BLOB)")
    stop = threading.Event()

    def background() -> None:
        while not stop.is_set():
            db.checkpoint_passive()

    runner = threading.Thread(target=background)
    runner.start()
    try:
        left = []
        for _ in range(40):
            with db.write() as conn:
                conn.exec_driver_sql("INSERT INTO t SELECT randomblob(200000)")
            db.checkpoint()
            left.append(_file_size(tmp_path / "db.sqlite3-wal"))
    finally:
        stop.set()
        runner.join()
    assert left == [0] * 40, left
    db.dispose()


def test_a_disposed_database_is_not_opened_again(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = Database(f"sqlite:///{path}")
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
    db.dispose()
    path.unlink()
    db.checkpoint_passive()
    assert not path.exists()


class _Counting:
    def __init__(self) -> None:
        self.checkpoints = 0
        self.done = threading.Event()

    def checkpoint_passive(self) -> None:
        self.checkpoints += 1
        self.done.set()


def test_writes_close_together_share_one_checkpoint() -> None:
    checkpointer = Checkpointer(interval_seconds=0.2)
    database = _Counting()
    for _ in range(50):
        checkpointer.wrote(database)
    assert database.done.wait(5)
    time.sleep(0.5)
    assert database.checkpoints == 1
    checkpointer.wrote(database)
    assert _wait_for(lambda: database.checkpoints == 2, 5)


def test_a_failing_checkpoint_does_not_stop_the_others() -> None:
    class Broken:
        def checkpoint_passive(self) -> None:
            raise RuntimeError("the file is gone")

    checkpointer = Checkpointer(interval_seconds=0.05)
    broken, fine = Broken(), _Counting()
    checkpointer.wrote(broken)
    checkpointer.wrote(fine)
    assert fine.done.wait(5)
    checkpointer.wrote(fine)
    assert _wait_for(lambda: fine.checkpoints == 2, 5)
