"""HTML pages: both languages, a sticky switch, and the flows without JavaScript."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import jpeg_bytes, new_client, publish, solved_pow

HTML = {"accept": "text/html"}


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert match, "signed-in pages carry a CSRF token"
    return match.group(1)


def _sign_up(client: TestClient) -> str:
    response = client.post("/signup", data=solved_pow(client), headers=HTML)
    assert response.status_code == 200
    key = re.search(r'data-testid="account-key">(mo-[0-9A-Z-]+)<', response.text)
    assert key, "the key is shown once"
    assert response.headers["cache-control"] == "no-store"
    return key.group(1)


def test_language_follows_accept_language_then_the_switch_sticks(client: TestClient) -> None:
    assert "发现" in client.get("/", headers={**HTML, "accept-language": "zh-CN,zh;q=0.9"}).text
    english = client.get("/", headers={**HTML, "accept-language": "en-US,en;q=0.9"}).text
    assert "Discover" in english and '<html lang="en">' in english
    client.get("/lang/zh-CN?next=/latest", follow_redirects=False)
    sticky = client.get("/", headers={**HTML, "accept-language": "en-US"}).text
    assert '<html lang="zh-CN">' in sticky and "发现" in sticky


def test_open_redirects_are_refused(client: TestClient) -> None:
    response = client.get("/lang/en?next=//evil.example", follow_redirects=False)
    assert response.headers["location"] == "/"


def test_sign_up_compose_comment_and_delete_without_javascript(app, momo) -> None:  # type: ignore[no-untyped-def]
    author = new_client(app)
    key = _sign_up(author)
    compose = author.get("/compose", headers=HTML)
    posted = author.post(
        "/compose",
        data={"title": "无 JS 也能发", "body": "正文 #测试", "csrf": _csrf(compose.text)},
        files=[("images", ("p.jpg", jpeg_bytes(), "image/jpeg"))],
        headers=HTML,
        follow_redirects=False,
    )
    assert posted.status_code == 303
    note_url, _, query = posted.headers["location"].partition("?")
    assert query == "posted=note"
    page = author.get(posted.headers["location"], headers={**HTML, "accept-language": "zh-CN"})
    assert "无 JS 也能发" in page.text and "#测试</a>" in page.text
    assert "楼主" in page.text
    assert "只有你能看到" in page.text, "the composer says when the note goes public"
    publish(momo)

    other = new_client(app)
    _sign_up(other)
    note_page = other.get(note_url, headers=HTML).text
    commented = other.post(
        f"{note_url}/comments",
        data={"body": "沙发", "csrf": _csrf(note_page)},
        headers=HTML,
        follow_redirects=False,
    )
    assert commented.status_code == 303
    assert "一起出现" in other.get(commented.headers["location"], headers=HTML).text
    publish(momo)
    assert "Momo 1" in other.get(note_url, headers=HTML).text

    forged = other.post(f"{note_url}/comments", data={"body": "x", "csrf": "0" * 64}, headers=HTML)
    assert forged.status_code == 403

    me = author.get("/me", headers=HTML).text
    assert "无 JS 也能发" in me
    author.post(f"{note_url}/delete", data={"csrf": _csrf(me)}, headers=HTML)
    assert author.get(note_url, headers=HTML).status_code == 404

    signin = new_client(app).post("/signin", data={"account_key": key}, follow_redirects=False)
    assert signin.status_code == 303 and "momo_session" in signin.headers["set-cookie"]


def test_about_page_explains_the_shared_identity_and_no_dms(client: TestClient) -> None:
    english = client.get("/about", headers={**HTML, "accept-language": "en"}).text
    assert "Different comments may be different people" in english
    assert "no private messages" in english.lower()
    chinese = client.get("/about", headers={**HTML, "accept-language": "zh-CN"}).text
    assert "不同的评论可能来自不同的人" in chinese and "私信" in chinese


def test_every_page_is_phone_ready(client: TestClient) -> None:
    html = client.get("/", headers=HTML).text
    assert 'name="viewport" content="width=device-width' in html
    css = client.get("/static/momo.css").text
    assert "@media (max-width: 720px)" in css


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/compose", headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/signin"
    assert client.get("/api/me/notes").status_code == 401
