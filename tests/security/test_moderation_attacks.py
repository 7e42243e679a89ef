"""Moderation attacks over HTTP against a real server.

* The self-appeal: moderator M1 removed M2's note and banned M2; M2 appealed and
  overturned both herself, and could post again.
* Deleting moderated content: /mod and /api/mod/appeals answered 404 for every
  moderator while the appeal was pending; the author's notices stayed 404.
"""

from __future__ import annotations

import httpx

from tests.security.conftest import Target
from tests.server import bucket_ends, grant_moderator

HTML = {"accept": "text/html"}


def _moderator(target: Target) -> httpx.Client:
    client, key = target.person()
    grant_moderator(target.server, key, target.env)
    return client


def _act(moderator: httpx.Client, target_id: str, action: str, kind: str = "note") -> int:
    return moderator.post(
        "/api/mod/actions",
        json={"target_type": kind, "target_id": target_id, "action": action, "rule": "spam"},
    ).status_code


def test_the_self_appeal_fails(target: Target) -> None:
    m1, m2, m3 = _moderator(target), _moderator(target), _moderator(target)
    notes = [
        m2.post("/api/notes", json={"title": f"n{i}", "body": "x"}).json()["id"] for i in range(2)
    ]
    bucket_ends()
    assert _act(m1, notes[0], "remove") == 201
    (sanction,) = m2.get("/api/me/sanctions").json()
    appeal = m2.post("/api/appeals", json={"action_id": sanction["action_id"], "text": "no"})
    assert appeal.status_code == 201
    (pending,) = m2.get("/api/mod/appeals").json()
    for outcome in ("overturned", "upheld"):
        decided = m2.post(f"/api/mod/appeals/{pending['id']}/decision", json={"outcome": outcome})
        assert decided.status_code == 403
    assert _act(m2, notes[0], "restore") == 403, "nor can she restore it herself"
    assert m2.get(f"/api/notes/{notes[0]}").status_code == 404
    # A second strike mutes M2: no moderator powers while the sanction lasts.
    assert _act(m1, notes[1], "sanction") == 201
    assert m2.get("/api/mod/queue").status_code == 403
    assert (
        m2.post(
            f"/api/mod/appeals/{pending['id']}/decision", json={"outcome": "overturned"}
        ).status_code
        == 403
    )
    assert (
        m3.post(
            f"/api/mod/appeals/{pending['id']}/decision", json={"outcome": "upheld"}
        ).status_code
        == 200
    )


def test_deleted_moderated_content_keeps_every_page_working(target: Target) -> None:
    author, _ = target.person()
    moderator, other_moderator = _moderator(target), _moderator(target)
    note_id = author.post("/api/notes", json={"title": "t", "body": "rude"}).json()["id"]
    bucket_ends()
    assert _act(moderator, note_id, "remove") == 201
    (sanction,) = author.get("/api/me/sanctions").json()
    author.post("/api/appeals", json={"action_id": sanction["action_id"], "text": "sorry"})
    assert author.delete(f"/api/notes/{note_id}").status_code == 200
    for client, path in (
        (other_moderator, "/mod"),
        (other_moderator, "/api/mod/appeals"),
        (author, "/me/notices"),
        (author, "/api/me/sanctions"),
    ):
        response = client.get(path, headers=HTML)
        assert response.status_code == 200, path
        assert "[deleted]" in response.text, path
    (pending,) = other_moderator.get("/api/mod/appeals").json()
    decided = other_moderator.post(
        f"/api/mod/appeals/{pending['id']}/decision", json={"outcome": "overturned"}
    )
    assert decided.status_code == 200
    assert author.get("/api/me/sanctions").json()[0]["outcome"] == "overturned"
