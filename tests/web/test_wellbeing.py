"""Well-being over HTTP: Discover's end, hugs, the crisis card in the composer,
search and the no-JavaScript path, and a settings page that never submits."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from momo.config import Settings
from momo.core import Momo
from tests.conftest import new_client, publish, sign_up, viewers
from tests.web.test_pages import HTML, _csrf, _sign_up

DAILY = 3
CARD = 'data-testid="crisis-card"'


def _shown(html: str) -> str:
    """The page as drawn: every page carries the card in a <template> for the
    composer's script, which is not shown until a draft needs it."""
    return re.sub(r"<template.*?</template>", "", html, flags=re.S)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.discover_daily_notes = DAILY
    return settings


def _notes(momo: Momo, count: int) -> list[str]:
    (author,) = viewers(momo, 1)
    clock = momo.time.clock
    ids = []
    for i in range(count):
        clock.advance(200)  # type: ignore[attr-defined]
        ids.append(momo.notes.create(author, f"note {i}", "a day out"))
    publish(momo)
    return ids


def test_discover_ends_with_all_caught_up_and_latest_goes_on(
    client: TestClient, momo: Momo
) -> None:
    _notes(momo, DAILY + 2)
    page = client.get("/", headers={**HTML, "accept-language": "en"}).text
    assert page.count('class="card"') == DAILY
    assert 'data-testid="caught-up"' in page and "all caught up for today" in page
    assert 'href="/latest"' in page and "Load more" not in page
    chinese = client.get("/", headers={**HTML, "accept-language": "zh-CN"}).text
    assert "今天的内容你都看完啦" in chinese
    api = client.get("/api/feed?kind=discover").json()
    assert len(api["items"]) == DAILY and api["caught_up"] and api["next_cursor"] is None
    latest = client.get("/latest", headers=HTML).text
    assert latest.count('class="card"') == DAILY + 2 and 'data-testid="caught-up"' not in latest


def test_hugs_over_the_api_and_the_form(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    (note_id,) = _notes(momo, 1)
    api = new_client(app)
    sign_up(api)
    assert api.post(f"/api/notes/{note_id}/hug").json() == {"count": 1, "on": True}
    assert api.delete(f"/api/notes/{note_id}/hug").json() == {"count": 0, "on": False}
    browser = new_client(app)
    _sign_up(browser)
    page = browser.get(f"/notes/{note_id}", headers={**HTML, "accept-language": "zh-CN"})
    assert "抱抱" in page.text
    browser.post(
        f"/notes/{note_id}/react",
        data={"kind": "hug", "on": "1", "csrf": _csrf(page.text)},
        headers=HTML,
    )
    again = browser.get(f"/notes/{note_id}", headers={**HTML, "accept-language": "zh-CN"}).text
    assert "已抱抱" in again
    assert re.search(r'data-testid="hug"[^>]*>已抱抱 <b>1</b>', again)


@pytest.mark.parametrize(
    ("text", "care"),
    [
        ("最近真的不想活了", True),
        ("I want to kill myself", True),
        ("笑死我了", False),
        ("killing it", False),
    ],
)
def test_the_draft_scan_offers_the_lines(client: TestClient, text: str, care: bool) -> None:
    assert client.post("/api/privacy/scan", json={"text": text}).json()["care"] is care


def test_search_shows_the_card_and_still_searches(client: TestClient, momo: Momo) -> None:
    _notes(momo, 1)
    page = client.get(
        "/search", params={"q": "不想活了"}, headers={**HTML, "accept-language": "zh-CN"}
    )
    assert page.status_code == 200 and CARD in _shown(page.text)
    assert "你并不孤单" in page.text and "findahelpline.com" in page.text
    english = client.get(
        "/search", params={"q": "suicidal"}, headers={**HTML, "accept-language": "en"}
    )
    assert CARD in _shown(english.text) and "not alone" in english.text
    plain = client.get("/search", params={"q": "a day out"}, headers=HTML).text
    assert CARD not in _shown(plain) and 'class="card"' in plain


def test_without_javascript_the_lines_follow_the_post(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    author = new_client(app)
    _sign_up(author)
    compose = author.get("/compose", headers=HTML)
    posted = author.post(
        "/compose",
        data={"title": "深夜", "body": "我真的撑不下去了", "csrf": _csrf(compose.text)},
        headers=HTML,
        follow_redirects=False,
    )
    assert posted.status_code == 303 and posted.headers["location"].endswith("care=1")
    page = author.get(posted.headers["location"], headers={**HTML, "accept-language": "zh-CN"})
    assert CARD in _shown(page.text) and "撑不下去" in page.text  # not blocked
    ordinary = author.post(
        "/compose",
        data={"title": "午饭", "body": "笑死我了，今天食堂的菜", "csrf": _csrf(compose.text)},
        headers=HTML,
        follow_redirects=False,
    )
    assert "care" not in ordinary.headers["location"]
    # The flag is only for the person who posted: a stranger's link shows nothing.
    stranger = new_client(app).get(posted.headers["location"], headers=HTML)
    assert CARD not in _shown(stranger.text)


def test_the_settings_page_has_nothing_to_submit(client: TestClient) -> None:
    page = client.get("/wellbeing", headers={**HTML, "accept-language": "en"})
    assert page.status_code == 200 and "Your pace" in page.text
    form = re.search(r'<form id="pace-form".*?</form>', page.text, re.S)
    assert form is not None
    assert "action=" not in form.group(0) and "name=" not in form.group(0)
    assert "/static/pace.js" in page.text and "local storage" in page.text
    zh = client.get("/wellbeing", headers={**HTML, "accept-language": "zh-CN"}).text
    assert "我的节奏" in zh and "本地存储" in zh
