"""The crisis check: first-person crisis phrases in Chinese and English show the
card; everyday hyperbole and look-alikes do not. Nothing is stored either way."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momo.errors import InvalidInput
from momo.wellbeing.crisis import DEFAULT_LINES, CrisisCheck
from momo.wellbeing.regions import CrisisRegion

CRISIS = [
    # Simplified and Traditional Chinese, casual and plain.
    "我真的不想活了",
    "最近总是想自杀",
    "最近總是想自殺",
    "好想死啊，什么都做不好",
    "我想死了",
    "活着没意思",
    "活著沒有意義",
    "今晚想一了百了",
    "想结束自己的生命",
    "我已经撑不下去了",
    "又开始自残了",
    "手腕上又割了几刀，割腕的时候很平静",
    "攒了一瓶安眠药",
    "不想再醒来了",
    # English, including typing variations.
    "I want to die",
    "i wanna die tbh",
    "I've been having suicidal thoughts again",
    "Thinking about suicide every night",
    "I want to kill myself",
    "KILL MYSELF",
    "I keep cutting myself and I can't stop",
    "I just can’t go on anymore",
    "everyone would be better off without me",
    "I don't want to live anymore",
    "there's no reason to live",
    "I wish I was never born",
    "planning to end my life this weekend",
    "self-harm again last night",
    "nobody would miss me",
    "我想结束这一切",
    "好想离开这个世界",
    "不如一死了之",
    "我怕自己想不开",
    "不想再这样活下去了",
    "活著還有什麼意思",
    "我真的撑不住了",
    "没有我大家会更好",
    "I just want to end it all tonight",
    "I don't want to be here anymore",
    "im done with life",
    "life isn't worth it anymore",
    "thinking about taking all my pills",
    "I want to hang myself",
    "unalive myself",
]

EVERYDAY = [
    "笑死我了哈哈哈",
    "今天累死了",
    "热死了，空调坏了",
    "气死我了！",
    "好久不见，想死你了！",
    "想死我了，终于放假",
    "跳楼价清仓，全场五折",
    "带孩子去玩了跳楼机",
    "新闻：自杀式袭击造成伤亡",
    "参加了一个自杀预防志愿者培训",
    "这球直接杀死比赛",
    "好死不死正好下雨",
    "You're killing it!",
    "this cake is to die for",
    "I'm dying to see the new movie",
    "Suicide Squad was more fun than I expected",
    "I almost killed myself laughing",
    "I cut myself a slice of cake",
    "cut myself shaving this morning",
    "I hurt myself at the gym",
    "die hard fan of this band",
    "the deadline is killing me",
    "drop dead gorgeous dress",
    "I'm going to die of embarrassment",
    "we ran 10 kms today",
    "I'm tired of living in this city",
    "I want to disappear for a week on vacation",
    "let's end it here and grab dinner",
    "done with this homework finally",
    "我们结束这一阶段的工作",
    "离开这个城市去旅行",
    "这道题想不出来",
    "撑起一把伞",
    "life is worth living",
]


DATA = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


CRISIS_MORE = _lines("crisis_more.txt")
EVERYDAY_MORE = _lines("everyday_more.txt")


@pytest.fixture(scope="module")
def check() -> CrisisCheck:
    return CrisisCheck()


@pytest.mark.parametrize("text", CRISIS + CRISIS_MORE)
def test_crisis_phrases_show_the_card(check: CrisisCheck, text: str) -> None:
    assert check.needs_care(text)


@pytest.mark.parametrize("text", EVERYDAY + EVERYDAY_MORE)
def test_look_alikes_do_not(check: CrisisCheck, text: str) -> None:
    assert not check.needs_care(text)


@given(
    before=st.sampled_from(["", "今天下雨。", "Long day. ", "说真的，", "honestly "]),
    phrase=st.sampled_from(CRISIS),
    after=st.sampled_from(["", "。", "...", " 😞", "，不知道怎么办"]),
)
def test_the_card_shows_wherever_the_phrase_sits(before: str, phrase: str, after: str) -> None:
    assert CrisisCheck().needs_care(before + phrase + after)


@pytest.mark.parametrize(
    "spelling",
    [
        "I wanna die",
        "I want to die",
        "she says part of me wants to die",
        "i dont want to live",
        "I do not want to live",
        "I cannot go on",
        "im done with life",
        "I am done with life",
    ],
)
def test_one_pattern_covers_every_spelling(check: CrisisCheck, spelling: str) -> None:
    assert check.needs_care(spelling)


def test_a_look_alike_does_not_hide_a_real_phrase_beside_it(check: CrisisCheck) -> None:
    assert check.needs_care("笑死我了，其实我不想活了")
    assert check.needs_care("Suicide Squad was fun. But I want to die lately.")


@pytest.mark.parametrize("region", list(CrisisRegion))
def test_every_region_has_lines_in_both_languages(region: CrisisRegion) -> None:
    lines = CrisisCheck(region).lines
    assert lines
    assert all(line.label("zh-CN") and line.label("en") for line in lines)
    assert any(line.phone or line.url for line in lines)


def test_regions_list_their_own_lines() -> None:
    phones = {region: {line.phone for line in CrisisCheck(region).lines} for region in CrisisRegion}
    assert "1925" in phones[CrisisRegion.taiwan]
    assert "2389 2222" in phones[CrisisRegion.hong_kong]
    assert "12356" in phones[CrisisRegion.mainland_china]
    assert "1925" not in phones[CrisisRegion.mainland_china]


def test_an_operator_can_list_their_own_lines(tmp_path: Path) -> None:
    own = tmp_path / "lines.toml"
    own.write_text(
        '[[custom]]\nname = { zh-CN = "校心理中心", en = "Campus counselling" }\nphone = "123"\n'
    )
    (line,) = CrisisCheck(lines_file=own).lines
    assert line.label("zh-CN") == "校心理中心" and line.phone == "123"


def test_an_operator_can_replace_the_phrase_list(tmp_path: Path) -> None:
    own = tmp_path / "phrases.toml"
    own.write_text('[xx]\nmatch = ["\\\\bzzfeelingdownzz\\\\b"]\n')
    check = CrisisCheck(phrases_file=own)
    assert check.needs_care("zzfeelingdownzz") and not check.needs_care("我不想活了")


@pytest.mark.parametrize(
    "content", ["not toml [", '[zh]\nmatch = ["(unclosed"]\n', "[zh]\nunless = []\n"]
)
def test_a_broken_phrase_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "phrases.toml"
    bad.write_text(content)
    with pytest.raises(InvalidInput, match="crisis phrase list"):
        CrisisCheck(phrases_file=bad)


def test_a_lines_file_without_the_region_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no usable 'custom'"):
        CrisisCheck(lines_file=DEFAULT_LINES)
