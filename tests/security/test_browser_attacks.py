"""Attacks a hostile web page makes through a visitor's browser, against a real server.

* Login CSRF: an auto-submitting form on another site posted an account key to
  /signin, replaced the victim's session with the attacker's account, and the
  victim's next post showed up in the attacker's own list, unmasking its author.
* Bodyless POSTs (like, bookmark, invite) from a same-site page on another port.
* Framing a signed-in page (clickjacking), sniffing, leaking the page in Referer.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import new_client, sign_up
from tests.security.conftest import Target
from tests.server import bucket_ends

EVIL = "http://evil.example"


@pytest.mark.parametrize(
    "attack",
    [
        {"origin": EVIL},
        {"origin": "OTHER_PORT"},
        {"sec-fetch-site": "cross-site", "origin": EVIL},
        {"sec-fetch-site": "same-site", "origin": "OTHER_PORT"},
    ],
)
def test_login_csrf_from_another_origin_is_refused(target: Target, attack: dict[str, str]) -> None:
    host = target.base_url.removeprefix("http://")
    other_port = f"http://{host.split(':')[0]}:{int(host.split(':')[1]) + 1}"
    headers = {k: v.replace("OTHER_PORT", other_port) for k, v in attack.items()}
    attacker, attacker_key = target.person()
    victim, _ = target.person()
    before = victim.cookies.get("momo_session")
    for path, data in (("/signin", {"account_key": attacker_key}), ("/signup", {})):
        forged = victim.post(path, data=data, headers=headers, follow_redirects=False)
        assert forged.status_code == 403, (path, forged.text)
        assert "set-cookie" not in forged.headers
    assert victim.cookies.get("momo_session") == before
    assert victim.post("/api/notes", json={"title": "mine", "body": ""}).status_code == 201
    assert victim.get("/api/me/notes").json()[0]["title"] == "mine"
    assert attacker.get("/api/me/notes").json() == []


def test_bodyless_writes_from_another_origin_are_refused(target: Target) -> None:
    author, _ = target.person()
    note_id = author.post("/api/notes", json={"title": "t", "body": ""}).json()["id"]
    bucket_ends()
    host = target.base_url.removeprefix("http://")
    other_port = f"http://{host.split(':')[0]}:{int(host.split(':')[1]) + 1}"
    for path in (f"/api/notes/{note_id}/like", f"/api/notes/{note_id}/collect", "/api/invites"):
        refused = author.post(path, headers={"origin": other_port, "sec-fetch-site": "same-site"})
        assert refused.status_code == 403, path
        assert refused.json()["error"]["code"] == "cross_origin"
    assert author.get(f"/api/notes/{note_id}").json()["like_count"] == 0
    own = author.post(
        f"/api/notes/{note_id}/like",
        headers={"origin": target.base_url, "sec-fetch-site": "same-origin"},
    )
    assert own.status_code == 200 and own.json()["count"] == 1


def test_every_response_carries_the_defensive_headers(target: Target) -> None:
    client = target.anonymous()
    for path in ("/", "/api/feed?kind=latest", "/about", "/api/notes/nope", "/static/momo.js"):
        response = client.get(path, headers={"accept": "text/html"})
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"


def test_session_cookies_are_secure_over_https(app: Any) -> None:
    """In-process: the test server speaks plain HTTP, so the scheme is set by the client."""
    secure = TestClient(app, base_url="https://testserver")
    key = sign_up(new_client(app))
    response = secure.post("/api/session", json={"account_key": key})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
