"""Journeys with JavaScript in Debian's chromium: the skip link, cards in rows, load
more in place, a draft that survives a reload, and sign-in that returns to the page."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.server import bucket_ends, running_server, short_buckets, sign_up_over_http

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_everyday_journeys(browser, tmp_path: Path, database_template: str) -> None:  # type: ignore[no-untyped-def]
    env = short_buckets(database_template, MOMO_PROBATION_DAYS="0", MOMO_POW_DIFFICULTY="4")
    with running_server(tmp_path, env) as server:
        base = server.base_url
        writers = [httpx.Client(base_url=base, timeout=30) for _ in range(2)]
        keys = [sign_up_over_http(w) for w in writers]
        for i in range(26):
            writers[i % 2].post("/api/notes", json={"title": f"Note {i:02d}", "body": "hello"})
        bucket_ends()

        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(base + "/latest")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

        cards = page.locator(".grid > .card")
        first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
        assert first and second and second["x"] > first["x"] and abs(second["y"] - first["y"]) < 2
        assert cards.count() == 20
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        before = page.evaluate("window.scrollY")
        page.get_by_role("link", name="Load more").click()
        page.locator(".grid > .card").nth(25).wait_for()
        assert page.locator(".grid > .card").count() == 26
        assert page.url == base + "/latest#main", "appended in place, no navigation"
        assert page.evaluate("window.scrollY") >= before * 0.5, "no jump back to the top"
        assert page.get_by_role("link", name="Load more").count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "latest-loaded-more.png"))

        # Sign-in from a note page comes back to it.
        note = page.locator(".grid > .card").first.get_attribute("href")
        page.goto(base + str(note))
        page.get_by_role("link", name="Sign in", exact=True).click()
        page.fill("input[name=account_key]", keys[0])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(base + str(note))

        # A draft survives a reload, and goes once published.
        page.goto(base + "/compose")
        page.fill("input[name=title]", "Half-written thought")
        page.fill("textarea[name=body]", "to be continued")
        page.reload()
        assert page.input_value("input[name=title]") == "Half-written thought"
        assert page.input_value("textarea[name=body]") == "to be continued"
        page.get_by_role("button", name="Publish").click()
        page.wait_for_url("**/notes/*")
        page.goto(base + "/compose")
        assert page.input_value("input[name=title]") == ""
        context.close()
        for writer in writers:
            writer.close()


def test_the_style_check_in_place_speaks_chinese(  # type: ignore[no-untyped-def]
    browser, tmp_path: Path, database_template: str
) -> None:
    env = short_buckets(database_template, MOMO_PROBATION_DAYS="0", MOMO_POW_DIFFICULTY="4")
    with running_server(tmp_path, env) as server:
        base = server.base_url
        others = httpx.Client(base_url=base, timeout=30)
        sign_up_over_http(others)
        for i in range(12):
            others.post("/api/notes", json={"title": f"日常 {i}", "body": "今天天气不错。"})
        me = httpx.Client(base_url=base, timeout=30)
        sign_up_over_http(me)
        for text in ("今天好开心～～", "吃了火锅～～真香", "明天见～～"):
            me.post("/api/notes", json={"title": text, "body": text})
        bucket_ends()
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        context.add_cookies(
            [{"name": "momo_session", "value": me.cookies["momo_session"], "url": base}]
        )
        page = context.new_page()
        page.goto(base + "/compose")
        page.fill("input[name=title]", "周末爬山～～")
        page.fill("textarea[name=body]", "风好大～～")
        page.locator("[data-style-check]").click()
        result = page.locator(".style-live .style-result")
        result.wait_for()
        assert page.url == base + "/compose", "answered in place"
        text = result.inner_text()
        assert "你的文风" in text and "波浪号" in text, text
        assert page.input_value("textarea[name=body]") == "风好大～～", "the draft stays"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "compose-style-check-zh-phone.png"), full_page=True)
        context.close()
