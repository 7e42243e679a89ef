"""The xhs-capture importer reads Zeeschuimer's RedNote NDJSON and measures the real
momo regime. The fixture is invented (tests/audit/data/make_xhs_capture.py documents
who is in it), so every expected figure below is worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from momo.audit.corpus import CorpusError
from momo.audit.xhs import avatar_key, is_momo_variant, measure, read_capture
from momo.cli import app

FIXTURE = Path(__file__).parent / "data" / "xhs-capture-synthetic.ndjson"


def test_the_capture_is_read_in_every_shape_zeeschuimer_saves() -> None:
    capture = read_capture(FIXTURE)
    kinds = [item.kind for item in capture.items]
    # 7 persona notes (one from a post page's embedded state), 12 ordinary notes, one
    # HTML card; comments: two persona, one thread with a nested reply.
    assert kinds.count("note") == 20 and kinds.count("comment") == 4
    assert capture.skipped == {"not JSON": 1, "neither a note nor a comment": 1}
    embedded = next(i for i in capture.items if i.item_id.endswith("p2"))
    assert embedded.ip_location == "广东" and embedded.user_id and embedded.posted_ms
    nested = next(i for i in capture.items if i.item_id == "c-o4-r")
    assert nested.kind == "comment" and nested.text == "我也是"


def test_the_momo_regime_is_measured() -> None:
    regime = measure(read_capture(FIXTURE))
    assert (regime.items, regime.accounts) == (24, 21)  # the HTML card has no user id
    assert regime.momo_nickname_share == pytest.approx(10 / 21)
    assert regime.shared_avatar_share == pytest.approx(8 / 21)
    assert regime.momo_persona_accounts == 8
    # Nine persona items: every one still has its own user id; none its own avatar
    # (one image behind four size suffixes); the IP label alone singles out 北京 and
    # 西藏, the hour alone 13:00 and 03:00, and both together four of them.
    assert regime.unique_by == pytest.approx(
        {
            "user id": 1.0,
            "avatar address": 0.0,
            "IP-location label": 2 / 9,
            "posting hour": 2 / 9,
            "IP-location label and posting hour": 4 / 9,
        }
    )


@pytest.mark.parametrize(
    ("nickname", "variant"),
    [
        ("momo", True),
        ("MOMO", True),
        ("ｍｏｍｏ", True),  # full-width
        ("momo🌸", True),
        ("小momo", True),
        ("momo_2024", True),
        ("momo酱", True),
        ("Momoko", False),
        ("tomomo", False),
        ("小林", False),
        ("我是一只快乐的momo", False),
        (None, False),
    ],
)
def test_what_counts_as_a_momo_nickname(nickname: str | None, variant: bool) -> None:
    assert is_momo_variant(nickname) is variant


def test_an_avatar_is_the_image_not_its_size() -> None:
    base = "https://sns-avatar-qc.xhscdn.com/avatar/abc.jpg"
    assert avatar_key(base + "?imageView2/2/w/80/format/jpg") == avatar_key(base + "!avatar_80")
    assert avatar_key(base) != avatar_key(base.replace("abc", "abd"))


def test_the_command_prints_and_writes_the_figures(tmp_path: Path) -> None:
    out = tmp_path / "regime.json"
    result = CliRunner().invoke(app, ["audit", "xhs-capture", str(FIXTURE), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "8 accounts do both" in result.output and "skipped lines" in result.output
    written = json.loads(out.read_text())
    assert written["label"].startswith("measured")
    assert written["momo_persona_accounts"] == 8
    assert "5f00000000000000000000p1" not in out.read_text(), "ids are counted, never written"


def test_bad_captures_get_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="cannot read"):
        read_capture(tmp_path / "missing.ndjson")
    junk = tmp_path / "junk.ndjson"
    junk.write_text('{"a": 1}\nnot json\n')
    with pytest.raises(CorpusError, match="no Xiaohongshu notes or comments"):
        read_capture(junk)
    result = CliRunner().invoke(app, ["audit", "xhs-capture", str(junk)])
    assert result.exit_code == 2 and "no Xiaohongshu" in result.output
