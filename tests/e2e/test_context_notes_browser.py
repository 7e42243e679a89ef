"""Context notes in Debian's chromium: a reader writes one on a post, people from
both sides of a divided community rate it on the page until it shows, and
everyone finds it under the post in Chinese and in English."""

from __future__ import annotations

from itertools import zip_longest
from pathlib import Path

import httpx
import pytest

from tests.server import bucket_ends, running_server, short_buckets, sign_up_over_http

pytestmark = pytest.mark.browser

SIDE_A, SIDE_B = 8, 5
SOURCE = "https://example.org/archive/2019"


def _member(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    sign_up_over_http(client)
    return client


def test_context_note_rated_across_the_divide_shows(
    browser, tmp_path: Path, database_template: str
) -> None:  # type: ignore[no-untyped-def]
    env = short_buckets(
        database_template,
        MOMO_PROBATION_DAYS="0",
        MOMO_SIGNUPS_PER_HOUR="1000",
        MOMO_POW_DIFFICULTY="4",
    )
    with running_server(tmp_path, env) as server:
        base = server.base_url
        author = _member(base)
        posts = [
            author.post("/api/notes", json={"title": f"Claim {i}", "body": "Big news!"}).json()[
                "id"
            ]
            for i in range(3)
        ]
        bucket_ends()
        side_a = [_member(base) for _ in range(SIDE_A)]
        side_b = [_member(base) for _ in range(SIDE_B)]
        both = [c for pair in zip_longest(side_a, side_b) for c in pair if c is not None]
        # The community's history: partisan context the two sides rate oppositely.
        writers = [_member(base), _member(base)]
        for n in range(4):
            draft = {"body": f"Partisan take {n}", "sources": [SOURCE], "reason": "other"}
            made = writers[n % 2].post(f"/api/notes/{posts[1]}/context-notes", json=draft)
            context_id = made.json()["id"]
            for rater in both:
                agrees = (rater in side_a) == (n % 2 == 0)
                rating = "helpful" if agrees else "not_helpful"
                rater.post(f"/api/context-notes/{context_id}/ratings", json={"rating": rating})

        # A reader adds context to the first post, in the page.
        key_holder = browser.new_context(locale="en-US")
        key_holder.add_cookies(
            [{"name": "momo_session", "value": writers[0].cookies["momo_session"], "url": base}]
        )
        page = key_holder.new_page()
        page.goto(f"{base}/notes/{posts[0]}")
        page.get_by_text("Add context").first.click()
        page.select_option(".context-form select[name=reason]", "outdated")
        page.fill(
            ".context-form textarea[name=body]", "The photo was taken in 2019, not yesterday."
        )
        page.fill(".context-form textarea[name=sources]", SOURCE)
        page.get_by_role("button", name="Add context").click()
        page.wait_for_url("**context=added**")
        assert "once people who usually disagree" in page.get_by_role("status").inner_text()

        # People from both sides rate it in their browsers, until it shows.
        shown_after = None
        for count, rater in enumerate(both, start=1):
            context = browser.new_context(locale="zh-CN" if count % 2 else "en-US")
            context.add_cookies(
                [{"name": "momo_session", "value": rater.cookies["momo_session"], "url": base}]
            )
            reader = context.new_page()
            reader.goto(f"{base}/notes/{posts[0]}")
            note = reader.locator("[data-testid=context-note]", has_text="taken in 2019")
            form = note.locator("xpath=following-sibling::form[1]")
            if note.get_attribute("data-status") != "helpful":
                reader.locator("details.pending-context > summary").click()
            form.locator("input[value=helpful]").check()
            form.locator("button").click()
            reader.wait_for_load_state()
            context.close()
            status = author.get(f"/api/notes/{posts[0]}/context-notes").json()[0]["status"]
            if status == "helpful":
                shown_after = count
                break
        assert shown_after is not None, "rated helpful across the divide, it shows"
        assert shown_after >= 5  # not before the minimum number of ratings

        for locale, words in [("zh-CN", "读者补充说明"), ("en-US", "Readers added context")]:
            visitor = browser.new_context(locale=locale).new_page()
            visitor.goto(f"{base}/notes/{posts[0]}")
            shown = visitor.locator("[data-testid=context-note][data-status=helpful]")
            assert words in shown.inner_text() and "taken in 2019" in shown.inner_text()
            assert shown.get_by_role("link", name=SOURCE).is_visible()
            visitor.goto(f"{base}/latest")
            card = visitor.locator(".card", has_text="Claim 0")
            assert card.get_by_test_id("context-badge").is_visible()
            visitor.goto(f"{base}/context-notes/log")
            assert posts[0] in visitor.locator("table.log").inner_text()
        for client in [author, *both, *writers]:
            client.close()
