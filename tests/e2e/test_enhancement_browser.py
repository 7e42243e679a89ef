"""Progressive enhancement in Debian's chromium: with JavaScript, like, hug, save,
reply, report and delete change the page in place, keep focus and show the new
count; without it the same forms post and come back to the same spot."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.server import bucket_ends, running_server, short_buckets, sign_up_over_http

pytestmark = pytest.mark.browser


def _signed_in(browser, base: str, **options):  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=base, timeout=30) as client:
        sign_up_over_http(client)
        session = client.cookies["momo_session"]
    context = browser.new_context(locale="en-US", **options)
    context.add_cookies([{"name": "momo_session", "value": session, "url": base}])
    return context


def test_actions_in_place_and_without_javascript(
    browser, tmp_path: Path, database_template: str
) -> None:  # type: ignore[no-untyped-def]
    env = short_buckets(database_template, MOMO_PROBATION_DAYS="0", MOMO_POW_DIFFICULTY="4")
    with running_server(tmp_path, env) as server:
        base = server.base_url
        with httpx.Client(base_url=base, timeout=30) as author:
            sign_up_over_http(author)
            note = author.post("/api/notes", json={"title": "Dumplings", "body": "recipe"}).json()
        bucket_ends()
        url = f"{base}/notes/{note['id']}"

        page = _signed_in(browser, base).new_page()
        page.goto(url)
        page.evaluate("window.stillHere = true")  # gone if the page reloads
        for key in ("like", "hug", "collect"):
            page.locator(f"[data-focus={key}]").click()
            page.locator(f"[data-focus={key}].on").wait_for()
            assert page.evaluate("document.activeElement.dataset.focus") == key
        assert page.locator("[data-focus=like] b").inner_text() == "1"
        assert page.locator("[data-focus=hug] b").inner_text() == "1"

        page.locator("form.comment-form textarea").first.fill("Pork and cabbage, please")
        page.locator("[data-focus=send-top]").click()
        assert "appears at" in page.get_by_test_id("release-notice").inner_text()

        page.locator("#actions details.report > summary").click()
        page.select_option("#actions select[name=reason]", "spam")
        page.locator(f"[data-focus=report-{note['id']}]").click()
        page.get_by_test_id("reported").wait_for()
        assert page.evaluate("window.stillHere") is True, "all of it without a reload"

        bucket_ends()
        page.goto(url)
        page.evaluate("window.stillHere = true")
        comment = page.locator(".comment", has_text="Pork and cabbage")
        comment.locator("details.confirm-delete > summary").click()
        comment.get_by_role("button", name="Yes, delete my comment").click()
        page.locator(".comment", has_text="Pork and cabbage").wait_for(state="detached")
        assert page.evaluate("window.stillHere") is True

        plain = _signed_in(browser, base, java_script_enabled=False).new_page()
        plain.goto(url)
        plain.locator("[data-focus=like]").click()
        assert plain.url.endswith("#actions")
        assert plain.locator("[data-focus=like] b").inner_text() == "2"
        plain.locator("#actions details.report > summary").click()
        plain.select_option("#actions select[name=reason]", "other")
        plain.locator(f"[data-focus=report-{note['id']}]").click()
        assert plain.url.endswith("#actions") and plain.get_by_test_id("reported").is_visible()
