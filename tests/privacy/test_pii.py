"""The PII scanner: exact kinds and spans, no alarms on look-alikes, quality
targets on fresh labelled sets, and bounded time on hostile input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from momo.privacy.pii import MAX_CHARS, TextTooLong, scan, valid_cn_id
from tests.privacy.pii_dataset import build
from tests.privacy.pii_scoring import score

STRUCTURED = ("phone", "cn_id", "email", "bank_card", "plate", "ip_address", "qq", "wechat")
LABELLED = Path(__file__).parent / "data" / "pii_labelled.jsonl"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的手机13812345678", [("phone", "13812345678")]),
        ("电话 138 1234 5678", [("phone", "138 1234 5678")]),
        ("打138-1234-5678", [("phone", "138-1234-5678")]),
        ("+86 13812345678 找我", [("phone", "+86 13812345678")]),
        ("座机 010-62751234", [("phone", "010-62751234")]),
        ("call (415) 555-2671 now", [("phone", "(415) 555-2671")]),
        ("UK office +44 20 7946 0958", [("phone", "+44 20 7946 0958")]),
        ("身份证11010519491231002X", [("cn_id", "11010519491231002X")]),
        ("邮箱bob@example.com谢谢", [("email", "bob@example.com")]),
        ("卡号 6222 0212 3456 7890 128", [("bank_card", "6222 0212 3456 7890 128")]),
        ("Visa 4111111111111111", [("bank_card", "4111111111111111")]),
        ("加我QQ：123456789", [("qq", "123456789")]),
        ("企鹅 98765432 扣扣也行", [("qq", "98765432")]),
        ("vx: lily_2023", [("wechat", "lily_2023")]),
        ("v信 abc12345 备注小红书", [("wechat", "abc12345")]),
        ("薇信zhang_san88", [("wechat", "zhang_san88")]),
        ("车牌京A·12345", [("plate", "京A·12345")]),
        ("新能源粤BD12345", [("plate", "粤BD12345")]),
        ("沪A-D12345", [("plate", "沪A-D12345")]),
        ("住在北京市朝阳区建国路88号3栋1203室", [("address", "北京市朝阳区建国路88号3栋1203室")]),
        (
            "office at 1600 Amphitheatre Parkway, Mountain View, CA 94043",
            [("address", "1600 Amphitheatre Parkway, Mountain View, CA 94043")],
        ),
        (
            "服务器 192.168.1.10 和 2001:db8::1",
            [("ip_address", "192.168.1.10"), ("ip_address", "2001:db8::1")],
        ),
        ("我在清华大学读研", [("affiliation", "清华大学")]),
        ("电话/微信：18600001111", [("phone", "18600001111")]),
        ("Q：12345678", [("qq", "12345678")]),
        ("邮箱 bob＠qq.com", [("email", "bob＠qq.com")]),
        ("成都市武侯区人民南路四段1号", [("address", "成都市武侯区人民南路四段1号")]),
        ("河北省某某镇王家村3组15号", [("address", "河北省某某镇王家村3组15号")]),
        ("I work at Acme Corp", [("affiliation", "Acme Corp")]),
    ],
)
def test_each_kind(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "订单号：6222021234567890128，还没发货",
        "快递单号 SF1234567890123 显示已签收",
        "Tracking number 9400111899223856928481",
        "order #13812345678 is late",
        "价格¥13800，折后9999元",
        "2024-01-15 10:30:00 打卡",
        "更新到 v10.2.3.4 之后闪退",
        "iOS 17.2.1 真的耗电",
        "比分 98:95，时间 12:30:45",
        "1203室的邻居 Room 305",
        "腾讯会议号：138 1234 5678，九点开始",
        "Zoom meeting ID: 812 3456 7890",
        "timestamp 1700000000 and 1700000000123",
        "ISBN 978-7-111-12345-6",
        "WeChat is great, 我在用微信聊天",
        "QQ音乐真好听",
        "坐地铁10号线到人民路站，北京城3号线也行",
        "",
    ],
)
def test_look_alikes_do_not_fire(text: str) -> None:
    assert scan(text) == []


def test_checksums_are_checked() -> None:
    assert valid_cn_id("11010519491231002X")
    assert not valid_cn_id("110105194912310021")  # wrong check digit
    assert not valid_cn_id("110105199913310028")  # month 13
    assert scan("卡号 4111111111111112") == []  # fails Luhn


def test_offsets_are_code_points() -> None:
    text = "😀邮箱bob@example.com"
    (finding,) = scan(text)
    assert text[finding.start : finding.end] == "bob@example.com"


@pytest.mark.parametrize("seed", [101, 202])
def test_quality_targets_on_fresh_labelled_sets(seed: int) -> None:
    rows = build(seed, per_kind=80, negatives=400)
    predict = lambda t: [(f.start, f.end, f.kind) for f in scan(t)]  # noqa: E731
    result = score(rows, predict, overlap=True)
    for kind in STRUCTURED:
        assert result[kind]["recall"] >= 0.98, (kind, result[kind])
        assert result[kind]["precision"] >= 0.97, (kind, result[kind])
    assert result["address"]["recall"] >= 0.90, result["address"]


def test_committed_labelled_set_meets_targets_exact_spans() -> None:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 1500 and sum(not r["spans"] for r in rows) >= 500
    predict = lambda t: [(f.start, f.end, f.kind) for f in scan(t)]  # noqa: E731
    result = score(rows, predict, overlap=False)
    for kind in STRUCTURED:
        assert result[kind]["recall"] >= 0.98 and result[kind]["precision"] >= 0.97, kind


def test_too_long_text_is_refused() -> None:
    with pytest.raises(TextTooLong):
        scan("a" * (MAX_CHARS + 1))


@pytest.mark.parametrize(
    "hostile",
    [
        "1" * 200_000,
        "1-" * 100_000,
        "1 " * 100_000,
        "a@" * 100_000,
        "1." * 100_000,
        "a:" * 100_000,
        "路1号" * 60_000,
        "北京市朝阳区" * 30_000,
        "vx: " * 50_000,
        "京A" * 100_000,
        "12 Main " * 25_000,
    ],
)
def test_hostile_inputs_take_bounded_time(hostile: str) -> None:
    started = time.perf_counter()
    scan(hostile)
    # Linear patterns finish these in well under a second; catastrophic
    # backtracking would take minutes.
    assert time.perf_counter() - started < 5


def _with_check_digit(stem: str) -> str:
    from momo.privacy.pii import _luhn

    return next(stem + str(d) for d in range(10) if _luhn(stem + str(d)))


@pytest.mark.parametrize("length", range(12, 20))
def test_card_numbers_of_every_valid_length(length: int) -> None:
    # Maestro (12-19 digits) and UnionPay (16-19) issuer ranges.
    stem = ("6759" if length < 16 else "6212") + "3" * (length - 5)
    number = _with_check_digit(stem)
    assert len(number) == length
    assert [f.kind for f in scan(f"card {number}, thanks")] == ["bank_card"]
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert "bank_card" not in [f.kind for f in scan(f"card {wrong}, thanks")]


def test_twelve_digits_outside_maestro_ranges_are_not_cards() -> None:
    order = _with_check_digit("62732074424")  # a UnionPay-looking invoice number
    assert "bank_card" not in [f.kind for f in scan(f"订单 {order}")]
