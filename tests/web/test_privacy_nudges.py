"""Composer warnings: the API, and the confirmation step that works without JavaScript."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import jpeg_bytes, new_client, publish, solved_pow

HTML = {"accept": "text/html"}


def _signed_in(app) -> tuple[TestClient, str]:  # type: ignore[no-untyped-def]
    client = new_client(app)
    client.post("/signup", data=solved_pow(client), headers=HTML)
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/compose", headers=HTML).text)
    assert csrf
    return client, csrf.group(1)


def test_scan_api_in_both_languages(client: TestClient) -> None:
    body = {"text": "我的手机13812345678"}
    zh = client.post("/api/privacy/scan", json=body, headers={"accept-language": "zh-CN"}).json()
    (finding,) = zh["findings"]
    assert finding["kind"] == "phone" and finding["start"] == 4 and finding["end"] == 15
    assert "电话" in finding["explanation"]
    en = client.post("/api/privacy/scan", json=body, headers={"accept-language": "en"}).json()
    assert "phone number" in en["findings"][0]["explanation"].lower()
    assert client.post("/api/privacy/scan", json={"text": "x" * 20_001}).status_code == 422
    assert client.post("/api/privacy/scan", json={"text": ""}).json() == {
        "findings": [],
        "care": False,
    }


def test_note_with_pii_needs_confirmation(app) -> None:  # type: ignore[no-untyped-def]
    client, csrf = _signed_in(app)
    draft = {"title": "出租单间", "body": "有意向打我电话 13812345678", "csrf": csrf}
    warned = client.post(
        "/compose",
        data=draft,
        headers={**HTML, "accept-language": "zh-CN"},
        files=[("images", ("a.jpg", jpeg_bytes(), "image/jpeg"))],
    )
    assert warned.status_code == 200
    assert 'data-testid="pii-warning"' in warned.text
    assert '<mark class="pii" data-kind="phone">13812345678</mark>' in warned.text
    assert "电话号码" in warned.text and "重新选择" in warned.text
    assert client.get("/api/me/notes").json() == [], "nothing is published before confirmation"

    edited = client.post(
        "/compose", data={**draft, "body": "有意向私信"}, headers=HTML, follow_redirects=False
    )
    assert edited.status_code == 303
    confirmed = client.post(
        "/compose", data={**draft, "confirm_pii": "1"}, headers=HTML, follow_redirects=False
    )
    assert confirmed.status_code == 303
    assert len(client.get("/api/me/notes").json()) == 2


def test_comment_with_pii_needs_confirmation(app, momo) -> None:  # type: ignore[no-untyped-def]
    client, csrf = _signed_in(app)
    note_id = client.post("/api/notes", json={"title": "求推荐", "body": ""}).json()["id"]
    publish(momo)
    form = {"body": "加我vx: lily_2023", "csrf": csrf}
    warned = client.post(
        f"/notes/{note_id}/comments", data=form, headers={**HTML, "accept-language": "en"}
    )
    assert warned.status_code == 200 and "WeChat ID" in warned.text
    assert client.get(f"/api/notes/{note_id}").json()["comments"] == []
    done = client.post(
        f"/notes/{note_id}/comments",
        data={**form, "confirm_pii": "1"},
        headers=HTML,
        follow_redirects=False,
    )
    assert done.status_code == 303
    publish(momo)
    assert client.get(f"/api/notes/{note_id}").json()["comments"][0]["body"] == "加我vx: lily_2023"


def test_the_style_check_works_without_javascript(app, momo) -> None:  # type: ignore[no-untyped-def]
    """It answered 500 and lost the draft ('t' is undefined in the template)."""
    client, csrf = _signed_in(app)
    draft = {"title": "周末去爬山", "body": "带上番茄和面包，山顶看日落。", "csrf": csrf}
    response = client.post("/compose/style", data=draft, headers={**HTML, "accept-language": "en"})
    assert response.status_code == 200
    assert "周末去爬山" in response.text and "番茄" in response.text, "the draft is kept"
    assert 'data-testid="style-result"' in response.text
    assert '<section class="style-result">' in response.text


def test_the_style_check_speaks_the_readers_language(app, momo) -> None:  # type: ignore[no-untyped-def]
    """The answer, its level and every marker's explanation are in Chinese for a Chinese
    reader (they were English: "not enough history", "You use the tilde …")."""
    crowd = [momo.accounts.create(probation=False).account_key for _ in range(3)]
    for number, key in enumerate(crowd * 4):
        viewer = momo.accounts.resolve(momo.accounts.sign_in(key))
        momo.notes.create(viewer, f"日常 {number}", f"今天去了公园，天气不错。第{number}次。")
    client, csrf = _signed_in(app)
    for text in ("今天好开心～～", "吃了火锅～～真香", "明天见～～"):
        assert client.post("/api/notes", json={"title": text, "body": text}).status_code == 201
    publish(momo)
    draft = {"title": "周末爬山～～", "body": "风好大～～", "csrf": csrf}
    chinese = client.post("/compose/style", data=draft, headers={**HTML, "accept-language": "zh"})
    block = chinese.text[chinese.text.index('class="style-result"') :]
    block = block[: block.index("</section>")]
    assert "你的文风" in block and "波浪号" in block, block
    assert "You use" not in block and "high" not in block and "not enough" not in block
    english = client.post("/compose/style", data=draft, headers={**HTML, "accept-language": "en"})
    assert "You use the tilde" in english.text
