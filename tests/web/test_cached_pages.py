"""Public pages answered from the response cache before routing: the same bytes
and headers as the route gives, only what the route would have served from the
cache, and nothing that skips the shield or the guard."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from momo.core import Momo
from momo.web.app import create_app
from momo.web.cached_pages import CachedPages
from tests.conftest import new_client, publish, sign_up, viewers


def _layer(app: Any) -> CachedPages:
    layer = app.middleware_stack
    while not isinstance(layer, CachedPages):
        layer = layer.app
    return layer


def _answer(client: TestClient, path: str, **kwargs: Any) -> tuple[int, list[Any], bytes]:
    response = client.get(path, **kwargs)
    return response.status_code, sorted(response.headers.multi_items()), response.content


@pytest.fixture
def filled(momo: Momo) -> list[str]:
    authors = viewers(momo, 5)
    ids = [momo.notes.create(authors[i % 5], f"note {i}", "今天的天气 #天气#") for i in range(25)]
    publish(momo)
    return ids


def test_a_stored_page_is_answered_before_routing_with_the_routes_bytes(
    app: Any, momo: Momo, filled: list[str]
) -> None:
    client = new_client(app)
    cursor = client.get("/api/feed", params={"kind": "latest"}).json()["next_cursor"]
    assert cursor
    paths = [
        "/api/feed?kind=latest",
        "/api/feed",  # Discover is the default kind
        f"/api/feed?kind=latest&cursor={cursor}",
        f"/api/notes/{filled[3]}",
        "/",
        "/latest",
    ]
    for path in paths:
        for headers in ({}, {"accept-language": "en"}):
            built = _answer(client, path, headers=headers)
            served = _layer(app).served
            stored = _answer(client, path, headers=headers)
            assert _layer(app).served == served + 1, f"{path} went through routing"
            assert built[0] == 200
            assert stored == built, path


def test_what_the_route_must_answer_goes_on_to_the_route(
    app: Any, momo: Momo, filled: list[str]
) -> None:
    reader, anonymous = new_client(app), new_client(app)
    sign_up(reader)
    for path in (f"/api/notes/{filled[0]}", "/", "/api/feed"):
        anonymous.get(path)  # stored: the anonymous reader's copies
    asked = [
        (reader, f"/api/notes/{filled[0]}"),  # a signed-in view has the reader's own state
        (reader, "/"),
        (anonymous, "/?cursor=x"),
        (anonymous, "/api/feed?kind=everything"),
        (anonymous, "/api/feed?cursor=" + "x" * 201),
    ]
    for client, path in asked * 2:
        client.get(path)
    assert _layer(app).served == 0
    assert anonymous.get("/api/feed?kind=everything").status_code == 422
    assert anonymous.get("/api/feed?cursor=" + "x" * 201).status_code == 422


def test_a_write_sends_the_next_reader_to_the_route_and_the_new_page(
    app: Any, momo: Momo, filled: list[str]
) -> None:
    anonymous = new_client(app)
    anonymous.get("/api/feed?kind=latest")
    writer = viewers(momo, 1)[0]
    newest = momo.notes.create(writer, "newest", "")
    publish(momo)
    served = _layer(app).served
    items = anonymous.get("/api/feed?kind=latest").json()["items"]
    assert _layer(app).served == served
    assert items[0]["id"] == newest


def test_a_stored_page_still_passes_the_limits_and_the_browser_guard(
    momo: Momo, filled: list[str]
) -> None:
    momo.settings.requests_per_minute = 4
    app = create_app(momo)
    client = new_client(app)
    responses = [client.get("/api/feed?kind=latest") for _ in range(6)]
    assert _layer(app).served >= 1
    assert [r.status_code for r in responses] == [200] * 4 + [429] * 2
    assert "content-security-policy" in responses[1].headers
    assert responses[1].headers["referrer-policy"] == "no-referrer"
