"""The research export as one flat table: NDJSON and CSV with the same rows, a
Frictionless Data Package describing them, the whole reply tree, a language per
row, public-granularity times, and masked personal data."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from momo.content.export import write_research
from momo.content.text import language
from momo.core import Momo
from tests.conftest import publish, viewers


def test_one_flat_table_with_the_whole_tree(momo: Momo, tmp_path: Path) -> None:
    author, first, second = viewers(momo, 3)
    note = momo.notes.create(author, "周末爬山", "山顶风很大，电话 13812345678 #旅行")
    publish(momo)
    top = momo.comments.add(first, note, "Which trail is this?")
    publish(momo)
    answer = momo.comments.add(author, note, "北坡那条", reply_to=top.id)
    publish(momo)
    follow_up = momo.comments.add(second, note, "Thanks, 我也想去", reply_to=answer.id)
    publish(momo)
    write_research(momo.db, momo.notes, momo.time, tmp_path)

    with (tmp_path / "items.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    ndjson = [json.loads(line) for line in (tmp_path / "items.ndjson").open(encoding="utf-8")]
    assert {row["id"] for row in ndjson} == set(rows) == {note, top.id, answer.id, follow_up.id}

    assert rows[note]["kind"] == "note" and rows[note]["parent_id"] == ""
    assert rows[top.id]["parent_id"] == note
    assert rows[answer.id]["parent_id"] == top.id
    assert rows[follow_up.id]["parent_id"] == answer.id, "a reply to a reply keeps its place"
    assert {row["thread_id"] for row in rows.values()} == {note}
    assert rows[answer.id]["voice"] == "OP" and rows[top.id]["voice"] == "Momo 1"
    assert [rows[i]["lang"] for i in (note, top.id, answer.id, follow_up.id)] == [
        "zh",
        "en",
        "zh",
        "mixed",
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\dZ", r["timestamp"]) for r in rows.values())
    assert "13812345678" not in rows[note]["body"] and "[PHONE]" in rows[note]["body"]
    assert rows[note]["topics"] == "旅行"

    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = package["resources"]
    fields = [field["name"] for field in resource["schema"]["fields"]]
    with (tmp_path / "items.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == fields
    assert resource["path"] == "items.csv" and resource["schema"]["primaryKey"] == ["id"]
    assert all(field.get("description") for field in resource["schema"]["fields"])
    assert not {"account", "author", "account_id", "sealed_author"} & set(fields)


def test_language_of_a_row() -> None:
    assert language("今天天气很好") == "zh"
    assert language("What a lovely day") == "en"
    assert language("周末 hiking 去了 Yellow Mountain") == "mixed"
    assert language("12345 !!!") == "und"
