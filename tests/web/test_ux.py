"""Things people expect of a mature site, checked over HTTP: a skip link and a
heading on every feed, labelled fields, meta tags and a manifest, confirmations
before deleting, deleting one's own comment, and sign-in that returns to the page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from momo.core import Momo
from tests.conftest import new_client, publish, sign_up, viewers
from tests.web.test_pages import HTML, _csrf, _sign_up


def test_feeds_have_a_skip_link_a_heading_and_meta_tags(client: TestClient) -> None:
    for path, heading in [("/", "Discover"), ("/latest", "Latest")]:
        page = client.get(path, headers={**HTML, "accept-language": "en"}).text
        assert '<a class="skip" href="#main">Skip to content</a>' in page
        assert '<main id="main"' in page
        assert f'<h1 class="visually-hidden">{heading}</h1>' in page
        assert '<meta name="description"' in page and 'property="og:title"' in page
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    manifest = client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    assert manifest.json()["name"] == "Momo" and manifest.json()["start_url"] == "/"


def test_one_search_box_on_the_search_page(client: TestClient) -> None:
    page = client.get("/search", headers=HTML).text
    assert page.count('type="search"') == 1 and 'aria-label="' in page


def test_fields_are_labelled_and_reports_start_with_no_choice(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    (author,) = viewers(momo, 1)
    note_id = momo.notes.create(author, "post", "")
    publish(momo)
    reader = new_client(app)
    _sign_up(reader)
    page = reader.get(f"/notes/{note_id}", headers={**HTML, "accept-language": "en"}).text
    # Every field's name is checked by axe (tests/e2e/test_accessibility.py); here the
    # comment box and the report fields, which had none, say what they are.
    assert 'aria-label="Say something kind…"' in page
    assert 'aria-label="Reason"' in page
    report = re.search(r'<select name="reason"[^>]*>(.*?)</select>', page, re.S)
    assert report and '<option value="" selected disabled>' in report.group(1)


def test_deleting_asks_first_and_people_can_delete_their_comments(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    (author,) = viewers(momo, 1)
    note_id = momo.notes.create(author, "post", "")
    publish(momo)
    commenter = new_client(app)
    _sign_up(commenter)
    page = commenter.get(f"/notes/{note_id}", headers=HTML)
    commenter.post(
        f"/notes/{note_id}/comments",
        data={"body": "oops, wrong thread", "csrf": _csrf(page.text)},
        headers=HTML,
    )
    publish(momo)
    page = commenter.get(f"/notes/{note_id}", headers={**HTML, "accept-language": "en"})
    assert "Yes, delete my comment" in page.text
    stranger = new_client(app)
    _sign_up(stranger)
    assert "Yes, delete my comment" not in stranger.get(f"/notes/{note_id}", headers=HTML).text
    comment_id = re.search(r'action="/comments/([\w-]+)/delete"', page.text)
    assert comment_id
    commenter.post(
        f"/comments/{comment_id.group(1)}/delete",
        data={"note_id": note_id, "csrf": _csrf(page.text)},
        headers=HTML,
    )
    assert "oops, wrong thread" not in commenter.get(f"/notes/{note_id}", headers=HTML).text
    me = commenter.get("/me", headers={**HTML, "accept-language": "en"}).text
    assert 'name="sure" value="1" required' in me  # deleting the account needs a tick


def test_sign_in_returns_to_the_page(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    (author,) = viewers(momo, 1)
    note_id = momo.notes.create(author, "post", "")
    publish(momo)
    person = new_client(app)
    key = _sign_up(person)
    visitor = new_client(app)
    page = visitor.get(f"/notes/{note_id}", headers=HTML).text
    assert f'href="/signin?next=/notes/{note_id}"' in page
    form = visitor.get(f"/signin?next=/notes/{note_id}", headers=HTML).text
    assert f'name="next" value="/notes/{note_id}"' in form
    signed = visitor.post(
        "/signin",
        data={"account_key": key, "next": f"/notes/{note_id}"},
        headers=HTML,
        follow_redirects=False,
    )
    assert signed.headers["location"] == f"/notes/{note_id}"
    away = visitor.post(
        "/signin", data={"account_key": key, "next": "//evil.example"}, follow_redirects=False
    )
    assert away.headers["location"] == "/"


def test_the_moderator_picks_the_action_and_the_rule_themselves(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    author, reporter = viewers(momo, 2)
    note_id = momo.notes.create(author, "post", "")
    publish(momo)
    momo.reports.report(reporter, "note", note_id, "spam", "")
    moderator = new_client(app)
    key = sign_up(moderator)
    momo.accounts.set_role(key, "moderator")
    page = moderator.get("/mod", headers={**HTML, "accept-language": "en"}).text
    for name in ("action", "rule"):
        select = re.search(rf'<select name="{name}"[^>]*required[^>]*>(.*?)</select>', page, re.S)
        assert select, name
        assert select.group(1).count("selected") == 1
        assert '<option value="" selected disabled>' in select.group(1)


def test_photos_carry_their_descriptions_and_descriptions_are_privacy_checked(
    app, momo: Momo
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import jpeg_bytes

    author = new_client(app)
    _sign_up(author)
    made = author.post(
        "/api/notes/with-images",
        data={"title": "Lunch", "body": "", "alts": ["A bowl of noodles", "Chopsticks"]},
        files=[("images", (f"{i}.jpg", jpeg_bytes(), "image/jpeg")) for i in range(2)],
    )
    assert made.status_code == 201, made.text
    publish(momo)
    note = author.get(f"/api/notes/{made.json()['id']}").json()
    assert [image["alt"] for image in note["images"]] == ["A bowl of noodles", "Chopsticks"]
    page = author.get(f"/notes/{note['id']}", headers=HTML).text
    assert 'alt="A bowl of noodles"' in page
    compose = author.get("/compose", headers=HTML)
    warned = author.post(
        "/compose",
        data={"title": "Dinner", "alts": "My number is 13812345678", "csrf": _csrf(compose.text)},
        headers={**HTML, "accept-language": "en"},
    )
    assert warned.status_code == 200 and 'data-testid="pii-warning"' in warned.text
    assert "13812345678" in warned.text  # the draft comes back, nothing was published


def test_replies_to_me_page_and_api(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    me = new_client(app)
    _sign_up(me)
    compose = me.get("/compose", headers=HTML)
    posted = me.post(
        "/compose",
        data={"title": "Hello", "csrf": _csrf(compose.text)},
        headers=HTML,
        follow_redirects=False,
    )
    note_id = posted.headers["location"].split("/notes/")[1].split("?")[0]
    publish(momo)
    (friend,) = viewers(momo, 1)
    momo.comments.add(friend, note_id, "Welcome aboard")
    publish(momo)
    api = me.get("/api/me/replies").json()
    assert [r["body"] for r in api] == ["Welcome aboard"] and api[0]["to"] == "note"
    assert not {"account", "author", "account_id"} & set(api[0])
    page = me.get("/me/replies", headers={**HTML, "accept-language": "zh-CN"}).text
    assert "回复我的" in page and "Welcome aboard" in page
    assert new_client(app).get("/api/me/replies").status_code == 401
