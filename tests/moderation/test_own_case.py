"""No one judges their own case: the self-appeal attack.

In the first release moderator M1 removed M2's note and banned M2; M2 appealed and
then overturned both decisions herself, and could post again. Here the server
checks through the seal that the decider is neither the author of the content nor
sanctioned, whatever the moderator's role.
"""

from __future__ import annotations

from momo.core import Momo
from tests.conftest import publish
from tests.moderation.conftest import act


def test_a_moderator_cannot_decide_an_appeal_about_their_own_content(people, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    m1, m2, m3 = people(moderator=True), people(moderator=True), people(moderator=True)
    note_id = m2.client.post("/api/notes", json={"title": "mine", "body": "x"}).json()["id"]
    publish(momo)
    removed = m1.client.post(
        "/api/mod/actions",
        json={"target_type": "note", "target_id": note_id, "action": "remove", "rule": "spam"},
    )
    assert removed.status_code == 201
    (sanction,) = m2.client.get("/api/me/sanctions").json()
    assert (
        m2.client.post(
            "/api/appeals", json={"action_id": sanction["action_id"], "text": "not spam"}
        ).status_code
        == 201
    )
    (pending,) = m2.client.get("/api/mod/appeals").json()
    assert pending["you_acted"] is True, "the page tells M2 that someone else decides"
    decided = m2.client.post(
        f"/api/mod/appeals/{pending['id']}/decision", json={"outcome": "overturned"}
    )
    assert decided.status_code == 403
    assert m2.client.get(f"/api/notes/{note_id}").status_code == 404, "still removed"
    assert (
        m3.client.post(
            f"/api/mod/appeals/{pending['id']}/decision", json={"outcome": "upheld"}
        ).status_code
        == 200
    )


def test_a_moderator_cannot_act_on_their_own_content(people, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    mod = people(moderator=True)
    note_id = mod.client.post("/api/notes", json={"title": "mine", "body": "x"}).json()["id"]
    publish(momo)
    for action in ("restore", "sanction", "dismiss"):
        response = mod.client.post(
            "/api/mod/actions",
            json={"target_type": "note", "target_id": note_id, "action": action, "rule": "spam"},
        )
        assert response.status_code == 403, action


def test_a_sanctioned_moderator_loses_moderator_powers(people, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    m1, m2, author = people(moderator=True), people(moderator=True), people()
    notes = [
        m2.client.post("/api/notes", json={"title": f"n{i}", "body": ""}).json()["id"]
        for i in range(2)
    ]
    other = author.client.post("/api/notes", json={"title": "other", "body": ""}).json()["id"]
    publish(momo)
    for note_id in notes:  # two strikes: a warning, then a mute
        act(m1, note_id)
    assert m2.client.get("/api/mod/queue").status_code == 403
    assert m2.client.get("/api/mod/appeals").status_code == 403
    acted = m2.client.post(
        "/api/mod/actions",
        json={"target_type": "note", "target_id": other, "action": "remove", "rule": "spam"},
    )
    assert acted.status_code == 403
    assert m2.client.get("/mod", headers={"accept": "text/html"}).status_code == 403
    assert m1.client.get("/api/mod/queue").status_code == 200
