"""Notifications without tracking, in Debian's chromium: replies come from the
person's vault, the badge is off until they turn it on, and what is new is
remembered by the device alone."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.server import bucket_ends, running_server, short_buckets, sign_up_over_http

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_replies_and_an_opt_in_badge(browser, tmp_path: Path, database_template: str) -> None:  # type: ignore[no-untyped-def]
    env = short_buckets(database_template, MOMO_PROBATION_DAYS="0", MOMO_POW_DIFFICULTY="4")
    with running_server(tmp_path, env) as server:
        base = server.base_url
        with (
            httpx.Client(base_url=base, timeout=30) as author,
            httpx.Client(base_url=base, timeout=30) as friend,
        ):
            sign_up_over_http(author)
            sign_up_over_http(friend)
            note = author.post("/api/notes", json={"title": "My first note", "body": "hi"}).json()
            bucket_ends()
            friend.post(f"/api/notes/{note['id']}/comments", json={"body": "Welcome!"})
            bucket_ends()
            session = author.cookies["momo_session"]

        context = browser.new_context(locale="en-US")
        context.add_cookies([{"name": "momo_session", "value": session, "url": base}])
        asked: list[str] = []
        context.on("request", lambda r: asked.append(r.url) if "/api/me/replies" in r.url else None)
        page = context.new_page()
        page.goto(base + "/")
        page.wait_for_load_state("networkidle")
        assert page.locator("a[data-replies] .badge").is_hidden()
        assert asked == [], "no badge, no request: off by default"

        page.goto(base + "/wellbeing")
        page.check("#pace-badge")
        page.get_by_role("button", name="Save on this device").click()
        page.goto(base + "/")
        badge = page.locator("a[data-replies] .badge")
        badge.wait_for()
        assert badge.inner_text() == "1"

        page.locator("a[data-replies]").click()
        reply = page.get_by_test_id("reply-to-me")
        assert "Welcome!" in reply.inner_text() and "replied on your note" in reply.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "notifications.png"), full_page=True)
        page.goto(base + "/")
        page.wait_for_load_state("networkidle")
        assert page.locator("a[data-replies] .badge").is_hidden(), "seen on this device"
        context.close()
