"""Moderators learn nothing by acting: the curious-moderator attack.

The first release showed "this voice's account: N prior sanctions" in the queue.
One moderator warned one item and watched which other items' counts went up,
sorting 40 items into all 8 authors. Here a moderator sanctions one item of
author A, then compares A's other reported item with B's: everything the
moderator can see, except the content itself, must be identical.
"""

from __future__ import annotations

import struct
from typing import Any

from sqlalchemy import select

from momo.core import Momo
from momo.identity.tables import standing_entries
from momo.storage.metadata import metadata
from tests.conftest import publish
from tests.moderation.conftest import act

CONTENT_FIELDS = {"target_id", "note_id", "note_title", "content", "context", "id", "excerpt"}


def _without_content(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in CONTENT_FIELDS}


def test_a_moderator_cannot_tell_a_sanctioned_author_from_another(people, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    author_a, author_b, reporter = people(), people(), people()
    mod = people(moderator=True)
    first_a = author_a.client.post("/api/notes", json={"title": "a1", "body": "x"}).json()["id"]
    other_a = author_a.client.post("/api/notes", json={"title": "a2", "body": "y"}).json()["id"]
    only_b = author_b.client.post("/api/notes", json={"title": "b1", "body": "z"}).json()["id"]
    publish(momo)

    base = {"target_type": "note", "rule": "spam"}
    warned = mod.client.post(
        "/api/mod/actions", json={**base, "target_id": first_a, "action": "sanction"}
    )
    assert warned.status_code == 201 and set(warned.json()) == {"id"}
    for target in (other_a, only_b):
        reporter.client.post(
            "/api/reports", json={"target_type": "note", "target_id": target, "reason": "spam"}
        )

    queue = {item["target_id"]: item for item in mod.client.get("/api/mod/queue").json()}
    assert set(queue) == {other_a, only_b}
    assert _without_content(queue[other_a]) == _without_content(queue[only_b])
    page = mod.client.get("/mod", headers={"accept": "text/html"}).text
    assert "prior" not in page.lower() and "此前" not in page

    # Acting on both: the responses, the public log and the transparency figures
    # are the same for A's second strike (a mute, sealed) as for B's first (a warning).
    responses = [
        mod.client.post("/api/mod/actions", json={**base, "target_id": t, "action": "sanction"})
        for t in (other_a, only_b)
    ]
    assert [r.status_code for r in responses] == [201, 201]
    assert [set(r.json()) for r in responses] == [{"id"}, {"id"}]
    log = {e["target_id"]: e for e in mod.client.get("/api/modlog").json()["entries"]}
    assert _without_content(log[other_a]) == _without_content(log[only_b])
    (month,) = mod.client.get("/api/transparency").json()["months"]
    assert month["actions_by_kind"] == {"sanction": 3}

    # Only the people themselves learn the consequence.
    steps_a = sorted(s["step"] for s in author_a.client.get("/api/me/sanctions").json())
    steps_b = [s["step"] for s in author_b.client.get("/api/me/sanctions").json()]
    assert steps_a == ["mute", "warning"] and steps_b == ["warning"]


def test_sanction_state_is_sealed_and_of_constant_size(people, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    """No clear ``muted_until`` equal to an action's time; every standing row one size."""
    author, mod = people(), people(moderator=True)
    notes = [
        author.client.post("/api/notes", json={"title": f"n{i}", "body": ""}).json()["id"]
        for i in range(3)
    ]
    publish(momo)
    for note_id in notes:
        act(mod, note_id)
    account = momo.accounts.find_by_key(author.key)
    assert account is not None
    standing = momo.standing.read(account)
    until = standing.muted_until
    assert until > momo.time.now(), "the author is muted"
    with momo.db.read() as conn:
        sizes = {len(bytes(v)) for v in conn.scalars(select(standing_entries.c.sealed))}
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    assert value != until, f"{table.name} holds the mute's end in the clear"
                    if isinstance(value, bytes | memoryview):
                        raw = bytes(value)
                        assert struct.pack(">q", until) not in raw
                        assert str(until).encode() not in raw
    assert len(sizes) == 1, "one size for every entry, whatever it says"
    with momo.db.read() as conn:
        columns = {c.name for c in metadata.tables["accounts"].columns}
    assert not columns & {"muted_until", "banned", "sanction_ledger"}
