"""Choosing the interface language."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import ClassVar

import pytest

from momo.core import Momo
from momo.web.i18n import negotiate
from tests.conftest import jpeg_bytes, new_client, publish
from tests.pages import public_pages, signed_in_pages


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en;q=0.1, zh-CN;q=0.9", "zh-CN"),  # the first release picked English here
        ("zh-CN;q=0.2, en-GB;q=0.8", "en"),
        ("fr, en;q=0.5, zh;q=0.4", "en"),
        ("zh-TW", "zh-CN"),
        ("en-US,en;q=0.9", "en"),
        ("en;q=0, zh;q=0", "en"),  # refused both: the instance default (en here)
        ("de", "en"),
        ("en;q=abc, zh;q=0.3", "zh-CN"),
        ("", "en"),
    ],
)
def test_accept_language_quality_values_decide(header: str, expected: str) -> None:
    assert negotiate(None, header, "en") == expected


def test_the_cookie_wins_over_the_browser() -> None:
    assert negotiate("en", "zh-CN", "zh-CN") == "en"
    assert negotiate("xx", "en", "zh-CN") == "en"


# -- the whole Chinese interface, page by page --------------------------------
# ASCII words the Chinese interface may show: names, formats and commands that are
# the same in both languages. Anything else in Latin letters is English left over.
ALLOWED_LATIN = {
    "momo",
    "api",
    "javascript",
    "client",
    "signup",
    "utc",
    "jpeg",
    "png",
    "gif",
    "webp",
    "qq",
    "id",
    "ip",
    "json",
    "csv",
    "pow",
    "get",
    "post",
    "me",
    "notices",
    "sanctions",
    "https",
    "http",
    "example",
    "org",
    "mo",
    "xxxx",
    "wcag",
    "css",
    "html",
    "url",
    "pgp",
    "wal",
    "sqlite",
    "postgresql",
    "redis",
    "hmac",
    "sha",
    "github",
    "tor",
    "vpn",
    "exif",
    "gps",
    "emoji",
    "ok",
    "mb",
    "kb",
    "min",
    "hk",
    "tw",
    "cn",
    "intl",
    "sms",
    "inv",  # the start of an invite code, shown as an example
    "english",  # the language switch names the other language in itself
    "server",  # in the command line `momo client signup --server …`
}


class _VisibleText(HTMLParser):
    """Text a person reads: text nodes outside scripts and styles, and the attributes
    a browser shows or speaks (placeholder, title, alt, aria-label, value of buttons,
    and the data-* words the scripts put on screen)."""

    SHOWN: ClassVar[set[str]] = {"placeholder", "title", "alt", "aria-label"}

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "meta" and dict(attrs).get("name", "") in ("description", "og:description"):
            self.pieces.append(dict(attrs).get("content") or "")
        for name, value in attrs:
            if not value:
                continue
            spoken = name in self.SHOWN or (name.startswith("data-") and " " in value)
            if spoken and not value.startswith(("/", "http", "#")):
                self.pieces.append(value)
            if tag == "input" and name == "value" and ("type", "submit") in attrs:
                self.pieces.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.pieces.append(data)


def _english_left_over(html: str, allowed: set[str]) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    found = []
    for piece in parser.pieces:
        # Placeholders the scripts fill in, and addresses, are not words.
        piece = re.sub(r"\{\w+\}|https?://\S+", "", piece)
        for word in re.findall(r"[A-Za-z]{3,}", piece):
            if word.lower() not in allowed:
                found.append(f"{word!r} in {piece.strip()[:80]!r}")
    return found


def test_no_english_is_left_in_the_chinese_interface(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    """Every page, signed out, signed in and as a moderator, with content on it that
    reaches every template branch: a note with a photo, comments, a context note, a
    report, a sanction with an appeal, and a reply."""
    member_key = momo.accounts.create(probation=False).account_key
    member = new_client(app)
    member.post("/api/session", json={"account_key": member_key})
    note = member.post(
        "/api/notes/with-images",
        data={"title": "周末去爬山", "body": "山顶的风很大 #旅行"},
        files=[("images", ("a.jpg", jpeg_bytes((60, 80), "orange"), "image/jpeg"))],
    ).json()["id"]
    other_key = momo.accounts.create(probation=False).account_key
    other = new_client(app)
    other.post("/api/session", json={"account_key": other_key})
    publish(momo)
    comment = other.post(f"/api/notes/{note}/comments", json={"body": "好美！"}).json()["id"]
    other.post(
        f"/api/notes/{note}/context-notes",
        json={
            "body": "这张照片拍于2019年。",
            "sources": ["https://example.org"],
            "reason": "outdated",
        },
    )
    publish(momo)
    member.post(f"/api/notes/{note}/comments", json={"body": "谢谢", "reply_to": comment})
    other.post("/api/reports", json={"target_type": "note", "target_id": note, "reason": "spam"})
    moderator_key = momo.accounts.create(probation=False).account_key
    momo.accounts.set_role(moderator_key, "moderator")
    moderator = new_client(app)
    moderator.post("/api/session", json={"account_key": moderator_key})
    second = member.post("/api/notes", json={"title": "第二篇", "body": "你好"}).json()["id"]
    publish(momo)
    other.post("/api/reports", json={"target_type": "note", "target_id": second, "reason": "spam"})
    action = moderator.post(
        "/api/mod/actions",
        json={"target_type": "note", "target_id": second, "action": "sanction", "rule": "spam"},
    )
    assert action.status_code in (200, 201), action.text
    sanctions = member.get("/api/me/sanctions").json()
    appealed = member.post(
        "/api/appeals", json={"action_id": sanctions[0]["action_id"], "text": "我没有发广告"}
    )
    assert appealed.status_code == 201, appealed.text
    publish(momo)

    chinese = {"accept": "text/html"}
    member_pages = [p for p in signed_in_pages(note) if p != "/mod"]
    pages = {
        "anonymous": (new_client(app), [*public_pages(note), "/notes/AAAAAAAAAAAA"]),
        "member": (member, [*member_pages, f"/notes/{note}?posted=note", "/search?q=我想死"]),
        "moderator": (moderator, ["/mod", "/modlog"]),
    }
    # The crisis lines are the operator's data: organisations' own names and sites.
    allowed = ALLOWED_LATIN | {
        word.lower()
        for line in momo.crisis.lines
        for word in re.findall(r"[A-Za-z]+", f"{line.label('zh-CN')} {line.url}")
    }
    leftovers: list[str] = []
    seen: dict[str, str] = {}
    for who, (client, paths) in pages.items():
        client.cookies.set("momo_lang", "zh-CN")
        for path in paths:
            response = client.get(path, headers=chinese)
            assert "<html" in response.text, (who, path, response.status_code)
            seen[path] = response.text
            leftovers += [f"{who} {path}: {w}" for w in _english_left_over(response.text, allowed)]
    assert not leftovers, "\n".join(leftovers[:40])
    # The branches were reached: a sanction with its appeal, the queue, the log.
    assert 'data-testid="sanction"' in seen["/me/notices"] and "申诉：" in seen["/me/notices"]
    assert "垃圾广告" in seen["/mod"] and "垃圾广告" in seen["/modlog"]
    assert "楼主" in seen[f"/notes/{note}"] and "UTC" in seen["/modlog"]
    # The same pages in English do contain English: the check can see it.
    english = pages["anonymous"][0].get("/about", headers={"cookie": "momo_lang=en"})
    assert len(_english_left_over(english.text, ALLOWED_LATIN)) > 20
