"""Privacy rule 2: no public response or page carries an account id, a stable
cross-thread identifier or an exact timestamp."""

from __future__ import annotations

import re

from sqlalchemy import select

from momo.core import Momo
from momo.identity.tables import accounts, thread_voices
from tests.conftest import new_client, publish, sign_up

EXACT_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}|\b1[6-9]\d{8}\b")


def test_public_surfaces_hide_ids_tags_and_exact_times(app, momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    clock.advance(137)  # not on a bucket boundary
    author, other = new_client(app), new_client(app)
    sign_up(author)
    sign_up(other)
    first = author.post("/api/notes", json={"title": "one", "body": "#topic a"}).json()["id"]
    second = author.post("/api/notes", json={"title": "two", "body": "#topic b"}).json()["id"]
    publish(momo)
    for note_id in (first, second):
        other.post(f"/api/notes/{note_id}/comments", json={"body": "reply"})
        other.post(f"/api/notes/{note_id}/like")
    publish(momo)

    with momo.db.read() as conn:
        secrets = [str(v) for v in conn.scalars(select(accounts.c.id))]
        secrets += [str(v) for v in conn.scalars(select(accounts.c.key_hash))]
        secrets += [str(v) for v in conn.scalars(select(thread_voices.c.tag))]
    anonymous = new_client(app)
    html = {"accept": "text/html"}
    surfaces = [
        anonymous.get(f"/api/notes/{first}").text,
        anonymous.get(f"/api/notes/{second}").text,
        other.get(f"/api/notes/{first}").text,
        anonymous.get("/api/feed", params={"kind": "latest"}).text,
        anonymous.get("/api/feed", params={"kind": "discover"}).text,
        anonymous.get("/api/topics/topic").text,
        anonymous.get("/api/search", params={"q": "one"}).text,
        anonymous.get("/", headers=html).text,
        anonymous.get("/latest", headers=html).text,
        anonymous.get(f"/notes/{first}", headers=html).text,
        other.get(f"/notes/{second}", headers=html).text,
    ]
    for body in surfaces:
        for secret in secrets:
            assert secret not in body
        assert not EXACT_TIME.search(body), EXACT_TIME.search(body)
    note = anonymous.get(f"/api/notes/{first}").json()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:(\d{2})Z", note["time"])
    assert int(note["time"][14:16]) % 5 == 0
    assert "author" not in str(note.keys()) and "account" not in str(note)


def test_ids_are_random_not_sequential(app) -> None:  # type: ignore[no-untyped-def]
    client = new_client(app)
    sign_up(client)
    ids = [
        client.post("/api/notes", json={"title": f"n{i}", "body": ""}).json()["id"]
        for i in range(5)
    ]
    assert len(set(ids)) == 5
    assert ids != sorted(ids) or ids != sorted(ids, reverse=True)
    assert all(len(i) == 12 for i in ids)
