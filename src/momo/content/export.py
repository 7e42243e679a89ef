"""``momo export --public``: exactly what an anonymous visitor can see, as JSON Lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from momo.content.notes import NoteService
from momo.content.tables import notes
from momo.content.text import language
from momo.content.views import NoteView
from momo.privacy.coarse_time import CoarseTime
from momo.storage.database import Database


def public_notes(db: Database, note_service: NoteService, time: CoarseTime) -> Iterator[NoteView]:
    """Every note as an anonymous visitor's page shows it (no viewer, English labels)."""
    with db.read() as conn:
        ids = conn.scalars(
            select(notes.c.id)
            .where(notes.c.status == "visible", notes.c.created_bucket < time.public_before())
            .order_by(notes.c.created_bucket, notes.c.id)
        ).all()
    for note_id in ids:
        yield note_service.page(note_id, None, "en")


def write_public(db: Database, note_service: NoteService, time: CoarseTime, out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    with (out_dir / "notes.jsonl").open("w", encoding="utf-8") as handle:
        for view in public_notes(db, note_service, time):
            record = view.model_dump(mode="json", exclude={"viewer", "time_ago"})
            for comment in record["comments"]:
                comment.pop("time_ago", None)
                for reply in comment["replies"]:
                    reply.pop("time_ago", None)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


DATA_DICTIONARY = """# Momo research export: data dictionary

Written by `momo export --research`. Everything here is what an anonymous visitor
could see, with personal data masked by Momo's privacy scanner. There is no
account data: no account ids, keys, sessions, vaults, sealed references, or
anything that links one thread's voices to another's.

## items.csv and items.ndjson (one note or comment per row)
The same rows twice: CSV for spreadsheets, R and Stata; NDJSON for pandas and jq.
Their columns are described, with types, in `datapackage.json` (a Frictionless
Tabular Data Package): id, thread_id, parent_id (the note for a top-level
comment, the comment a reply answers for a reply: the whole tree), kind,
timestamp (the public time bucket), voice, title, body, topics, lang (zh, en,
mixed, und), like_count, removed. The files below are the older nested view.

## notes.jsonl (one note per line)
| field | type | meaning |
| --- | --- | --- |
| note_id | string | random public id of the note (the thread) |
| date | string | UTC date of publication, `YYYY-MM-DD` (times are coarsened to the day) |
| title | string | title, personal data masked |
| body | string | body, personal data masked |
| topics | list of strings | #topics in the body |
| images | integer | number of images (the images are not exported) |
| like_count, collect_count, comment_count | integer | public counters |
| edited | boolean | whether the author edited it |

## comments.jsonl (one comment or reply per line)
| field | type | meaning |
| --- | --- | --- |
| comment_id | string | random public id |
| note_id | string | the thread it belongs to |
| date | string | UTC date, `YYYY-MM-DD` |
| voice | string | the speaker's per-thread voice: `OP` (the note's author) or `Momo N`. Voices are comparable only inside one thread: `Momo 1` in two threads are unrelated |
| parent_id | string or null | the top-level comment a reply belongs to |
| reply_to_voice | string or null | the voice a reply answers |
| body | string | text, personal data masked; empty when removed |
| removed | boolean | removed by its author or by moderation |
| like_count | integer | public counter |

## Masking
Spans the privacy scanner finds are replaced by their kind in brackets, e.g.
`[PHONE]`, `[EMAIL]`, `[CN_ID]`, `[BANK_CARD]`, `[QQ]`, `[WECHAT]`, `[PLATE]`,
`[ADDRESS]`, `[IP_ADDRESS]`, `[AFFILIATION]`.

## What this data cannot tell you
Who wrote what across threads. Writing style may still link posts; please do not
try to re-identify people, and follow your ethics board's rules.
"""


def mask(text: str) -> str:
    from momo.privacy.pii import scan

    out, last = [], 0
    for finding in scan(text):
        out.append(text[last : finding.start])
        out.append(f"[{finding.kind.upper()}]")
        last = finding.end
    out.append(text[last:])
    return "".join(out)


def write_research(
    db: Database, note_service: NoteService, time: CoarseTime, out_dir: Path
) -> tuple[int, int]:
    """The dataset for digital ethnographers: public content, masked, with voices and dates."""
    out_dir.mkdir(parents=True, exist_ok=True)
    note_count = comment_count = 0
    with (
        (out_dir / "notes.jsonl").open("w", encoding="utf-8") as notes_file,
        (out_dir / "comments.jsonl").open("w", encoding="utf-8") as comments_file,
    ):
        for view in public_notes(db, note_service, time):
            notes_file.write(
                json.dumps(
                    {
                        "note_id": view.id,
                        "date": view.time[:10],
                        "title": mask(view.title),
                        "body": mask(view.body),
                        "topics": view.topics,
                        "images": len(view.images),
                        "like_count": view.like_count,
                        "collect_count": view.collect_count,
                        "comment_count": view.comment_count,
                        "edited": view.edited,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
            note_count += 1
            for top in view.comments:
                for comment in [top, *top.replies]:
                    comments_file.write(
                        json.dumps(
                            {
                                "comment_id": comment.id,
                                "note_id": view.id,
                                "date": comment.time[:10],
                                "voice": comment.voice,
                                "parent_id": comment.parent_id,
                                "reply_to_voice": comment.reply_to_voice,
                                "body": mask(comment.body),
                                "removed": comment.removed,
                                "like_count": comment.like_count,
                            },
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
                    comment_count += 1
    (out_dir / "DATA_DICTIONARY.md").write_text(DATA_DICTIONARY, encoding="utf-8")
    write_table(db, note_service, time, out_dir)
    return note_count, comment_count


# One flat table for analysis tools (pandas, R, Stata, spreadsheets): every note and
# comment as a row, in NDJSON and CSV, described by a Frictionless Data Package.
TABLE_FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "string", "description": "Random public id of the note or comment."},
    {
        "name": "thread_id",
        "type": "string",
        "description": "The note the row belongs to (a note is its own thread).",
    },
    {
        "name": "parent_id",
        "type": "string",
        "description": "What the row answers: empty for a note, the note for a top-level comment, the comment a reply answers for a reply (the full tree).",
    },
    {
        "name": "kind",
        "type": "string",
        "constraints": {"enum": ["note", "comment"]},
        "description": "note or comment.",
    },
    {
        "name": "timestamp",
        "type": "datetime",
        "format": "%Y-%m-%dT%H:%MZ",
        "description": "UTC start of the public time bucket (notes 5 minutes, comments 1 minute by default); nothing finer is kept.",
    },
    {
        "name": "voice",
        "type": "string",
        "description": "The speaker's voice inside this thread: OP (the note's author) or Momo N. Comparable only inside one thread.",
    },
    {
        "name": "title",
        "type": "string",
        "description": "A note's title, personal data masked; empty for comments.",
    },
    {
        "name": "body",
        "type": "string",
        "description": "Text, personal data masked; empty when removed.",
    },
    {
        "name": "topics",
        "type": "string",
        "description": "A note's #topics, separated by |; empty for comments.",
    },
    {
        "name": "lang",
        "type": "string",
        "constraints": {"enum": ["zh", "en", "mixed", "und"]},
        "description": "Script of the text: zh, en, mixed, or und(etermined).",
    },
    {"name": "like_count", "type": "integer", "description": "Public like counter."},
    {
        "name": "removed",
        "type": "boolean",
        "description": "Removed by its author or by moderation.",
    },
]


def _rows(db: Database, note_service: NoteService, time: CoarseTime) -> Iterator[dict[str, Any]]:
    for view in public_notes(db, note_service, time):
        title, body = mask(view.title), mask(view.body)
        yield {
            "id": view.id,
            "thread_id": view.id,
            "parent_id": "",
            "kind": "note",
            "timestamp": view.time,
            "voice": "OP",
            "title": title,
            "body": body,
            "topics": "|".join(view.topics),
            "lang": language(f"{title} {body}"),
            "like_count": view.like_count,
            "removed": False,
        }
        for top in view.comments:
            for comment in [top, *top.replies]:
                text = mask(comment.body)
                yield {
                    "id": comment.id,
                    "thread_id": view.id,
                    "parent_id": comment.reply_to_id or comment.parent_id or view.id,
                    "kind": "comment",
                    "timestamp": comment.time,
                    "voice": comment.voice,
                    "title": "",
                    "body": text,
                    "topics": "",
                    "lang": language(text),
                    "like_count": comment.like_count,
                    "removed": comment.removed,
                }


def write_table(db: Database, note_service: NoteService, time: CoarseTime, out_dir: Path) -> int:
    names = [field["name"] for field in TABLE_FIELDS]
    count = 0
    with (
        (out_dir / "items.ndjson").open("w", encoding="utf-8") as ndjson,
        (out_dir / "items.csv").open("w", encoding="utf-8", newline="") as table,
    ):
        writer = csv.DictWriter(table, fieldnames=names)
        writer.writeheader()
        for row in _rows(db, note_service, time):
            ndjson.write(json.dumps(row, ensure_ascii=False) + "\n")
            writer.writerow({**row, "removed": str(row["removed"]).lower()})
            count += 1
    package = {
        "profile": "tabular-data-package",
        "name": "momo-research-export",
        "title": "Momo research export: notes and comments, masked",
        "description": "What an anonymous visitor could see, with personal data masked. "
        "No account data. See DATA_DICTIONARY.md.",
        "resources": [
            {
                "name": "items",
                "path": "items.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": TABLE_FIELDS,
                    "primaryKey": ["id"],
                    "missingValues": [""],
                },
            }
        ],
    }
    (out_dir / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return count
