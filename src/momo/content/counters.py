"""A note's public counters and its hot rank, changed under the note's row lock."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select, update

from momo.content.tables import notes


def hot_score(engagement: int, created_bucket: int) -> float:
    """Log engagement plus an age term: a note needs 10x the engagement of one
    12.5 hours younger to rank level with it. Identity plays no part."""
    return round(math.log10(max(1, engagement + 1)) + created_bucket / 45000, 6)


@dataclass(frozen=True)
class LockedNote:
    id: str
    status: str
    locked: bool
    damped: bool
    slow_mode_seconds: int
    created_bucket: int
    like_count: int
    comment_count: int
    collect_count: int
    hug_count: int


_LOCK_NOTE = (
    select(
        notes.c.id,
        notes.c.status,
        notes.c.locked,
        notes.c.damped,
        notes.c.slow_mode_seconds,
        notes.c.created_bucket,
        notes.c.like_count,
        notes.c.comment_count,
        notes.c.collect_count,
        notes.c.hug_count,
    )
    .where(notes.c.id == bindparam("note_id"))
    .with_for_update()
)  # built once: it opens every comment's and reaction's write transaction


def lock_note(conn: Connection, note_id: str) -> LockedNote | None:
    """Read a note's counters and hold its row until the transaction ends, so
    counts and voice numbers change one writer at a time."""
    row = conn.execute(_LOCK_NOTE, {"note_id": note_id}).first()
    return None if row is None else LockedNote(**row._mapping)


def mark_context(conn: Connection, note_id: str, shown: bool) -> None:
    """Whether a helpful context note shows under the post (cards mark it)."""
    conn.execute(update(notes).where(notes.c.id == note_id).values(has_context=shown))


def set_counts(
    conn: Connection,
    note: LockedNote,
    *,
    likes: int,
    comments: int,
    collects: int,
    hugs: int | None = None,
) -> None:
    conn.execute(
        update(notes)
        .where(notes.c.id == note.id)
        .values(
            like_count=likes,
            comment_count=comments,
            collect_count=collects,
            hug_count=note.hug_count if hugs is None else hugs,
            hot=hot_score(likes + 2 * comments + collects, note.created_bucket),
        )
    )
