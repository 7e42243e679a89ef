"""Reading the item a report or action is about."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from momo.content.tables import comments, notes
from momo.errors import InvalidInput, NotFound
from momo.moderation.rules import TARGET_TYPES

DELETED = "[deleted]"


@dataclass(frozen=True)
class Target:
    type: str
    id: str
    note_id: str
    text: str
    status: str
    sealed_author: bytes


def shown_target(conn: Connection, target_type: str, target_id: str) -> Target:
    """The target as moderators and the sanctioned person see it: content its author
    deleted (or blanked) reads "[deleted]", and a gone row does not break the page."""
    try:
        target = load_target(conn, target_type, target_id)
    except NotFound:
        return Target(target_type, target_id, "", DELETED, "deleted", b"")
    if target.status == "deleted" or not target.text.strip():
        return Target(target.type, target.id, target.note_id, DELETED, "deleted", b"")
    return target


def load_target(conn: Connection, target_type: str, target_id: str) -> Target:
    if target_type not in TARGET_TYPES:
        raise InvalidInput("target_type must be 'note' or 'comment'", field="target_type")
    if target_type == "note":
        row = conn.execute(
            select(
                notes.c.id, notes.c.title, notes.c.body, notes.c.status, notes.c.sealed_author
            ).where(notes.c.id == target_id)
        ).first()
        if row is None:
            raise NotFound("no such note")
        return Target(
            "note", row.id, row.id, f"{row.title}\n{row.body}", row.status, bytes(row.sealed_author)
        )
    row = conn.execute(
        select(
            comments.c.id,
            comments.c.note_id,
            comments.c.body,
            comments.c.status,
            comments.c.sealed_author,
        ).where(comments.c.id == target_id)
    ).first()
    if row is None:
        raise NotFound("no such comment")
    return Target("comment", row.id, row.note_id, row.body, row.status, bytes(row.sealed_author))
