"""End to end in Debian's chromium: sign up, post with an image, comment, reply, voices."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import jpeg_bytes
from tests.server import (
    bucket_ends,
    grant_moderator,
    running_server,
    short_buckets,
    sign_up_over_http,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


def _sign_up(page, base: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(base + "/signup")
    page.get_by_role("button", name="Create my account key").click()
    key = page.get_by_test_id("account-key").inner_text().strip()
    assert key.startswith("mo-")
    page.get_by_role("button", name="I have saved it, continue").click()
    page.wait_for_url(base + "/")
    return key


def test_post_comment_reply_and_voices(browser, tmp_path: Path, database_template: str) -> None:  # type: ignore[no-untyped-def]
    env = short_buckets(database_template)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes((600, 800), "orange"))
    with running_server(tmp_path, env) as server:
        base = server.base_url
        first = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        author = first.new_page()
        _sign_up(author, base)
        author.goto(base + "/compose")
        author.set_input_files("input[name=images]", str(photo))
        author.fill("input[name=title]", "Weekend in Hangzhou")
        author.fill("textarea[name=body]", "West Lake at dawn #travel")
        author.get_by_role("button", name="Publish").click()
        author.wait_for_url("**/notes/*")
        note_url = author.url
        assert author.locator(".gallery img").count() == 1
        assert "goes public at" in author.get_by_test_id("release-notice").inner_text()
        bucket_ends()

        second = browser.new_context(locale="en-US")
        commenter = second.new_page()
        _sign_up(commenter, base)
        commenter.goto(note_url)
        commenter.locator("form.comment-form textarea").first.fill("Which bridge is this?")
        commenter.locator("form.comment-form button").first.click()
        # The reply is posted in place: its notice shows in the comments.
        notice = commenter.locator("#comments [data-testid=release-notice]")
        assert "appears at" in notice.inner_text()
        bucket_ends()
        commenter.goto(note_url)
        commenter.wait_for_selector("text=Which bridge is this?")

        author.goto(note_url)
        comment = author.locator(".comment", has_text="Which bridge is this?").first
        comment.locator("summary").first.click()
        comment.locator("textarea").first.fill("The Broken Bridge!")
        comment.locator("button", has_text="Send").first.click()
        bucket_ends()
        author.goto(note_url)
        author.wait_for_selector("text=The Broken Bridge!")

        reply = author.locator(".reply-item", has_text="The Broken Bridge!")
        assert reply.locator(".voice").inner_text() == "OP"
        assert "replying to Momo 1" in reply.inner_text()
        asker = author.locator(".comment", has_text="Which bridge is this?").first
        assert asker.locator(".voice").first.inner_text() == "Momo 1"

        ARTIFACTS.mkdir(exist_ok=True)
        author.screenshot(path=str(ARTIFACTS / "note-page.png"), full_page=True)
        phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        mobile = phone.new_page()
        mobile.goto(note_url)
        assert mobile.locator(".voice.op").first.inner_text() == "楼主"
        mobile.screenshot(path=str(ARTIFACTS / "note-page-phone.png"), full_page=True)
        mobile.goto(base + "/")
        mobile.screenshot(path=str(ARTIFACTS / "home-phone.png"))
        assert (ARTIFACTS / "note-page.png").stat().st_size > 10_000


def test_composer_warns_before_personal_data_in_both_languages(  # type: ignore[no-untyped-def]
    browser, tmp_path: Path, database_template: str
) -> None:
    env = short_buckets(database_template)
    with running_server(tmp_path, env) as server:
        base = server.base_url
        english = browser.new_context(locale="en-US").new_page()
        _sign_up(english, base)
        english.goto(base + "/compose")
        english.fill("input[name=title]", "Room for rent")
        english.locator("textarea[name=body]").press_sequentially("call me on 138 1234 5678")
        live = english.get_by_test_id("pii-live")
        live.wait_for()
        assert "Phone" in live.inner_text() or "phone" in live.inner_text()
        assert english.locator(".pii-live li mark.pii").inner_text() == "138 1234 5678"
        assert english.locator(".pii-live .pii-preview mark.pii").inner_text() == "138 1234 5678"
        ARTIFACTS.mkdir(exist_ok=True)
        english.screenshot(path=str(ARTIFACTS / "composer-warning-en.png"), full_page=True)
        dialogs: list[str] = []

        def accept(dialog) -> None:  # type: ignore[no-untyped-def]
            dialogs.append(dialog.message)
            dialog.accept()

        english.on("dialog", accept)
        english.get_by_role("button", name="Publish").click()
        english.wait_for_url("**/notes/*")
        assert dialogs and "Publish anyway" in dialogs[0]

        chinese_context = browser.new_context(locale="zh-CN")
        chinese = chinese_context.new_page()
        chinese.goto(base + "/signup")
        chinese.get_by_role("button", name="生成我的账号密钥").click()
        chinese.get_by_test_id("account-key").wait_for()  # after the proof-of-work
        chinese.goto(base + "/compose")
        chinese.fill("input[name=title]", "求助")
        chinese.locator("textarea[name=body]").press_sequentially("加我微信 lily_2023 详聊")
        live = chinese.get_by_test_id("pii-live")
        live.wait_for()
        assert "微信号" in live.inner_text()
        chinese.screenshot(path=str(ARTIFACTS / "composer-warning-zh.png"), full_page=True)


def test_report_sanction_appeal_and_public_log(  # type: ignore[no-untyped-def]
    browser, tmp_path: Path, database_template: str
) -> None:
    env = short_buckets(database_template)
    with running_server(tmp_path, env) as server:
        base = server.base_url
        pages = {
            name: browser.new_context(locale="en-US").new_page()
            for name in ("author", "reporter", "mod_a", "mod_b")
        }
        keys = {name: _sign_up(page, base) for name, page in pages.items()}
        grant_moderator(server, keys["mod_a"], env)
        grant_moderator(server, keys["mod_b"], env)

        author = pages["author"]
        author.goto(base + "/compose")
        author.fill("input[name=title]", "Parking fight")
        author.fill("textarea[name=body]", "Someone took my spot again")
        author.get_by_role("button", name="Publish").click()
        author.wait_for_url("**/notes/*")
        note_url = author.url.split("?")[0]
        bucket_ends()
        author.goto(note_url)
        author.locator("form.comment-form textarea").first.fill("whoever did this is a clown")
        author.locator("form.comment-form button").first.click()
        bucket_ends()
        author.goto(note_url)
        author.wait_for_selector("text=whoever did this is a clown")

        reporter = pages["reporter"]
        reporter.goto(note_url)
        comment = reporter.locator(".comment", has_text="is a clown").first
        comment.locator("details.report summary").click()
        comment.locator("select[name=reason]").select_option("harassment")
        comment.get_by_role("button", name="Send report").click()
        reporter.wait_for_selector("text=Moderators will look at it")

        mod_a = pages["mod_a"]
        mod_a.goto(base + "/mod")
        item = mod_a.get_by_test_id("queue-item").first
        assert "Harassment" in item.inner_text() and "is a clown" in item.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        mod_a.screenshot(path=str(ARTIFACTS / "moderation-queue.png"), full_page=True)
        assert "prior" not in item.inner_text(), "no per-account figure"
        item.locator("select[name=action]").select_option("sanction")
        item.locator("select[name=rule]").select_option("harassment")
        item.get_by_role("button", name="Apply").click()
        mod_a.wait_for_selector("text=Nothing waiting.")

        author.goto(base + "/me/notices")
        sanction = author.get_by_test_id("sanction").first
        assert "Warning" in sanction.inner_text() and "Harassment" in sanction.inner_text()
        assert "is a clown" in sanction.inner_text()
        sanction.locator("textarea[name=text]").fill("It was about the car, not a person.")
        sanction.get_by_role("button", name="Send appeal").click()
        author.wait_for_selector("text=Appeal: pending")

        mod_a.goto(base + "/mod")
        assert "another moderator decides" in mod_a.get_by_test_id("appeal-item").inner_text()
        mod_b = pages["mod_b"]
        mod_b.goto(base + "/mod")
        mod_b.get_by_test_id("appeal-item").get_by_role("button", name="Overturn").click()
        mod_b.wait_for_selector("text=No appeals waiting.")

        author.goto(base + "/me/notices")
        assert "overturned" in author.get_by_test_id("sanction").first.inner_text()
        visitor = browser.new_context(locale="en-US").new_page()
        visitor.goto(base + "/modlog")
        entry = visitor.get_by_test_id("log-entry").first
        assert "Sanction" in entry.inner_text() and "overturned" in entry.inner_text()
        assert "moderator" in entry.inner_text()
        visitor.goto(base + "/transparency")
        month = visitor.get_by_test_id("month").first
        assert "1 appeal, 1 overturned" in month.inner_text()
        visitor.screenshot(path=str(ARTIFACTS / "transparency.png"), full_page=True)


def _api_account(base: str):  # type: ignore[no-untyped-def]
    import httpx

    client = httpx.Client(base_url=base, timeout=30)
    sign_up_over_http(client)
    return client


def test_a_pile_on_is_damped_in_the_browser(  # type: ignore[no-untyped-def]
    browser, tmp_path: Path, database_template: str
) -> None:
    env = short_buckets(database_template, MOMO_FEED_CACHE_SECONDS="0")
    env["MOMO_SIGNUPS_PER_HOUR"] = "50"  # every test account comes from 127.0.0.1
    with running_server(tmp_path, env) as server:
        base = server.base_url
        op = _api_account(base)
        note_id = op.post("/api/notes", json={"title": "An unpopular take", "body": "hm"}).json()[
            "id"
        ]
        calm = op.post("/api/notes", json={"title": "A calm thread", "body": ""}).json()["id"]
        crowd = [_api_account(base) for _ in range(9)]
        bucket_ends()
        for person in crowd:
            assert (
                person.post(f"/api/notes/{note_id}/comments", json={"body": "wrong!"}).status_code
                == 201
            )
        for person in crowd[:3]:
            person.post(f"/api/notes/{calm}/comments", json={"body": "nice"})
        bucket_ends()
        discover = op.get("/api/feed", params={"kind": "discover"}).json()["items"]
        assert note_id not in [c["id"] for c in discover] and calm in [c["id"] for c in discover]

        page = browser.new_context(locale="en-US").new_page()
        _sign_up(page, base)
        page.goto(f"{base}/notes/{note_id}")
        friction = page.get_by_test_id("friction")
        assert "others replied in the last 10 minutes" in friction.inner_text()
        page.locator("form.comment-form textarea").first.fill("maybe let them explain")
        page.locator("form.comment-form button").first.click()
        page.wait_for_url(f"**/notes/{note_id}**")
        bucket_ends()
        page.goto(f"{base}/notes/{note_id}")
        collapsed = page.get_by_test_id("collapsed")
        assert "Show" in collapsed.inner_text()
        assert not page.locator("text=maybe let them explain").is_visible()
        collapsed.locator("summary").first.click()
        assert page.locator("text=maybe let them explain").is_visible()
        page.screenshot(path=str(ARTIFACTS / "damped-thread.png"), full_page=True)
        page.goto(f"{base}/notes/{calm}")
        assert page.get_by_test_id("friction").count() == 0
        for person in [op, *crowd]:
            person.close()
