"""Choosing the interface language."""

from __future__ import annotations

import pytest

from momo.web.i18n import negotiate


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


def test_english_singulars() -> None:
    from momo.web.i18n import translate

    assert translate("en", "note.show_more", n=1) == "Show 1 more reply"
    assert translate("en", "note.show_more", n=3) == "Show 3 more replies"
    assert translate("zh-CN", "note.show_more", n=1) == "展开另外 1 条回复"
    assert translate("en", "transparency.appeals", n=1, overturned=0) == "1 appeal, 0 overturned"
