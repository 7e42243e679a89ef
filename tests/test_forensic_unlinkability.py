"""Forensic unlinkability: what a writing request leaves behind must not link one person's items.

Three attacks, each on SQLite and on PostgreSQL (``MOMO_TEST_DATABASE_URL``):

* a logical diff of every table around every request, through the HTTP API;
* the frames of a hot copy's SQLite WAL, parsed from the file format;
* every PostgreSQL row version, dead ones included, grouped by ``xmin``.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from momo.audit.forensics import link_items, postgres_row_versions, wal_transactions
from momo.core import Momo
from momo.identity.accounts import Viewer
from momo.storage.metadata import metadata
from tests.conftest import PG_URL, SUITE_SCHEMA, FakeClock, new_client, publish, sign_up

Snapshot = dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]


def snapshot(momo: Momo) -> Snapshot:
    result: Snapshot = {}
    with momo.db.read() as conn:
        for table in metadata.sorted_tables:
            keys = [column.name for column in table.primary_key.columns]
            rows = conn.execute(select(table)).mappings().all()
            result[table.name] = {
                tuple(_plain(row[k]) for k in keys): tuple(_plain(v) for v in row.values())
                for row in rows
            }
    return result


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def changes(before: Snapshot, after: Snapshot) -> tuple[set[tuple[Any, ...]], list[Any]]:
    """Rows created, updated or deleted; and every value stored in a created row."""
    touched: set[tuple[Any, ...]] = set()
    created_values: list[Any] = []
    for table, rows in after.items():
        old = before[table]
        for key, row in rows.items():
            if key not in old:
                touched.add((table, key))
                created_values.extend((table, i, v) for i, v in enumerate(row))
            elif old[key] != row:
                touched.add((table, key))
        touched.update((table, key) for key in old if key not in rows)
    return touched, created_values


def _threads(momo: Momo, count: int) -> list[str]:
    host = _viewer(momo)
    return [momo.notes.create(host, f"thread {i}", f"open {i}") for i in range(count)]


def test_a_writing_request_changes_no_row_of_the_account(momo: Momo, app: Any) -> None:
    """X acts twice and Y once, for every kind of item write: create, edit and delete
    notes and comments, like, bookmark and unbookmark, report. A row that changes in
    both of X's requests and not in Y's, or a value that X's two new rows share and
    Y's do not, links X's items."""
    clock: FakeClock = momo.time.clock  # type: ignore[assignment]
    x, y = new_client(app), new_client(app)
    for person in (x, y):
        sign_up(person)
    threads = _threads(momo, 12)
    publish(momo)
    made: dict[tuple[str, int], str] = {}  # (kind, index) -> the id a request created

    def remember(kind: str, index: int, response: Any) -> Any:
        if response.status_code == 201:
            made[(kind, index)] = response.json()["id"]
        return response

    actions = {
        "note": lambda c, i: remember(
            "note", i, c.post("/api/notes", json={"title": f"t{i}", "body": f"b {i}"})
        ),
        "comment": lambda c, i: remember(
            "comment",
            i,
            c.post(f"/api/notes/{threads[i]}/comments", json={"body": f"reply {i}"}),
        ),
        "like": lambda c, i: c.post(f"/api/notes/{threads[3 + i]}/like"),
        "bookmark": lambda c, i: c.post(f"/api/notes/{threads[6 + i]}/collect"),
        "unbookmark": lambda c, i: c.delete(f"/api/notes/{threads[6 + i]}/collect"),
        "report": lambda c, i: c.post(
            "/api/reports",
            json={"target_type": "note", "target_id": threads[9 + i], "reason": "spam"},
        ),
        "edit note": lambda c, i: c.patch(
            f"/api/notes/{made[('note', i)]}", json={"title": f"edited {i}", "body": "new"}
        ),
        "delete comment": lambda c, i: c.delete(f"/api/comments/{made[('comment', i)]}"),
        "delete note": lambda c, i: c.delete(f"/api/notes/{made[('note', i)]}"),
    }
    for kind, act in actions.items():
        seen = []
        for person, index in ((x, 0), (x, 1), (y, 2)):
            before = snapshot(momo)
            response = act(person, index)
            assert response.status_code in (200, 201), (kind, response.text)
            seen.append(changes(before, snapshot(momo)))
        (x1, x1_values), (x2, x2_values), (y1, y1_values) = seen
        shared_rows = (x1 & x2) - y1
        assert not shared_rows, f"{kind}: both of X's requests changed {shared_rows}"
        shared_values = {v for v in x1_values if v in x2_values} - set(y1_values)
        assert not shared_values, f"{kind}: X's new rows share {shared_values}"
        if kind == "comment":
            publish(momo)  # so the edits and deletes below find public items
        clock.advance(1)


def test_the_table_diff_catches_a_per_account_write(momo: Momo, app: Any) -> None:
    """Guard the guard: a 'last active' stamp on the account row is reported."""
    from momo.identity.tables import accounts

    x = new_client(app)
    sign_up(x)
    (account,) = snapshot(momo)["accounts"]

    def post_and_touch() -> set[tuple[Any, ...]]:
        before = snapshot(momo)
        x.post("/api/notes", json={"title": "t", "body": "b"})
        with momo.db.write() as conn:
            conn.execute(
                accounts.update()
                .where(accounts.c.id == account[0])
                .values(created_bucket=accounts.c.created_bucket + 1)
            )
        return changes(before, snapshot(momo))[0]

    assert ("accounts", account) in post_and_touch() & post_and_touch()


# -- physical copies ------------------------------------------------------------


def _seed_interleaved(momo: Momo, people: list[Viewer]) -> dict[str, str]:
    """Each person writes notes, comments and bookmarks, interleaved with everyone else."""
    rng = random.Random(7)
    threads = _threads(momo, 12) + _threads(momo, 12)
    publish(momo)
    _checkpoint(momo)  # what the attacker reads starts here
    truth: dict[str, str] = {}
    steps = [(person, kind) for person in people for kind in ("note", "comment", "bookmark")]
    steps = steps * 2
    rng.shuffle(steps)
    free = list(threads)
    for person, kind in steps:
        if kind == "note":
            item = momo.notes.create(person, f"title {rng.random()}", f"body {rng.random()}")
        elif kind == "comment":
            item = momo.comments.add(person, free.pop(), f"reply {rng.random()}").id
        else:
            item = free.pop()
            momo.reactions.set_note_reaction(person, "collect", item, True)
        truth[item] = person.account_id
    return truth


def _checkpoint(momo: Momo) -> None:
    if momo.db.dialect == "sqlite":
        with momo.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _assert_no_link(found: dict[str, int], linked: dict[frozenset[str], bool], items: int) -> None:
    assert len(found) == items, "the attack must find every item's transaction to mean anything"
    same_author = sum(linked.values())
    assert not same_author, (
        f"{same_author} same-author pairs linked ({len(linked) - same_author} false links)"
    )


@pytest.mark.skipif(bool(PG_URL), reason="the WAL is SQLite's")
def test_a_hot_copy_of_the_wal_links_no_items(momo: Momo, tmp_path: Path) -> None:
    people = [_viewer(momo) for _ in range(6)]
    truth = _seed_interleaved(momo, people)
    database = Path(momo.settings.resolved_database_url.removeprefix("sqlite:///"))
    copy = tmp_path / "hot"
    copy.mkdir()
    for suffix in ("", "-wal"):
        shutil.copy(f"{database}{suffix}", copy / f"db{suffix}")
    transactions = wal_transactions(copy / "db", copy / "db-wal")
    found, linked = link_items(transactions, truth)
    _assert_no_link(found, linked, len(truth))


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL row versions need MOMO_TEST_DATABASE_URL")
def test_postgres_row_versions_link_no_items(momo: Momo) -> None:
    people = [_viewer(momo) for _ in range(6)]
    truth = _seed_interleaved(momo, people)
    with momo.db.engine.connect() as conn:
        transactions = postgres_row_versions(conn, SUITE_SCHEMA)
        conn.commit()
    found, linked = link_items(transactions, truth)
    _assert_no_link(found, linked, len(truth))


def test_the_attack_links_a_per_account_write(momo: Momo, tmp_path: Path) -> None:
    """Guard the guard: items written with a per-account row in the same transaction
    (the first release's vault write, in miniature) are linked, on either database."""
    from momo.content.tables import reactions
    from momo.identity.tables import accounts

    people = [_viewer(momo) for _ in range(4)]
    _checkpoint(momo)
    truth: dict[str, str] = {}
    for round_ in range(2):
        for person in people:
            item = f"item{round_}{person.account_id[:8]}"
            with momo.db.write() as conn:
                conn.execute(reactions.insert().values(kind="like", target_id=item, tag=item))
                conn.execute(
                    accounts.update()
                    .where(accounts.c.id == person.account_id)
                    .values(created_bucket=accounts.c.created_bucket + 1)
                )
            truth[item] = person.account_id
    if momo.db.dialect == "sqlite":
        database = Path(momo.settings.resolved_database_url.removeprefix("sqlite:///"))
        transactions = wal_transactions(database, Path(f"{database}-wal"))
    else:
        with momo.db.engine.connect() as conn:
            transactions = postgres_row_versions(conn, SUITE_SCHEMA)
            conn.commit()
    found, linked = link_items(transactions, truth)
    assert len(found) == len(truth)
    # Every link is right; on PostgreSQL page pruning may already have reclaimed some
    # dead versions, so not every pair need be found there.
    assert linked and all(linked.values())


def _viewer(momo: Momo) -> Viewer:
    created = momo.accounts.create(probation=False)
    viewer = momo.accounts.resolve(momo.accounts.sign_in(created.account_key))
    assert viewer is not None
    return viewer


def test_link_items_locates_items_where_created_and_links_through_updated_rows() -> None:
    from momo.audit.forensics import Transaction, identity

    def written(item: str, *updated: tuple[str, ...]) -> Transaction:
        row = (item, "a", "b")
        return Transaction([row, *updated], {identity(row)})

    shared = ("acct-1", "hash", "member")
    transactions = [
        written("n1", shared),
        written("n2", shared),
        written("n3", ("acct-2", "hash", "member")),
        written("n4", ("acct-3", "hash", "member")),
        written("n5", ("acct-4", "hash", "member")),
        # A later batch that updates n3 and n4 (a publication) locates neither again.
        Transaction([("n3", "a", "c"), ("n4", "a", "c"), ("batch", "x", "y")]),
    ]
    found, linked = link_items(transactions, {f"n{i}": "x" for i in range(1, 6)})
    assert found == {"n1": 0, "n2": 1, "n3": 2, "n4": 3, "n5": 4}
    assert linked == {frozenset(("n1", "n2")): True}
