"""report → queue → action → the sanctioned person sees it → appeal → a second
moderator decides → the log and the transparency figures update."""

from __future__ import annotations

from momo.core import Momo
from tests.conftest import publish
from tests.moderation.conftest import act


def test_the_whole_flow(people, momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    author, reporter, bystander = people(), people(), people()
    mod_a, mod_b = people(moderator=True), people(moderator=True)
    note_id = author.client.post("/api/notes", json={"title": "street", "body": "ok"}).json()["id"]
    publish(momo)
    comment = author.client.post(
        f"/api/notes/{note_id}/comments", json={"body": "you are an idiot, Momo 1"}
    ).json()
    bystander.client.post(f"/api/notes/{note_id}/comments", json={"body": "calm down"})
    publish(momo)

    # report
    response = reporter.client.post(
        "/api/reports",
        json={
            "target_type": "comment",
            "target_id": comment["id"],
            "reason": "harassment",
            "detail": "insult",
        },
    )
    assert response.status_code == 201
    again = reporter.client.post(
        "/api/reports",
        json={"target_type": "comment", "target_id": comment["id"], "reason": "spam"},
    )
    assert again.status_code == 409, "one report per person and item"

    # queue: only for moderators, never an account
    assert reporter.client.get("/api/mod/queue").status_code == 403
    queue = mod_a.client.get("/api/mod/queue").json()
    (item,) = queue
    assert item["target_id"] == comment["id"] and item["reasons"] == {"harassment": 1}
    assert "prior_sanctions" not in item and item["details"] == ["insult"]
    assert any(line["is_target"] and line["voice"] == "OP" for line in item["context"])
    for secret in (author.key, momo.accounts.find_by_key(author.key) or "x"):
        assert secret not in str(queue)

    # action: remove (a first strike: a warning), then sanction (a second: a mute)
    clock.advance(1800)
    removed = mod_a.client.post(
        "/api/mod/actions",
        json={
            "target_type": "comment",
            "target_id": comment["id"],
            "action": "remove",
            "rule": "harassment",
        },
    )
    assert removed.status_code == 201
    muted = mod_a.client.post(
        "/api/mod/actions",
        json={
            "target_type": "comment",
            "target_id": comment["id"],
            "action": "sanction",
            "rule": "harassment",
        },
    )
    assert muted.status_code == 201 and set(muted.json()) == {"id"}, "the step stays sealed"
    assert mod_a.client.get("/api/mod/queue").json() == []
    page = bystander.client.get(f"/api/notes/{note_id}").json()
    assert any(c["removed"] for c in page["comments"])

    # the sanctioned person sees exactly what, why and until when; and is muted
    sanctions = author.client.get("/api/me/sanctions").json()
    assert {(s["kind"], s["step"]) for s in sanctions} == {
        ("remove", "warning"),
        ("sanction", "mute"),
    }
    mute = next(s for s in sanctions if s["step"] == "mute")
    assert mute["rule"] == "harassment" and mute["until"] and "idiot" in mute["content"]
    blocked = author.client.post("/api/notes", json={"title": "again", "body": ""})
    assert blocked.status_code == 403 and "muted until" in blocked.json()["error"]["message"]
    assert bystander.client.get("/api/me/sanctions").json() == []

    new_comment = author.client.post(f"/api/notes/{note_id}/like")
    assert new_comment.status_code == 200, "muted people can still react"

    # appeals: only the sanctioned account, once
    assert (
        bystander.client.post(
            "/api/appeals", json={"action_id": mute["action_id"], "text": "not me"}
        ).status_code
        == 403
    )
    appeal = author.client.post(
        "/api/appeals",
        json={"action_id": mute["action_id"], "text": "It was a joke between friends."},
    )
    assert appeal.status_code == 201
    assert (
        author.client.post(
            "/api/appeals", json={"action_id": mute["action_id"], "text": "again"}
        ).status_code
        == 409
    )
    assert (
        author.client.post(
            "/api/appeals", json={"action_id": mute["action_id"], "text": "x" * 2001}
        ).status_code
        == 422
    )

    # the acting moderator cannot decide; another one can
    (pending,) = mod_a.client.get("/api/mod/appeals").json()
    assert pending["you_acted"] is True
    assert (
        mod_a.client.post(
            f"/api/mod/appeals/{pending['id']}/decision", json={"outcome": "overturned"}
        ).status_code
        == 403
    )
    assert mod_b.client.get("/api/mod/appeals").json()[0]["you_acted"] is False
    assert (
        mod_b.client.post(
            f"/api/mod/appeals/{pending['id']}/decision", json={"outcome": "overturned"}
        ).status_code
        == 200
    )
    assert (
        mod_b.client.post(
            f"/api/mod/appeals/{pending['id']}/decision", json={"outcome": "upheld"}
        ).status_code
        == 409
    )

    # the mute is lifted
    assert author.client.post("/api/notes", json={"title": "free", "body": ""}).status_code == 201
    assert (
        next(s for s in author.client.get("/api/me/sanctions").json() if s["step"] == "mute")[
            "outcome"
        ]
        == "overturned"
    )

    # public log: actor is only "moderator"; removed content shows a placeholder
    log = bystander.client.get("/api/modlog").json()["entries"]
    kinds = {e["kind"]: e for e in log}
    assert kinds["sanction"]["outcome"] == "overturned"
    assert kinds["remove"]["target_id"] is None and kinds["remove"]["excerpt"] == "[removed]"
    assert {e["actor"] for e in log} == {"moderator"}
    assert "idiot" not in str(log)

    # transparency
    (month,) = bystander.client.get("/api/transparency").json()["months"]
    assert month["reports_by_reason"] == {"harassment": 1}
    assert month["actions_by_kind"] == {"remove": 1, "sanction": 1}
    assert month["appeals"] == 1 and month["overturned"] == 1 and month["overturn_rate"] == 1.0
    # Measured from the report's coarse (5-minute) bucket, so a little over half an hour.
    assert 0.5 <= month["median_hours_to_action"] <= 0.59


def test_overturning_a_removal_restores_the_content(people, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    author, mod_a, mod_b = people(), people(moderator=True), people(moderator=True)
    note_id = author.client.post("/api/notes", json={"title": "fine", "body": "really"}).json()[
        "id"
    ]
    publish(momo)
    mod_a.client.post(
        "/api/mod/actions",
        json={"target_type": "note", "target_id": note_id, "action": "remove", "rule": "spam"},
    )
    assert author.client.get(f"/api/notes/{note_id}").status_code == 404
    (sanction,) = author.client.get("/api/me/sanctions").json()
    author.client.post(
        "/api/appeals", json={"action_id": sanction["action_id"], "text": "not spam"}
    )
    (appeal,) = mod_b.client.get("/api/mod/appeals").json()
    mod_b.client.post(f"/api/mod/appeals/{appeal['id']}/decision", json={"outcome": "overturned"})
    assert author.client.get(f"/api/notes/{note_id}").status_code == 200


def test_the_server_escalates_through_the_seal_up_to_a_ban(people, momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    author, mod = people(), people(moderator=True)
    notes = [
        author.client.post("/api/notes", json={"title": f"n{i}", "body": ""}).json()["id"]
        for i in range(5)
    ]
    publish(momo)
    for note_id in notes:
        clock.advance(600)  # in separate buckets, so the notices list them in order
        acted = act(mod, note_id)
        assert acted.status_code == 201
    steps = [s["step"] for s in reversed(author.client.get("/api/me/sanctions").json())]
    assert steps == ["warning", "mute", "mute", "mute", "ban"]
    response = author.client.post("/api/notes", json={"title": "again", "body": ""})
    assert response.status_code == 403 and "banned" in response.json()["error"]["message"]


def test_thread_tools_and_bad_actions(people, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    author, other, mod = people(), people(), people(moderator=True)
    note_id = author.client.post("/api/notes", json={"title": "t", "body": ""}).json()["id"]
    publish(momo)
    base = {"target_type": "note", "target_id": note_id, "rule": "other"}
    assert mod.client.post("/api/mod/actions", json={**base, "action": "lock"}).status_code == 201
    assert (
        other.client.post(f"/api/notes/{note_id}/comments", json={"body": "x"}).status_code == 403
    )
    mod.client.post("/api/mod/actions", json={**base, "action": "unlock"})
    mod.client.post("/api/mod/actions", json={**base, "action": "slow_mode", "seconds": 300})
    assert (
        other.client.post(f"/api/notes/{note_id}/comments", json={"body": "a"}).status_code == 201
    )
    slow = other.client.post(f"/api/notes/{note_id}/comments", json={"body": "b"})
    assert slow.status_code == 429 and "slow mode" in slow.json()["error"]["message"]
    assert mod.client.post("/api/mod/actions", json={**base, "action": "mute"}).status_code == 422
    assert mod.client.post("/api/mod/actions", json={**base, "action": "nuke"}).status_code == 422
    assert other.client.post("/api/mod/actions", json={**base, "action": "lock"}).status_code == 403
    assert (
        mod.client.post(
            "/api/mod/actions", json={**base, "target_id": "AAAAAAAAAAAA", "action": "lock"}
        ).status_code
        == 404
    )
    bad_report = other.client.post(
        "/api/reports", json={"target_type": "note", "target_id": note_id, "reason": "dislike"}
    )
    assert bad_report.status_code == 422


def test_probation_reports_weigh_less(people, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    author, newcomer, settled, mod = (
        people(),
        people(probation=True),
        people(),
        people(moderator=True),
    )
    note_id = author.client.post("/api/notes", json={"title": "t", "body": ""}).json()["id"]
    publish(momo)
    for person in (newcomer, settled):
        person.client.post(
            "/api/reports", json={"target_type": "note", "target_id": note_id, "reason": "spam"}
        )
    (item,) = mod.client.get("/api/mod/queue").json()
    assert item["weight"] == 1.5


def test_queue_orders_privacy_leaks_first(people, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    author, a, b, c, mod = people(), people(), people(), people(), people(moderator=True)
    spam = author.client.post("/api/notes", json={"title": "buy", "body": ""}).json()["id"]
    doxx = author.client.post("/api/notes", json={"title": "her address", "body": ""}).json()["id"]
    publish(momo)
    for person in (a, b, c):
        person.client.post(
            "/api/reports", json={"target_type": "note", "target_id": spam, "reason": "spam"}
        )
    a.client.post(
        "/api/reports", json={"target_type": "note", "target_id": doxx, "reason": "privacy"}
    )
    queue = mod.client.get("/api/mod/queue").json()
    assert [i["target_id"] for i in queue] == [doxx, spam]


def test_the_queue_context_shows_only_public_comments(people, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    author, other, reporter, mod = people(), people(), people(), people(moderator=True)
    note_id = author.client.post("/api/notes", json={"title": "t", "body": ""}).json()["id"]
    publish(momo)
    reporter.client.post(
        "/api/reports", json={"target_type": "note", "target_id": note_id, "reason": "spam"}
    )
    other.client.post(f"/api/notes/{note_id}/comments", json={"body": "just now"})
    (item,) = mod.client.get("/api/mod/queue").json()
    assert all(line["text"] != "just now" for line in item["context"]), "not before its bucket"
    publish(momo)
    (item,) = mod.client.get("/api/mod/queue").json()
    assert any(line["text"] == "just now" for line in item["context"])
