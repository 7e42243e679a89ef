"""Context notes over HTTP: the JSON API, the forms without JavaScript, the rating
queue, the public log, and pages in both languages."""

from __future__ import annotations

import re

import pytest

from momo.config import Settings
from momo.core import Momo
from tests.conftest import new_client, publish, sign_up, viewers
from tests.context.test_service import Community
from tests.web.test_pages import HTML, _csrf, _sign_up

SOURCE = "https://example.org/fact-check"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.probation_days = 0
    return settings


def _post(momo: Momo) -> str:
    (author,) = viewers(momo, 1)
    note_id = momo.notes.create(author, "Shocking photo", "This happened yesterday!")
    publish(momo)
    return note_id


def test_write_list_and_rate_over_the_api(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    note_id = _post(momo)
    writer = new_client(app)
    sign_up(writer)
    draft = {"body": "The photo is from 2019.", "sources": [SOURCE], "reason": "outdated"}
    created = writer.post(f"/api/notes/{note_id}/context-notes", json=draft)
    assert created.status_code == 201, created.text
    context_id = created.json()["id"]
    for bad, status in [
        ({**draft, "sources": []}, 422),
        ({**draft, "sources": ["not a link"]}, 422),
        ({**draft, "reason": "because"}, 422),
        ({**draft, "body": "x" * 501}, 422),
    ]:
        assert writer.post(f"/api/notes/{note_id}/context-notes", json=bad).status_code == status
    listed = writer.get(f"/api/notes/{note_id}/context-notes").json()
    assert [c["id"] for c in listed] == [context_id]
    assert listed[0]["status"] == "needs_more_ratings" and not listed[0]["can_rate"]
    assert not {"rater", "author", "account", "voice"} & set(listed[0])
    own = writer.post(f"/api/context-notes/{context_id}/ratings", json={"rating": "helpful"})
    assert own.status_code == 403
    rater = new_client(app)
    sign_up(rater)
    assert [c["id"] for c in rater.get("/api/context-notes/queue").json()] == [context_id]
    rated = rater.post(
        f"/api/context-notes/{context_id}/ratings",
        json={"rating": "somewhat", "tags": ["clear"]},
    )
    assert rated.json() == {"status": "needs_more_ratings", "rating_count": 1}
    assert rater.get("/api/context-notes/queue").json() == []  # rated: off the queue
    bad_tag = rater.post(
        f"/api/context-notes/{context_id}/ratings", json={"rating": "helpful", "tags": ["lol"]}
    )
    assert bad_tag.status_code == 422 and "tags" in bad_tag.text
    assert (
        new_client(app).post(f"/api/notes/{note_id}/context-notes", json=draft).status_code == 401
    )
    assert "/api/context-notes/{context_id}/ratings" in app.openapi()["paths"]


def test_without_javascript_write_and_rate_on_the_note_page(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    note_id = _post(momo)
    writer = new_client(app)
    _sign_up(writer)
    page = writer.get(f"/notes/{note_id}", headers={**HTML, "accept-language": "zh-CN"})
    assert "添加补充说明" in page.text
    posted = writer.post(
        f"/notes/{note_id}/context",
        data={
            "body": "照片拍摄于 2019 年。",
            "sources": f"{SOURCE}\nhttps://example.com/archive",
            "reason": "outdated",
            "csrf": _csrf(page.text),
        },
        headers=HTML,
        follow_redirects=False,
    )
    assert posted.status_code == 303
    rater = new_client(app)
    _sign_up(rater)
    page = rater.get(f"/notes/{note_id}", headers={**HTML, "accept-language": "en"})
    assert "Context waiting for ratings (1)" in page.text
    context_id = re.search(r'action="/context-notes/([\w-]+)/rate"', page.text)
    assert context_id
    rated = rater.post(
        f"/context-notes/{context_id.group(1)}/rate",
        data={"rating": "helpful", "tags": ["good_sources", "clear"], "csrf": _csrf(page.text)},
        headers=HTML,
        follow_redirects=False,
    )
    assert rated.status_code == 303
    again = rater.get(f"/notes/{note_id}", headers={**HTML, "accept-language": "en"}).text
    assert "you said: Helpful" in again
    queue = rater.get("/context-notes", headers={**HTML, "accept-language": "zh-CN"}).text
    assert "为补充说明评分" in queue and "暂时没有需要你评分的补充说明" in queue


def test_a_helpful_note_shows_for_everyone_in_both_languages(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    community = Community(momo)
    community.polarise()
    target = community.context(0)
    for pair in zip(community.side_a[:5], community.side_b[:5], strict=True):
        for rater in pair:
            momo.context_notes.rate(rater, target, "helpful", [])
    anonymous = new_client(app)
    post = community.posts[0]
    for locale, words in [("zh-CN", "读者补充说明"), ("en", "Readers added context")]:
        page = anonymous.get(f"/notes/{post}", headers={**HTML, "accept-language": locale}).text
        assert words in page and "The photo is from 2019." in page
        assert 'href="https://example.org/report"' in page
        cards = anonymous.get("/latest", headers={**HTML, "accept-language": locale}).text
        assert cards.count('data-testid="context-badge"') == 1
    log = anonymous.get("/context-notes/log", headers={**HTML, "accept-language": "en"}).text
    assert "Helpful" in log and post in log
    assert any(c["status"] == "helpful" for c in anonymous.get("/api/context-notes/log").json())


def test_only_moderators_clear_a_burst(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    note_id = _post(momo)
    (writer,) = viewers(momo, 1)
    context_id = momo.context_notes.write(writer, note_id, "context", [SOURCE], "other")
    member = new_client(app)
    _sign_up(member)
    page = member.get(f"/notes/{note_id}", headers=HTML)
    refused = member.post(
        f"/mod/context/{context_id}/clear", data={"csrf": _csrf(page.text)}, headers=HTML
    )
    assert refused.status_code == 403


def test_exports_carry_context_notes_without_raters(momo: Momo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from momo.content.export import mask
    from momo.context.export import write_context_notes

    community = Community(momo)
    target = community.context(0)
    momo.context_notes.rate(community.raters[0], target, "helpful", [])
    assert write_context_notes(momo.context_notes, tmp_path, mask) == 1
    (record,) = [json.loads(line) for line in (tmp_path / "context_notes.jsonl").open()]
    assert record["context_id"] == target and record["status"] == "needs_more_ratings"
    assert set(record) == {
        "context_id",
        "note_id",
        "date",
        "body",
        "sources",
        "reason",
        "status",
        "rating_count",
    }


def test_the_moderator_queue_lists_a_burst_and_clears_it(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    community = Community(momo)
    community.polarise()
    target = community.context(0)
    for rater in community.side_a[:8]:
        momo.context_notes.rate(rater, target, "helpful", [])
    moderator = new_client(app)
    key = sign_up(moderator)
    momo.accounts.set_role(key, "moderator")
    queue = moderator.get("/mod", headers={**HTML, "accept-language": "en"})
    assert "Context notes under a rating burst" in queue.text
    assert queue.text.count('data-testid="context-burst"') == 1
    cleared = moderator.post(
        f"/mod/context/{target}/clear", data={"csrf": _csrf(queue.text)}, headers=HTML
    )
    assert cleared.status_code == 200  # back on the queue page
    assert momo.context_notes.bursts() == []
