"""Person names, postcodes and street addresses in both languages, measured on a
labelled set written for this purpose (tests/privacy/data/names_places_labelled.jsonl):
its positives and its look-alikes. The research export masks what this finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from momo.content.export import mask
from momo.privacy.pii import scan

DATA = Path(__file__).parent / "data" / "names_places_labelled.jsonl"
KINDS = {"person_name", "postcode", "address"}


def _load() -> list[dict[str, object]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]


def test_recall_and_precision_on_the_labelled_set() -> None:
    hits = misses = false_alarms = 0
    for row in _load():
        truth = {(s["start"], s["end"], s["kind"]) for s in row["spans"]}  # type: ignore[index, union-attr]
        found = {(f.start, f.end, f.kind) for f in scan(str(row["text"])) if f.kind in KINDS}
        hits += len(truth & found)
        misses += len(truth - found)
        false_alarms += len(found - truth)
    recall = hits / (hits + misses)
    precision = hits / (hits + false_alarms)
    print(f"names and places: recall {recall:.2f}, precision {precision:.2f}")
    assert recall >= 0.9 and precision >= 0.9


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("Ask John Smith at 1600 Pennsylvania Avenue NW, Washington, DC 20500", "Ask", "Smith"),
        ("221B Baker Street, London NW1 6XE", "London", "NW1 6XE"),
        ("我叫张伟，邮编 100080", "我叫", "张伟"),
    ],
)
def test_the_research_export_masks_them(text: str, kept: str, gone: str) -> None:
    masked = mask(text)
    assert kept in masked and gone not in masked
    assert "[PERSON_NAME]" in masked or "[ADDRESS]" in masked or "[POSTCODE]" in masked
