"""Inputs that used to crash a request with a 500 and a traceback."""

from __future__ import annotations

import base64
import json
import socket
import time
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from momo import errors
from momo.web import errors as web_errors
from tests.security.conftest import Target


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def _raiser(error: Exception) -> Any:
    def route() -> None:
        raise error

    return route


def test_every_domain_error_is_a_clear_4xx() -> None:
    import momo.core
    import momo.web.app  # noqa: F401

    classes = {errors.MomoError, *_all_subclasses(errors.MomoError)}
    assert len(classes) >= 8
    app = FastAPI()
    web_errors.install(app)
    for index, cls in enumerate(sorted(classes, key=lambda c: c.__qualname__)):
        try:
            instance = cls("refused")
        except TypeError:
            instance = cls("refused", 7)  # the rate-limit errors carry Retry-After

        app.add_api_route(f"/api/e{index}", _raiser(instance))
    client = TestClient(app, raise_server_exceptions=False)
    for index, cls in enumerate(sorted(classes, key=lambda c: c.__qualname__)):
        response = client.get(f"/api/e{index}")
        assert 400 <= response.status_code < 500, cls
        assert response.json()["error"]["message"] == "refused" or "too many" in str(
            response.json()
        ), cls


def test_the_sign_in_limit_answers_429_with_retry_after(target: Target) -> None:
    client = target.anonymous()
    statuses = [
        client.post("/api/session", json={"account_key": "mo-" + "-".join(["ABCD"] * 8)})
        for _ in range(35)
    ]
    codes = [r.status_code for r in statuses]
    assert set(codes) <= {401, 429} and 429 in codes
    limited = next(r for r in statuses if r.status_code == 429)
    assert int(limited.headers["retry-after"]) > 0
    form = client.post("/signin", data={"account_key": "x"}, headers={"accept": "text/html"})
    assert form.status_code == 429
    assert client.get("/api/persona").status_code == 200, "the server keeps serving"


@pytest.mark.parametrize(
    "payload",
    ['[NaN, "a"]', '[Infinity, "a"]', '[-Infinity, "a"]', "[1" + "0" * 140 + ', "a"]'],
)
def test_crafted_cursors_are_refused_not_crashed(target: Target, payload: str) -> None:
    client = target.anonymous()
    cursor = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    assert json.loads(base64.urlsafe_b64decode(cursor + "==="))  # valid JSON to Python
    for path in ("/api/modlog", "/api/feed?kind=latest", "/api/feed?kind=discover"):
        separator = "&" if "?" in path else "?"
        response = client.get(f"{path}{separator}cursor={cursor}")
        assert response.status_code == 422, (path, response.text)
        assert response.json()["error"]["field"] == "cursor"


def test_a_trickled_body_times_out(target: Target) -> None:
    """Headers, then part of the body, then silence: the server answers 408 and frees
    the connection instead of waiting for ever."""
    host, port = target.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            b"POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n" + b'{"title": '
        )
        started = time.monotonic()
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert time.monotonic() - started < 10


def test_slow_headers_are_cut_off(target: Target) -> None:
    """The slowloris attack: headers a few bytes at a time, never finished. The server
    closes the connection; a normal client on a kept-alive connection is unaffected."""
    host, port = target.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"GET /api/persona HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        for _ in range(20):
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                break
            time.sleep(0.25)
            if time.monotonic() - started > 4:
                break
        sock.settimeout(10)
        try:
            closed = sock.recv(4096) == b""
        except ConnectionResetError:
            closed = True
    assert closed, "the connection was still open"
    assert time.monotonic() - started < 8
    client = target.anonymous()
    for _ in range(3):  # one kept-alive connection, several requests, spaced out
        assert client.get("/api/persona").status_code == 200
        time.sleep(1)
