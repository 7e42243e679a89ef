"""Well-being in Debian's chromium, on a simulated clock: Discover ends, Latest stops
where this device stopped, a break reminder and the daily budget come on time,
quiet hours show a calm page, the crisis card appears in both languages, and
none of the settings or counts ever reaches the server."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.server import bucket_ends, running_server, short_buckets, sign_up_over_http

pytestmark = pytest.mark.browser

DAILY = 4
ZONE = "Asia/Shanghai"
# Values chosen to be unmistakable if they ever turned up in a request.
BREAK_EVERY = "17"
BUDGET = "43"
QUIET_FROM, QUIET_TO = "22:10", "06:50"


def _at(hour: int, minute: int) -> datetime:
    return datetime(2026, 12, 3, hour, minute, tzinfo=ZoneInfo(ZONE))


class Traffic:
    """Every request the browser makes, with everything it carries."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.cookies: set[str] = set()
        self.posts: list[tuple[str, str]] = []

    def watch(self, context) -> None:  # type: ignore[no-untyped-def]
        context.on("request", self._record)

    def _record(self, request) -> None:  # type: ignore[no-untyped-def]
        headers = request.all_headers()
        for part in headers.get("cookie", "").split(";"):
            if part.strip():
                self.cookies.add(part.split("=")[0].strip())
        if request.method != "GET":
            self.posts.append((urlsplit(request.url).path, request.post_data or ""))
        self.sent.append(
            unquote(
                " ".join(
                    [request.method, request.url, json.dumps(headers), request.post_data or ""]
                )
            )
        )


def _post_notes(base: str, titles: list[str]) -> None:
    with httpx.Client(base_url=base, timeout=30) as api:
        sign_up_over_http(api)
        for title in titles:
            assert api.post("/api/notes", json={"title": title, "body": "by the river"}).is_success


def _choose(page, base: str) -> None:  # type: ignore[no-untyped-def]
    """Set every option on the settings page, as a person would."""
    page.goto(base + "/wellbeing")
    page.fill("#pace-budget", BUDGET)
    page.fill("#pace-break", BREAK_EVERY)
    page.fill("#pace-quiet-from", QUIET_FROM)
    page.fill("#pace-quiet-to", QUIET_TO)
    page.check("#pace-hide-likes")
    page.get_by_role("button", name="Save on this device").click()
    page.get_by_text("Saved on this device.").wait_for()


def test_wellbeing_on_the_device_only(browser, tmp_path: Path, database_template: str) -> None:  # type: ignore[no-untyped-def]
    env = short_buckets(
        database_template, MOMO_DISCOVER_DAILY_NOTES=str(DAILY), MOMO_PROBATION_DAYS="0"
    )
    traffic = Traffic()
    with running_server(tmp_path, env) as server:
        base = server.base_url
        _post_notes(base, [f"Walk {i}" for i in range(6)])
        bucket_ends()

        # -- Discover ends; Latest ends where this device stopped last time.
        context = browser.new_context(locale="en-US", timezone_id=ZONE)
        traffic.watch(context)
        page = context.new_page()
        page.clock.install(time=_at(14, 0))
        page.goto(base + "/")
        assert page.locator(".grid .card").count() == DAILY
        assert page.get_by_test_id("caught-up").is_visible()
        assert "all caught up for today" in page.get_by_test_id("caught-up").inner_text()
        assert page.get_by_role("link", name="Load more").count() == 0
        page.goto(base + "/latest")
        assert page.locator(".grid .card:visible").count() == 6
        assert page.get_by_test_id("latest-stop").count() == 0  # a first visit has no stop

        _post_notes(base, ["Fresh one", "Fresh two"])
        bucket_ends()
        later = context.new_page()  # the next visit, on the same device
        later.goto(base + "/latest")
        later.get_by_test_id("latest-stop").wait_for()
        visible = later.locator(".grid .card:visible")
        assert visible.count() == 2
        assert {visible.nth(i).locator("h3").inner_text() for i in range(2)} == {
            "Fresh one",
            "Fresh two",
        }
        later.get_by_role("button", name="Show older notes anyway").click()
        assert later.locator(".grid .card:visible").count() == 8
        later.close()

        # -- Every option on; a break reminder after the chosen minutes of use.
        _choose(page, base)
        page.goto(base + "/latest")
        assert not page.locator(".like-count").first.is_visible(), "like counts hidden for me"
        assert page.get_by_test_id("pace-dialog").count() == 0
        page.clock.run_for(f"{int(BREAK_EVERY) - 1}:00")
        assert page.get_by_test_id("pace-dialog").count() == 0
        page.clock.run_for("01:30")
        dialog = page.get_by_test_id("pace-dialog")
        assert dialog.is_visible() and "Time for a break?" in dialog.inner_text()
        page.get_by_role("button", name="Take a break").click()
        assert "Enjoy the break" in dialog.inner_text()
        page.get_by_role("button", name="Keep going").click()
        assert page.get_by_test_id("pace-dialog").count() == 0

        # ...and the daily budget, counted across pages on this device.
        page.goto(base + "/")
        page.clock.run_for(f"{int(BUDGET) - int(BREAK_EVERY) - 2}:00")
        assert "That's your time" not in " ".join(
            page.get_by_test_id("pace-dialog").all_inner_texts()
        )
        page.clock.run_for("02:00")
        page.get_by_text("That's your time for today").wait_for()
        assert f"{BUDGET} minutes" in page.get_by_test_id("pace-dialog").inner_text()
        context.close()

        # -- Quiet hours: a calm page instead of the feed, one tap to go on.
        night = browser.new_context(locale="zh-CN", timezone_id=ZONE)
        traffic.watch(night)
        evening = night.new_page()
        evening.clock.install(time=_at(21, 0))
        evening.goto(base + "/wellbeing")
        evening.fill("#pace-quiet-from", QUIET_FROM)
        evening.fill("#pace-quiet-to", QUIET_TO)
        evening.get_by_role("button", name="保存在此设备").click()
        evening.goto(base + "/")
        assert evening.get_by_test_id("quiet-page").count() == 0
        assert evening.locator(".grid .card").first.is_visible()
        evening.clock.run_for("01:30:00")  # 22:30, inside the quiet hours
        evening.goto(base + "/")
        calm = evening.get_by_test_id("quiet-page")
        assert calm.is_visible() and "安静时段" in calm.inner_text()
        assert not evening.locator(".grid .card").first.is_visible()
        evening.get_by_role("button", name="仍然继续").click()
        assert evening.locator(".grid .card").first.is_visible()
        evening.goto(base + "/latest")  # the choice holds for tonight's stretch
        assert evening.get_by_test_id("quiet-page").count() == 0
        night.close()

        # -- The crisis card, in both languages, in the composer and in search.
        with httpx.Client(base_url=base, timeout=30) as api:
            sign_up_over_http(api)
            session = api.cookies.get("momo_session")
        for locale, crisis, everyday, query, words in [
            ("zh-CN", "最近真的不想活了", "笑死我了，今天食堂的菜", "不想活了", "你并不孤单"),
            (
                "en-US",
                "honestly I want to kill myself",
                "you are killing it!",
                "suicidal",
                "not alone",
            ),
        ]:
            writer = browser.new_context(locale=locale, timezone_id=ZONE)
            traffic.watch(writer)
            writer.add_cookies([{"name": "momo_session", "value": session, "url": base}])
            compose = writer.new_page()
            compose.goto(base + "/compose")
            body = compose.locator("textarea[name=body]")
            body.fill(everyday)
            compose.wait_for_timeout(1200)  # the debounced check has answered
            assert compose.locator(".care-live [data-testid=crisis-card]").count() == 0
            body.fill(crisis)
            card = compose.locator(".care-live [data-testid=crisis-card]")
            card.wait_for()
            assert words in card.inner_text() and "1925" in card.inner_text()
            assert compose.get_by_role("button", name="发布" if locale == "zh-CN" else "Publish")
            search = writer.new_page()
            search.goto(base + "/search?q=" + query)
            assert words in search.locator("main [data-testid=crisis-card]").inner_text()
            writer.close()

    # -- None of it reached the server.
    assert traffic.sent, "the watcher saw the browser's requests"
    everything = "\n".join(traffic.sent)
    for secret in ("momo.pace", "breakEvery", "hideLikes", "quietFrom", "budget"):
        assert secret not in everything
    for value in (f"={BREAK_EVERY}", f":{BREAK_EVERY},", f"={BUDGET}", QUIET_FROM, QUIET_TO):
        assert value not in everything
    assert traffic.cookies <= {"momo_session", "momo_lang"}
    # The settings form never submits; the only thing the pages send is a draft
    # to the privacy scan, and that carries the draft alone.
    assert traffic.posts and {path for path, _ in traffic.posts} == {"/api/privacy/scan"}
    assert all(set(json.loads(body)) == {"text"} for _, body in traffic.posts)
    logs = server.stdout.read_text() + server.stderr.read_text()
    for trace in ("/latest", "/wellbeing", "GET ", "POST ", "/api/feed"):
        assert trace not in logs
