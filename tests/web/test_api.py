"""The JSON API contract, end to end through FastAPI."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from momo.core import Momo
from tests.conftest import jpeg_bytes, new_client, publish, sign_up, solved_pow


def test_sign_up_returns_a_grouped_key_and_sign_in_works(client: TestClient) -> None:
    response = client.post("/api/accounts", json={"pow": solved_pow(client)})
    assert response.status_code == 201
    key = response.json()["account_key"]
    assert re.fullmatch(r"mo(-[0-9A-Z]{4}){8}", key)
    assert client.post("/api/session", json={"account_key": key}).status_code == 200
    assert client.get("/api/me/notes").json() == []
    assert client.delete("/api/session").status_code == 200
    assert client.get("/api/me/notes").status_code == 401


def test_wrong_and_malformed_keys_are_refused(client: TestClient) -> None:
    response = client.post("/api/session", json={"account_key": "mo-" + "-".join(["ABCD"] * 8)})
    assert response.status_code == 401
    response = client.post("/api/session", json={"account_key": "not a key"})
    assert response.status_code == 422
    assert "mo-XXXX" in response.json()["error"]["message"]


def test_post_read_comment_reply_and_voices(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    author, second, third = new_client(app), new_client(app), new_client(app)
    for c in (author, second, third):
        sign_up(c)
    created = author.post("/api/notes", json={"title": "周末去哪儿", "body": "求推荐 #旅行"})
    assert created.status_code == 201
    note_id = created.json()["id"]
    assert created.json()["visible_from"].endswith("Z"), "the composer says when it goes public"
    publish(momo)

    first = second.post(f"/api/notes/{note_id}/comments", json={"body": "去杭州！"})
    assert first.status_code == 201 and first.json()["voice"] == "Momo 1"
    publish(momo)
    reply = author.post(
        f"/api/notes/{note_id}/comments", json={"body": "谢谢", "reply_to": first.json()["id"]}
    )
    assert reply.json()["voice"] == "OP"
    assert third.post(f"/api/notes/{note_id}/comments", json={"body": "+1"}).json()["voice"] == (
        "Momo 2"
    )
    again = second.post(f"/api/notes/{note_id}/comments", json={"body": "again"})
    assert again.json()["voice"] == "Momo 1", "a voice is stable within a thread"
    publish(momo)

    page = new_client(app).get(f"/api/notes/{note_id}").json()
    assert page["persona"] == {"name": "Momo", "avatar": "/static/momo-avatar.svg"}
    assert page["topics"] == ["旅行"]
    top = page["comments"]
    # Inside one time bucket the order is not the insertion order, by design.
    assert sorted(c["voice"] for c in top) == ["Momo 1", "Momo 1", "Momo 2"]
    answered = next(c for c in top if c["id"] == first.json()["id"])
    assert answered["replies"][0]["voice"] == "OP"
    assert answered["replies"][0]["reply_to_voice"] == "Momo 1"


def test_voices_do_not_carry_across_threads(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    a, b = new_client(app), new_client(app)
    sign_up(a)
    sign_up(b)
    first = a.post("/api/notes", json={"title": "one", "body": ""}).json()["id"]
    second = a.post("/api/notes", json={"title": "two", "body": ""}).json()["id"]
    publish(momo)
    b.post(f"/api/notes/{second}/comments", json={"body": "I came first here"})
    # b is Momo 1 in the second thread; a new person in the first thread is Momo 1 there too.
    assert b.post(f"/api/notes/{first}/comments", json={"body": "hi"}).json()["voice"] == "Momo 1"


def test_likes_count_once_per_person_and_never_say_who(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    a, b = new_client(app), new_client(app)
    sign_up(a)
    sign_up(b)
    note_id = a.post("/api/notes", json={"title": "like me", "body": ""}).json()["id"]
    publish(momo)
    assert b.post(f"/api/notes/{note_id}/like").json() == {"count": 1, "on": True}
    assert b.post(f"/api/notes/{note_id}/like").json() == {"count": 1, "on": True}
    assert a.post(f"/api/notes/{note_id}/like").json()["count"] == 2
    assert b.delete(f"/api/notes/{note_id}/like").json()["count"] == 1
    page = b.get(f"/api/notes/{note_id}").json()
    assert page["like_count"] == 1 and page["viewer"]["liked"] is False


def test_bookmarks_are_private(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    a, b = new_client(app), new_client(app)
    sign_up(a)
    sign_up(b)
    note_id = a.post("/api/notes", json={"title": "save me", "body": ""}).json()["id"]
    other = a.post("/api/notes", json={"title": "and me", "body": ""}).json()["id"]
    publish(momo)
    b.post(f"/api/notes/{note_id}/collect")
    b.post(f"/api/notes/{other}/collect")
    b.delete(f"/api/notes/{other}/collect")
    assert [c["id"] for c in b.get("/api/me/bookmarks").json()["items"]] == [note_id]
    assert a.get("/api/me/bookmarks").json()["items"] == []


def test_edit_and_delete_only_own_notes(app) -> None:  # type: ignore[no-untyped-def]
    a, b = new_client(app), new_client(app)
    sign_up(a)
    sign_up(b)
    note_id = a.post("/api/notes", json={"title": "draft", "body": "x"}).json()["id"]
    assert b.patch(f"/api/notes/{note_id}", json={"title": "hacked", "body": ""}).status_code == 403
    assert b.delete(f"/api/notes/{note_id}").status_code == 403
    assert a.patch(f"/api/notes/{note_id}", json={"title": "final", "body": "y"}).status_code == 200
    assert a.get(f"/api/notes/{note_id}").json()["title"] == "final"
    assert [n["title"] for n in a.get("/api/me/notes").json()] == ["final"]
    assert a.delete(f"/api/notes/{note_id}").status_code == 200
    assert a.get(f"/api/notes/{note_id}").status_code == 404
    assert a.get("/api/me/notes").json() == []


def test_note_with_images_via_multipart(client: TestClient) -> None:
    sign_up(client)
    response = client.post(
        "/api/notes/with-images",
        data={"title": "photos", "body": "two pics"},
        files=[
            ("images", ("a.jpg", jpeg_bytes(), "image/jpeg")),
            ("images", ("b.jpg", jpeg_bytes(color="blue"), "image/jpeg")),
        ],
    )
    assert response.status_code == 201, response.text
    page = client.get(f"/api/notes/{response.json()['id']}").json()
    assert len(page["images"]) == 2
    image = client.get(page["images"][0]["url"])
    assert image.status_code == 200 and image.content[:3] == b"\xff\xd8\xff"


def test_feeds_search_and_topics(client: TestClient, momo: Momo) -> None:
    sign_up(client)
    ids = [
        client.post(
            "/api/notes", json={"title": f"北京大学第{i}天", "body": "Coffee #学习"}
        ).json()["id"]
        for i in range(3)
    ]
    assert client.get("/api/feed", params={"kind": "latest"}).json()["items"] == []
    publish(momo)
    latest = client.get("/api/feed", params={"kind": "latest"}).json()
    assert {item["id"] for item in latest["items"]} == set(ids)
    assert client.get("/api/feed", params={"kind": "discover"}).status_code == 200
    assert len(client.get("/api/search", params={"q": "京大"}).json()["items"]) == 3
    assert len(client.get("/api/search", params={"q": "coffee"}).json()["items"]) == 3
    assert client.get("/api/search", params={"q": "大京"}).json()["items"] == []
    topic = client.get("/api/topics/学习").json()
    assert topic["name"] == "学习" and len(topic["items"]) == 3


def test_delete_account_keeping_or_removing_notes(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    keeper, leaver, reader = new_client(app), new_client(app), new_client(app)
    keeper_key = sign_up(keeper)
    sign_up(leaver)
    kept = keeper.post("/api/notes", json={"title": "stays", "body": ""}).json()["id"]
    gone = leaver.post("/api/notes", json={"title": "goes", "body": ""}).json()["id"]
    publish(momo)
    assert keeper.delete("/api/accounts/me", params={"keep_notes": "true"}).status_code == 200
    assert leaver.delete("/api/accounts/me", params={"keep_notes": "false"}).status_code == 200
    assert reader.get(f"/api/notes/{kept}").status_code == 200
    assert reader.get(f"/api/notes/{gone}").status_code == 404
    assert keeper.post("/api/session", json={"account_key": keeper_key}).status_code == 401


def test_uploads_leave_no_file_and_no_folder_entry(client: TestClient, momo) -> None:  # type: ignore[no-untyped-def]
    """Images live in the database: no file's ctime or folder's mtime records the upload."""
    sign_up(client)
    data_dir = momo.settings.data_dir
    before = sorted(p.name for p in data_dir.rglob("*"))
    response = client.post(
        "/api/notes/with-images",
        data={"title": "when?", "body": ""},
        files=[("images", ("a.jpg", jpeg_bytes(), "image/jpeg"))],
    )
    assert response.status_code == 201
    assert sorted(p.name for p in data_dir.rglob("*")) == before
    assert not (data_dir / "media").exists()
