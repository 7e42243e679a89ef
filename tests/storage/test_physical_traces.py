"""What the files themselves keep: insertion order, deleted and edited text, modes.

* Order: SQLite rowids kept exact insertion order, even after ``.backup`` and
  ``VACUUM``. Every table is now ``WITHOUT ROWID`` with random keys. On
  PostgreSQL, ``momo maintenance`` rewrites tables in key order under one xmin.
* Remnants: deleted and edited text stayed readable in the WAL until a
  checkpoint. Edits and deletes now checkpoint the WAL away, and
  ``secure_delete`` zeroes freed space.
* Modes: the data folder is 0700 and its files 0600; a missing secrets file
  with accounts in the database stops the server instead of making new keys.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from momo.audit.forensics import postgres_row_versions
from momo.config import Settings
from momo.content.tables import notes
from momo.core import Momo
from momo.keyring import SecretsFileMissing
from momo.storage.maintenance import rewrite_in_key_order
from tests.conftest import PG_URL, SUITE_SCHEMA, publish, viewers

sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="the SQLite file's own traces")
postgres_only = pytest.mark.skipif(not PG_URL, reason="needs MOMO_TEST_DATABASE_URL")


def _rank_correlation(order: list[str], truth: list[str]) -> float:
    """Spearman's rho between the order seen and the order of writing."""
    position = {item: i for i, item in enumerate(truth)}
    ranks = [position[item] for item in order]
    n = len(ranks)
    d2 = sum((rank - i) ** 2 for i, rank in enumerate(ranks))
    return 1 - 6 * d2 / (n * (n * n - 1))


def _write_in_order(momo: Momo, count: int = 60) -> list[str]:
    people = viewers(momo, 3)
    return [momo.notes.create(people[i % 3], f"n{i}", "") for i in range(count)]


def _sqlite_path(momo: Momo) -> Path:
    return Path(momo.settings.resolved_database_url.removeprefix("sqlite:///"))


@sqlite_only
def test_sqlite_files_keep_no_insertion_order(momo: Momo, tmp_path: Path) -> None:
    written = _write_in_order(momo)
    path = _sqlite_path(momo)
    with sqlite3.connect(path) as conn:
        tables = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
        ).fetchall()
        # The search index's shadow tables are keyed by segment and page, not by
        # note: test_search_index_keeps_no_order_inside_a_bucket covers them.
        tables = [(name, sql) for name, sql in tables if not name.startswith("note_search")]
        assert tables and all(sql.rstrip().endswith("WITHOUT ROWID") for _, sql in tables)
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("SELECT rowid FROM notes")
    backup = tmp_path / "backup.sqlite3"
    with sqlite3.connect(path) as source, sqlite3.connect(backup) as target:
        source.backup(target)
    for copy in (path, backup):
        with sqlite3.connect(copy) as conn:
            conn.execute("VACUUM")
            # Read in physical order, the way a forensic tool walks the file.
            physical = [row[0] for row in conn.execute("SELECT id FROM notes NOT INDEXED")]
        assert sorted(physical) == sorted(written)
        assert abs(_rank_correlation(physical, written)) < 0.6


def test_search_index_keeps_no_order_inside_a_bucket(momo: Momo) -> None:
    written = _write_in_order(momo)
    publish(momo)
    with momo.db.read() as conn:
        docs = dict(conn.execute(select(notes.c.id, notes.c.search_doc)).all())
    assert all(docs[item] is not None for item in written)
    assert len({docs[item] >> 20 for item in written}) == 1, "one bucket, one id prefix"
    by_doc = sorted(written, key=docs.__getitem__)
    assert abs(_rank_correlation(by_doc, written)) < 0.6
    found = momo.feeds.search("n1", None, "en", limit=100).items
    assert {card.id for card in found} == {written[1]}


@postgres_only
def test_maintenance_leaves_postgres_no_order_and_no_old_versions(momo: Momo) -> None:
    written = _write_in_order(momo, 40)
    first = written[0]
    with momo.db.write() as conn:  # an edit leaves a dead version behind
        conn.execute(notes.update().where(notes.c.id == first).values(title="edited"))

    def physical() -> list[tuple[str, int]]:
        with momo.db.read() as conn:
            return [
                (row.id, int(row.xmin))
                for row in conn.execute(
                    text("SELECT id, xmin::text::bigint AS xmin FROM notes ORDER BY ctid")
                )
            ]

    before = physical()
    by_xmin = [item for item, _ in sorted(before, key=lambda r: r[1])]
    assert _rank_correlation(by_xmin, [*written[1:], first]) > 0.9, "xmin gives the order away"
    rewrite_in_key_order(momo.db)
    after = physical()
    assert {xmin for _, xmin in after} == {after[0][1]}, "one transaction wrote every row"
    assert abs(_rank_correlation([item for item, _ in after], written)) < 0.6
    with momo.db.engine.connect() as conn:
        versions = postgres_row_versions(conn, SUITE_SCHEMA)
        conn.commit()
    note_versions = [r for t in versions for r in t.records if r[0] == "notes"]
    assert len(note_versions) == len(written), "no dead version of the edited note is left"


@sqlite_only
def test_deleted_and_edited_text_leaves_no_trace_in_the_data_folder(momo: Momo) -> None:
    author, other = viewers(momo, 2)
    old_title, old_body = "CANARY-TITLE-7f3a", "金丝雀正文-旧文字-7f3a"
    gone_body, gone_comment = "CANARY-DELETED-NOTE-9b1c", "金丝雀评论-已删除-9b1c"
    edited = momo.notes.create(author, old_title, old_body)
    deleted = momo.notes.create(author, "bye", gone_body)
    publish(momo)
    comment = momo.comments.add(other, edited, gone_comment)
    canaries = [old_title, old_body, gone_body, gone_comment]

    def found() -> set[str]:
        blobs = [p.read_bytes() for p in momo.settings.data_dir.rglob("*") if p.is_file()]
        return {c for c in canaries if any(c.encode() in blob for blob in blobs)}

    assert found() == set(canaries), "the canaries must be on disk before, or the test says nothing"
    momo.notes.edit(author, edited, "new title", "new body")
    momo.notes.delete(author, deleted)
    momo.comments.delete(other, comment.id)
    assert found() == set()
    assert momo.notes.page(edited, None, "en").title == "new title"


@sqlite_only
def test_the_data_folder_is_private(settings: Settings, clock: object) -> None:
    data = settings.data_dir
    data.chmod(0o755)
    (data / "momo.sqlite3").chmod(0o644)
    momo = Momo(settings)
    momo.migrate()
    (author,) = viewers(momo, 1)
    momo.notes.create(author, "t", "")
    assert data.stat().st_mode & 0o777 == 0o700
    files = [p for p in data.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"momo.sqlite3", "momo.sqlite3-wal", "secrets.json"}
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600, path
    momo.close()


def test_a_missing_secrets_file_stops_the_server_instead_of_new_keys(
    settings: Settings, momo: Momo
) -> None:
    momo.accounts.create()
    momo.close()
    original = settings.secrets_file.read_bytes()
    settings.secrets_file.unlink()
    with pytest.raises(SecretsFileMissing, match="Restore the secrets file"):
        Momo(settings)
    assert not settings.secrets_file.exists(), "no new keys were made"
    fd = os.open(settings.secrets_file, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, original)
    os.close(fd)
    again = Momo(settings)
    with again.db.read() as conn:
        assert conn.scalar(select(notes.c.id)) is None
    again.close()
