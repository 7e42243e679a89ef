"""A full database dump must not let anyone group one person's items across threads.

A community with known authors is seeded; then, for every stored column of
every table, rows are grouped by equal values. Any group that spans two or
more threads and holds items of a single author is a linking column.
"""

from __future__ import annotations

import random
from collections import defaultdict

from sqlalchemy import select

from momo.content.tables import comments, reactions
from momo.core import Momo
from momo.identity.tables import thread_voices
from momo.storage.metadata import metadata
from tests.conftest import jpeg_bytes, publish

AUTHORS = 6
NOTES_EACH = 3


def _seed(momo: Momo) -> dict[tuple[str, str], str]:
    """Returns (table, primary key) -> author, for every stored item."""
    rng = random.Random(1)
    people = []
    for _ in range(AUTHORS):
        created = momo.accounts.create(probation=False)
        viewer = momo.accounts.resolve(momo.accounts.sign_in(created.account_key))
        assert viewer is not None
        people.append((created.account_id, viewer))
    truth: dict[tuple[str, str], str] = {}
    note_ids: list[str] = []
    for index in range(NOTES_EACH):
        for author, viewer in people:
            body = f"body {rng.random()} #{rng.choice(['food', 'travel', '学习'])}"
            image = jpeg_bytes(color=rng.choice(["red", "blue"]))
            note_id = momo.notes.create(viewer, f"note {author[:4]} {index}", body, [image])
            truth[("notes", note_id)] = author
            note_ids.append(note_id)
    publish(momo)
    liked = []
    for note_id in note_ids:
        for author, viewer in rng.sample(people, 4):
            comment = momo.comments.add(viewer, note_id, f"comment {rng.random()}")
            truth[("comments", comment.id)] = author
            momo.reactions.set_note_reaction(viewer, "like", note_id, True)
            momo.reactions.set_note_reaction(viewer, "collect", note_id, True)
            liked.append((viewer, comment.id))
    publish(momo)
    for viewer, comment_id in liked:
        momo.reactions.like_comment(viewer, comment_id, True)
    return truth


def _thread_of(row: dict[str, object], table: str, comment_threads: dict[str, str]) -> str:
    if table == "notes":
        return str(row["id"])
    if "note_id" in row:
        return str(row["note_id"])
    if table == "reactions":
        target = str(row["target_id"])
        return comment_threads.get(target, target)
    return f"{table}:{row}"


def _dump(momo: Momo) -> tuple[dict[str, list[dict[str, object]]], dict[str, str]]:
    with momo.db.read() as conn:
        comment_threads = dict(conn.execute(select(comments.c.id, comments.c.note_id)).all())
        dump = {
            table.name: [dict(r._mapping) for r in conn.execute(select(table))]
            for table in metadata.sorted_tables
        }
    return dump, comment_threads


def find_linking_columns(
    momo: Momo,
    dump: dict[str, list[dict[str, object]]],
    comment_threads: dict[str, str],
    truth: dict[tuple[str, str], str],
) -> list[str]:
    tagged = _voice_authors(momo, truth)
    linking: list[str] = []
    for table_name, rows in dump.items():
        if table_name in ("accounts", "sessions"):
            continue  # hold no items; see test_identity_tables_hold_no_item_references
        for column in rows[0].keys() if rows else ():
            groups: dict[object, list[dict[str, object]]] = defaultdict(list)
            for row in rows:
                groups[_hashable(row[column])].append(row)
            for value, members in groups.items():
                threads = {_thread_of(m, table_name, comment_threads) for m in members}
                if len(threads) < 2:
                    continue
                owners = {_author(table_name, m, truth, tagged) for m in members}
                owners.discard(None)
                if len(owners) == 1:
                    linking.append(f"{table_name}.{column} = {value!r}")
    return linking


def test_no_column_links_an_author_across_threads(momo: Momo) -> None:
    truth = _seed(momo)
    dump, comment_threads = _dump(momo)
    assert all(
        dump[name]
        for name in (
            "notes",
            "comments",
            "reactions",
            "thread_voices",
            "note_images",
            "note_topics",
        )
    )
    linking = find_linking_columns(momo, dump, comment_threads, truth)
    assert not linking, f"columns that link one author across threads: {linking[:5]}"


def test_the_checker_catches_a_linking_column(momo: Momo) -> None:
    """Guard the guard: a per-account value stored on notes must be reported."""
    truth = _seed(momo)
    dump, comment_threads = _dump(momo)
    for row in dump["notes"]:
        row["author_hash"] = truth[("notes", str(row["id"]))][:8]
    linking = find_linking_columns(momo, dump, comment_threads, truth)
    assert linking and all(entry.startswith("notes.author_hash") for entry in linking)


def _hashable(value: object) -> object:
    return bytes(value) if isinstance(value, bytes | memoryview) else value


def _voice_authors(momo: Momo, truth: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """Recompute every voice and reaction tag with the secrets, to know who is behind it."""
    result = {}
    accounts = set(truth.values())
    note_ids = [item for kind, item in truth if kind == "notes"]
    for author in accounts:
        for note_id in note_ids:
            result[(note_id, momo.keys.tag("voice", author, note_id))] = author
            for kind in ("like", "collect"):
                result[(note_id, momo.keys.tag("reaction", kind, author, note_id))] = author
    for (kind, item), _ in truth.items():
        if kind == "comments":
            for author in accounts:
                result[(item, momo.keys.tag("reaction", "like_comment", author, item))] = author
    return result


def _author(
    table: str,
    row: dict[str, object],
    truth: dict[tuple[str, str], str],
    tagged: dict[tuple[str, str], str],
) -> str | None:
    if table in ("notes", "comments"):
        return truth.get((table, str(row["id"])))
    if table == thread_voices.name:
        return tagged.get((str(row["note_id"]), str(row["tag"])))
    if table == reactions.name:
        return tagged.get((str(row["target_id"]), str(row["tag"])))
    return None


def test_identity_tables_hold_no_item_references(momo: Momo) -> None:
    truth = _seed(momo)
    item_ids = {item for _, item in truth}
    with momo.db.read() as conn:
        for table in ("accounts", "sessions"):
            for row in conn.execute(select(metadata.tables[table])):
                for value in row:
                    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    assert not any(item in text for item in item_ids)
