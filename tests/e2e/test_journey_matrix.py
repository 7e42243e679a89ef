"""Every everyday journey at desktop and phone sizes, in Chinese and English, with and
without JavaScript, in Debian's chromium: the home feed, a note (read, like), the
composer's privacy warning, the style check, and replies to me. Screenshots of each
go to test-artifacts/ as <journey>-<language>-<size>-<js|nojs>.png."""

from __future__ import annotations

import itertools
from pathlib import Path

import httpx
import pytest

from tests.conftest import jpeg_bytes
from tests.server import bucket_ends, running_server, short_buckets, sign_up_over_http

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
LANGUAGES = {"zh-CN": "zh", "en-US": "en"}
WORDS = {
    "zh": {"warning": "电话号码", "replies": "回复了你", "style": "你的文风"},
    "en": {"warning": "phone number", "replies": "replied to you", "style": "Your writing style"},
}


def test_every_journey_in_both_languages_sizes_and_with_and_without_javascript(  # type: ignore[no-untyped-def]
    browser, tmp_path: Path, database_template: str
) -> None:
    env = short_buckets(database_template, MOMO_PROBATION_DAYS="0", MOMO_POW_DIFFICULTY="4")
    with running_server(tmp_path, env) as server:
        base = server.base_url
        author, replier, me = (httpx.Client(base_url=base, timeout=30) for _ in range(3))
        for client in (author, replier, me):
            sign_up_over_http(client)
        note = author.post(
            "/api/notes/with-images",
            data={"title": "周末去爬山 Weekend hike", "body": "山顶的风很大 #旅行"},
            files=[("images", ("a.jpg", jpeg_bytes((800, 600), "teal"), "image/jpeg"))],
        ).json()["id"]
        for i in range(24):  # enough community for the style check to compare with
            author.post("/api/notes", json={"title": f"日常 {i} Daily", "body": "今天天气不错。"})
        for text in ("今天好开心～～", "吃了火锅～～真香", "明天见～～"):
            me.post("/api/notes", json={"title": text, "body": text})
        bucket_ends()
        mine = me.post(f"/api/notes/{note}/comments", json={"body": "风景真好"}).json()["id"]
        bucket_ends()
        replier.post(f"/api/notes/{note}/comments", json={"body": "是啊", "reply_to": mine})
        bucket_ends()
        session = me.cookies["momo_session"]
        ARTIFACTS.mkdir(exist_ok=True)

        for (locale, lang), (size, viewport), js in itertools.product(
            LANGUAGES.items(), SIZES.items(), (True, False)
        ):
            tag = f"{lang}-{size}-{'js' if js else 'nojs'}"
            words = WORDS[lang]
            context = browser.new_context(
                locale=locale,
                viewport={"width": viewport[0], "height": viewport[1]},
                java_script_enabled=js,
            )
            context.add_cookies([{"name": "momo_session", "value": session, "url": base}])
            page = context.new_page()

            page.goto(base + "/")
            assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
            assert page.locator("h1").count() == 1 and page.locator(".grid > .card").count() >= 10
            page.screenshot(path=str(ARTIFACTS / f"home-{tag}.png"))

            page.goto(f"{base}/notes/{note}")
            assert page.locator(".note h1").inner_text() == "周末去爬山 Weekend hike"
            like = page.locator("[data-focus=like]")
            was_on = "on" in (like.get_attribute("class") or "")
            like.click()
            state = "[data-focus=like]" + (":not(.on)" if was_on else ".on")
            page.locator(state).wait_for()
            if not js:
                assert page.url.endswith("#actions"), "back to the same spot"
            assert page.get_by_text("是啊", exact=True).count() == 1, "the reply, nested once"
            page.screenshot(path=str(ARTIFACTS / f"note-{tag}.png"), full_page=True)

            page.goto(base + "/compose")
            page.fill("input[name=title]", "租房")
            body = page.locator("textarea[name=body]")
            if js:
                body.press_sequentially("联系我 138 1234 5678")
                warning = page.get_by_test_id("pii-live")
            else:
                body.fill("联系我 138 1234 5678")
                page.locator("button.btn-red").click()
                warning = page.get_by_test_id("pii-warning")
            warning.wait_for()
            assert words["warning"] in warning.inner_text().lower()
            assert page.input_value("textarea[name=body]") == "联系我 138 1234 5678"
            page.screenshot(
                path=str(ARTIFACTS / f"compose-privacy-warning-{tag}.png"), full_page=True
            )

            page.goto(base + "/compose")
            page.fill("input[name=title]", "周末爬山～～")
            page.fill("textarea[name=body]", "风好大～～")
            page.locator("[data-style-check]").click()
            result = page.locator(".style-live .style-result")
            result.wait_for()
            assert words["style"] in result.inner_text()
            summary = page.get_by_test_id("style-summary").inner_text()
            assert ("10 个人" if lang == "zh" else "among 10 people") in summary, summary
            page.screenshot(path=str(ARTIFACTS / f"style-check-{tag}.png"), full_page=True)

            page.goto(base + "/me/replies")
            reply = page.get_by_test_id("reply-to-me")
            assert reply.count() == 1 and words["replies"] in reply.inner_text()
            assert "是啊" in reply.inner_text()
            page.screenshot(path=str(ARTIFACTS / f"notifications-{tag}.png"), full_page=True)
            context.close()
