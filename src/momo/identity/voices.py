"""Per-thread voices: OP, Momo 1, Momo 2 … in order of first appearance.

A voice row stores ``HMAC(voice key, account, note)``. The same person gets
unrelated tags in two threads, so voice tables cannot be joined across
threads without the secrets file.
"""

from __future__ import annotations

from sqlalchemy import Connection, String, bindparam, delete, func, insert, select

from momo.identity.tables import thread_voices
from momo.keyring import Keyring
from momo.translation import translate

OP = 0


def voice_tag(keys: Keyring, account_id: str, note_id: str) -> str:
    return keys.tag("voice", account_id, note_id)


# Built once: these run inside every comment's write transaction, and building a
# statement cost several times what SQLite takes to run it.
_FIND = select(thread_voices.c.number).where(
    thread_voices.c.note_id == bindparam("note_id"), thread_voices.c.tag == bindparam("tag")
)
_ADD = insert(thread_voices)
# The next number and the new row in one statement, under the caller's lock.
_CLAIM_NEXT = (
    insert(thread_voices)
    .from_select(
        ["note_id", "tag", "number"],
        select(
            bindparam("note_id", type_=String),
            bindparam("tag", type_=String),
            func.coalesce(func.max(thread_voices.c.number), 0) + 1,
        ).where(thread_voices.c.note_id == bindparam("note_id")),
    )
    .returning(thread_voices.c.number)
)


def claim_op(conn: Connection, keys: Keyring, account_id: str, note_id: str) -> int:
    conn.execute(
        _ADD, {"note_id": note_id, "tag": voice_tag(keys, account_id, note_id), "number": OP}
    )
    return OP


def find_voice(conn: Connection, keys: Keyring, account_id: str, note_id: str) -> int | None:
    return _find(conn, note_id, voice_tag(keys, account_id, note_id))


def voice_for(conn: Connection, keys: Keyring, account_id: str, note_id: str) -> int:
    """The person's voice in this thread, giving them the next number if they are new.

    Callers hold the note's row lock, so numbers are handed out one at a time.
    """
    tag = voice_tag(keys, account_id, note_id)
    existing = _find(conn, note_id, tag)
    if existing is not None:
        return existing
    return int(conn.execute(_CLAIM_NEXT, {"note_id": note_id, "tag": tag}).scalar_one())


def _find(conn: Connection, note_id: str, tag: str) -> int | None:
    number = conn.scalar(_FIND, {"note_id": note_id, "tag": tag})
    return None if number is None else int(number)


def forget_thread(conn: Connection, note_id: str) -> None:
    """Drop a deleted thread's voices (the note's author deleted it)."""
    conn.execute(delete(thread_voices).where(thread_voices.c.note_id == note_id))


def voice_label(number: int, persona_name: str, locale: str) -> str:
    if number == OP:
        return translate(locale, "OP")
    return f"{persona_name} {number}"
