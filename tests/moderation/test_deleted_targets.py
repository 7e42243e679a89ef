"""Deleting moderated content must not break moderation.

In the first release, once a sanctioned author deleted their removed note, /mod and
/api/mod/appeals answered 404 for every moderator while the appeal was pending, and
the author's /me/notices stayed 404 for good.
"""

from __future__ import annotations

from momo.core import Momo
from tests.conftest import publish

HTML = {"accept": "text/html"}


def test_pages_survive_the_author_deleting_sanctioned_content(people, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    author, mod_a, mod_b = people(), people(moderator=True), people(moderator=True)
    note_id = author.client.post("/api/notes", json={"title": "t", "body": "rude"}).json()["id"]
    publish(momo)
    comment = author.client.post(f"/api/notes/{note_id}/comments", json={"body": "ruder"}).json()[
        "id"
    ]
    other = mod_a.client.post("/api/notes", json={"title": "o", "body": ""}).json()["id"]
    publish(momo)
    reply = author.client.post(f"/api/notes/{other}/comments", json={"body": "rudest"}).json()["id"]
    publish(momo)
    for target_type, target_id in (("note", note_id), ("comment", comment), ("comment", reply)):
        acted = mod_b.client.post(
            "/api/mod/actions",
            json={
                "target_type": target_type,
                "target_id": target_id,
                "action": "remove",
                "rule": "harassment",
            },
        )
        assert acted.status_code == 201
    sanctions = author.client.get("/api/me/sanctions").json()
    for sanction in sanctions:
        author.client.post(
            "/api/appeals", json={"action_id": sanction["action_id"], "text": "sorry"}
        )
    assert author.client.delete(f"/api/comments/{reply}").status_code == 200
    assert author.client.delete(f"/api/notes/{note_id}").status_code == 200

    assert mod_a.client.get("/mod", headers=HTML).status_code == 200
    pending = mod_a.client.get("/api/mod/appeals").json()
    assert len(pending) == 3
    assert sorted(p["content"] for p in pending) == ["[deleted]"] * 3
    notices = author.client.get("/api/me/sanctions").json()
    assert sorted(n["content"] for n in notices) == ["[deleted]"] * 3
    assert author.client.get("/me/notices", headers=HTML).status_code == 200
    assert "[deleted]" in author.client.get("/me/notices", headers=HTML).text

    # Deciding still works, and overturning lifts the strike although the content is gone.
    for appeal in pending:
        decided = mod_a.client.post(
            f"/api/mod/appeals/{appeal['id']}/decision", json={"outcome": "overturned"}
        )
        assert decided.status_code == 200
    account = momo.accounts.find_by_key(author.key)
    assert account is not None
    standing = momo.standing.read(account)
    assert standing.in_effect == [] and standing.muted_until == 0
    log = mod_a.client.get("/api/modlog").json()["entries"]
    assert len(log) == 3 and all(e["outcome"] == "overturned" for e in log)
