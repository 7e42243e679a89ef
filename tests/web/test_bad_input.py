"""Bad input gets a clear 4xx, the server keeps serving, and nothing stored is lost."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from momo.core import Momo
from tests.conftest import jpeg_bytes, publish, sign_up


@pytest.fixture
def author(client: TestClient, momo: Momo) -> tuple[TestClient, str]:
    sign_up(client)
    note_id = client.post("/api/notes", json={"title": "keep me", "body": "safe"}).json()["id"]
    publish(momo)
    return client, note_id


def assert_still_intact(client: TestClient, note_id: str) -> None:
    page = client.get(f"/api/notes/{note_id}")
    assert page.status_code == 200 and page.json()["title"] == "keep me"
    assert [n["id"] for n in client.get("/api/me/notes").json()] == [note_id]


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"title": "", "body": "x"}, 422, "title"),
        ({"title": "   ", "body": "x"}, 422, "title"),
        ({"title": "t" * 101, "body": "x"}, 422, "title"),
        ({"title": "ok", "body": "b" * 5001}, 422, "body"),
        ({"body": "no title"}, 422, "title"),
        ({"title": ["not", "a", "string"]}, 422, "title"),
    ],
)
def test_bad_notes(author, payload, status, field) -> None:  # type: ignore[no-untyped-def]
    client, note_id = author
    response = client.post("/api/notes", json=payload)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["message"] and field in (error["field"] or "")
    assert_still_intact(client, note_id)


def test_malformed_json(author) -> None:  # type: ignore[no-untyped-def]
    client, note_id = author
    response = client.post(
        "/api/notes", content=b'{"title": "x", ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"
    assert_still_intact(client, note_id)


@pytest.mark.parametrize(
    "path",
    [
        "/api/notes/nope",
        "/api/notes/AAAAAAAAAAAA",
        "/api/notes/../../etc/passwd",
        "/api/notes/" + "x" * 500,
    ],
)
def test_bad_ids_are_404(author, path: str) -> None:  # type: ignore[no-untyped-def]
    client, note_id = author
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert_still_intact(client, note_id)


def test_comment_errors(author) -> None:  # type: ignore[no-untyped-def]
    client, note_id = author
    assert client.post(f"/api/notes/{note_id}/comments", json={"body": ""}).status_code == 422
    assert (
        client.post(f"/api/notes/{note_id}/comments", json={"body": "x" * 1001}).status_code == 422
    )
    bad_reply = client.post(
        f"/api/notes/{note_id}/comments", json={"body": "hi", "reply_to": "AAAAAAAAAAAA"}
    )
    assert bad_reply.status_code == 422 and bad_reply.json()["error"]["field"] == "reply_to"
    assert client.post("/api/notes/AAAAAAAAAAAA/comments", json={"body": "hi"}).status_code == 404
    assert_still_intact(client, note_id)


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        ("notes.txt", b"just text", 422),
        ("fake.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", 422),
        ("poly.jpg", jpeg_bytes() + b"PK\x03\x04" + b"z" * 64, 422),
    ],
)
def test_bad_uploads(author, name: str, content: bytes, status: int) -> None:  # type: ignore[no-untyped-def]
    client, note_id = author
    response = client.post(
        "/api/notes/with-images",
        data={"title": "pics", "body": ""},
        files=[("images", (name, content, "image/jpeg"))],
    )
    assert response.status_code == status
    assert response.json()["error"]["field"] == "images"
    assert_still_intact(client, note_id)


def test_oversized_upload(settings, clock, author) -> None:  # type: ignore[no-untyped-def]
    from momo.web.app import create_app

    _, note_id = author
    strict = Momo(settings.model_copy(update={"max_image_bytes": 2_000}), clock=clock)
    client = TestClient(create_app(strict))
    sign_up(client)
    response = client.post(
        "/api/notes/with-images",
        data={"title": "big", "body": ""},
        files=[("images", ("big.jpg", jpeg_bytes((400, 400), quality=100), "image/jpeg"))],
    )
    assert response.status_code == 413
    assert client.get(f"/api/notes/{note_id}").json()["title"] == "keep me"
    strict.close()


def test_too_many_images(author) -> None:  # type: ignore[no-untyped-def]
    client, note_id = author
    files = [("images", (f"{i}.jpg", jpeg_bytes(), "image/jpeg")) for i in range(10)]
    response = client.post("/api/notes/with-images", data={"title": "ten"}, files=files)
    assert response.status_code == 422
    assert_still_intact(client, note_id)


def test_unknown_topic_and_bad_cursor_and_kind(author) -> None:  # type: ignore[no-untyped-def]
    client, note_id = author
    assert client.get("/api/topics/没有这个话题").status_code == 404
    assert client.get("/api/feed", params={"cursor": "garbage!!"}).status_code == 422
    assert client.get("/api/feed", params={"kind": "friends"}).status_code == 422
    assert client.get("/api/search", params={"q": ""}).status_code == 422
    assert client.get("/api/search", params={"q": "x" * 101}).status_code == 422
    assert_still_intact(client, note_id)


def test_writes_need_a_session(client: TestClient) -> None:
    response = client.post("/api/notes", json={"title": "anon", "body": ""})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_signed_in"
    # The busiest writes find the viewer inside their own worker-thread call: a
    # missing or made-up session is refused there just the same.
    for cookies in ({}, {"momo_session": "made-up-token"}):
        client.cookies.clear()
        client.cookies.update(cookies)
        for path, body in (
            ("/api/notes", {"title": "anon", "body": ""}),
            ("/api/notes/AAAAAAAAAAAA/comments", {"body": "anon"}),
        ):
            response = client.post(path, json=body)
            assert response.status_code == 401, (path, cookies)
            assert response.json()["error"]["code"] == "not_signed_in"


def test_html_errors_are_friendly_pages(author) -> None:  # type: ignore[no-untyped-def]
    client, note_id = author
    response = client.get("/notes/AAAAAAAAAAAA", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "<html" in response.text and "找不到这篇笔记" in response.text  # the default, Chinese
    english = client.get(
        "/notes/AAAAAAAAAAAA", headers={"accept": "text/html", "accept-language": "en"}
    )
    assert english.status_code == 404 and "no such note" in english.text
    api = client.get("/api/notes/AAAAAAAAAAAA")
    assert api.json()["error"]["message"] == "no such note", "scripts get stable English"
    chinese_api = client.get("/api/notes/AAAAAAAAAAAA", headers={"accept-language": "zh-CN"})
    assert chinese_api.json()["error"]["message"] == "找不到这篇笔记"
    response = client.get("/topics/unknown-topic", headers={"accept": "text/html"})
    assert response.status_code == 404 and "<html" in response.text
    assert_still_intact(client, note_id)
