"""The style check's chance is measured, not asserted: the shipped Platt fit is
checked on authors it was never fitted on (the held-out half of two real corpora,
copied into tests/audit/data; see ATTRIBUTION.md)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from momo.audit import calibration
from momo.audit.exposure import exposure, in_words

DATA = Path(__file__).parent / "data"


def _authors(name: str) -> dict[str, list[str]]:
    by_author: dict[str, list[str]] = defaultdict(list)
    for line in (DATA / f"{name}-held-out.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_author[record["author"]].append(record["text"])
    return dict(by_author)


@pytest.fixture(scope="module")
def held_out() -> list[calibration.Trial]:
    trials = []
    for name in ("mail-ham-a", "tang-shi"):
        authors = _authors(name)
        assert calibration.half(authors, 1) == authors, "only authors the fit never saw"
        trials += calibration.trials(name, authors, 120, seed=7)
    return trials


def test_the_shipped_chance_is_calibrated_on_unseen_authors(held_out) -> None:  # type: ignore[no-untyped-def]
    figures = calibration.evaluate(calibration.shipped(), held_out)
    assert figures["ece"] < 0.1, figures
    assert figures["auc"] > 0.8, figures
    chance = 1 / calibration.shipped().candidates
    assert figures["low_share"] > 0.1, "'low' is a verdict drafts really get"
    assert figures["low_recognised"] <= 3 * chance, f"'low' must mean at most 3x chance: {figures}"


def test_a_refit_on_one_half_holds_on_the_other(held_out) -> None:  # type: ignore[no-untyped-def]
    """The method, not only the shipped numbers: fit on half the held-out drafts,
    measure on the rest."""
    fitted = calibration.fit(held_out[::2], fitted_on="test")
    assert calibration.evaluate(fitted, held_out[1::2])["ece"] < 0.12


def test_the_calibration_error_sees_overconfidence() -> None:
    rng = np.random.default_rng(0)
    stated = rng.uniform(0, 1, 5000)
    honest = rng.uniform(0, 1, 5000) < stated
    assert calibration.expected_calibration_error(stated, honest) < 0.03
    boastful = np.clip(stated + 0.3, 0, 1)
    assert calibration.expected_calibration_error(boastful, honest) > 0.2


def test_the_chance_is_said_in_words_in_both_languages() -> None:
    assert in_words(0.34, 10, "en").startswith("About 1 in 3 chance")
    assert "1/3" in in_words(0.34, 10, "zh-CN") and "10 个人" in in_words(0.34, 10, "zh-CN")
    assert in_words(0.02, 10, "en").startswith("Less than 1 in 20")
    assert in_words(0.71, 10, "en").startswith("About 7 in 10")
    assert in_words(0.97, 10, "en").startswith("More than 9 in 10")
    assert "9 成以上" in in_words(0.97, 10, "zh-CN")
    assert calibration.level(0.1) == "low" and calibration.level(0.3) == "medium"
    assert calibration.level(0.8) == "high"


def test_everyday_words_are_not_flagged_and_do_not_read_as_high() -> None:
    """The first release rated 周末 and 番茄 'high (100%)'."""
    rng = np.random.default_rng(1)
    words = ["周末", "番茄", "今天", "天气", "朋友", "公园", "面包", "晚饭", "电影", "散步"]

    def post() -> str:
        return "，".join(rng.choice(words, size=4)) + "。"

    own = [post() for _ in range(8)]
    community = [post() for _ in range(120)]
    result = exposure("周末买了番茄，晚饭做番茄炒蛋。", own, community, "zh-CN")
    assert result.level != "high" and result.chance is not None and result.chance < 0.5
    assert not [m for m in result.markers if m.kind == "phrase"], result.markers


def test_a_habit_others_lack_is_named_with_what_to_change() -> None:
    own = [f"今天去了{place}～～" for place in ("公园", "书店", "海边", "山上")]
    community = [f"普通的一天，第{i}次记录生活。" for i in range(60)]
    result = exposure("周末去爬山～～", own, community, "zh-CN")
    endings = [m for m in result.markers if m.kind == "ending"]
    assert endings and endings[0].text == "～～"
    assert "100%" in endings[0].explanation and "0%" in endings[0].explanation
    english = exposure("周末去爬山～～", own, community, "en")
    assert any("You often end with ～～" in m.explanation for m in english.markers)
