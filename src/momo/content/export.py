"""``momo export --public``: exactly what an anonymous visitor can see, as JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from momo.content.notes import NoteService
from momo.content.tables import notes
from momo.content.views import NoteView
from momo.privacy.coarse_time import CoarseTime
from momo.storage.database import Database


def public_notes(db: Database, note_service: NoteService, time: CoarseTime) -> Iterator[NoteView]:
    """Every note as an anonymous visitor's page shows it (no viewer, English labels)."""
    with db.read() as conn:
        ids = conn.scalars(
            select(notes.c.id)
            .where(notes.c.status == "visible", notes.c.created_bucket <= time.now_bucket())
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
