"""Attacks a hostile web page can make on a visitor's browser.

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

from momo.core import Momo
from tests.conftest import new_client, publish, sign_up

EVIL = "http://evil.example"
OTHER_PORT = "http://testserver:8081"


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": EVIL},
        {"origin": OTHER_PORT},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site", "origin": OTHER_PORT},
    ],
)
def test_login_csrf_from_another_origin_is_refused(app: Any, headers: dict[str, str]) -> None:
    attacker, victim = new_client(app), new_client(app)
    attacker_key = sign_up(attacker)
    victim_key = sign_up(victim)
    before = victim.cookies.get("momo_session")
    for path, data in (("/signin", {"account_key": attacker_key}), ("/signup", {})):
        forged = victim.post(path, data=data, headers=headers, follow_redirects=False)
        assert forged.status_code == 403, (path, forged.text)
        assert "set-cookie" not in forged.headers
    assert victim.cookies.get("momo_session") == before
    assert victim.post("/api/notes", json={"title": "mine", "body": ""}).status_code == 201
    assert victim.get("/api/me/notes").json()[0]["title"] == "mine"
    assert attacker.get("/api/me/notes").json() == []
    del victim_key


def test_bodyless_writes_from_another_origin_are_refused(app: Any, momo: Momo) -> None:
    author = new_client(app)
    sign_up(author)
    note_id = author.post("/api/notes", json={"title": "t", "body": ""}).json()["id"]
    publish(momo)
    for path in (f"/api/notes/{note_id}/like", f"/api/notes/{note_id}/collect", "/api/invites"):
        refused = author.post(path, headers={"origin": OTHER_PORT})
        assert refused.status_code == 403, path
        assert refused.json()["error"]["code"] == "cross_origin"
    assert author.get(f"/api/notes/{note_id}").json()["like_count"] == 0
    same_site = author.post(
        f"/api/notes/{note_id}/like",
        headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"},
    )
    assert same_site.status_code == 200


def test_own_pages_and_scripts_still_write(app: Any) -> None:
    browser = new_client(app)
    sign_up(browser)
    ok = browser.post(
        "/api/notes",
        json={"title": "from my page", "body": ""},
        headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"},
    )
    assert ok.status_code == 201
    typed = browser.post(
        "/signin", data={"account_key": "x"}, headers={"sec-fetch-site": "none"}
    )  # typed in the address bar or a bookmark: the user's own act
    assert typed.status_code != 403


def test_every_response_carries_the_defensive_headers(client: TestClient) -> None:
    for path in ("/", "/api/feed?kind=latest", "/about", "/api/notes/nope"):
        response = client.get(path, headers={"accept": "text/html"})
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"


def test_session_cookies_are_secure_over_https(app: Any) -> None:
    secure = TestClient(app, base_url="https://testserver")
    key = sign_up(new_client(app))
    response = secure.post("/api/session", json={"account_key": key})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
