"""Comments: locks, voices under concurrency of many speakers, probation limits."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, insert, select, text, update

from momo.content.tables import comments, notes
from momo.core import Momo
from momo.errors import Forbidden, TooManyRequests
from momo.identity.accounts import Viewer
from tests.conftest import publish


def _person(momo: Momo, probation: bool = False) -> Viewer:
    created = momo.accounts.create(probation=probation)
    viewer = momo.accounts.resolve(momo.accounts.sign_in(created.account_key))
    assert viewer is not None
    return viewer


def test_voice_numbers_follow_first_appearance(momo: Momo) -> None:
    op = _person(momo)
    note_id = momo.notes.create(op, "thread", "")
    publish(momo)
    speakers = [_person(momo) for _ in range(5)]
    numbers = [momo.comments.add(s, note_id, "hi").voice for s in speakers]
    assert numbers == [1, 2, 3, 4, 5]
    assert momo.comments.add(speakers[2], note_id, "again").voice == 3
    assert momo.comments.add(op, note_id, "op here").voice == 0


def test_locked_threads_refuse_comments(momo: Momo) -> None:
    op = _person(momo)
    note_id = momo.notes.create(op, "locked", "")
    publish(momo)
    with momo.db.write() as conn:
        conn.execute(update(notes).where(notes.c.id == note_id).values(locked=True))
    with pytest.raises(Forbidden):
        momo.comments.add(_person(momo), note_id, "let me in")


def test_probation_accounts_have_lower_limits(momo: Momo) -> None:
    newcomer = _person(momo, probation=True)
    settled = _person(momo)
    for i in range(5):
        momo.notes.create(newcomer, f"n{i}", "")
    with pytest.raises(TooManyRequests):
        momo.notes.create(newcomer, "one too many", "")
    for i in range(6):
        momo.notes.create(settled, f"s{i}", "")


def test_deleted_comment_keeps_its_place_but_not_its_words(momo: Momo) -> None:
    op, other = _person(momo), _person(momo)
    note_id = momo.notes.create(op, "t", "")
    publish(momo)
    parent = momo.comments.add(other, note_id, "secret words")
    publish(momo)
    momo.comments.add(op, note_id, "reply", reply_to=parent.id)
    momo.comments.delete(other, parent.id)
    publish(momo)
    page = momo.notes.page(note_id, None, "en")
    assert page.comments[0].removed and page.comments[0].body == ""
    assert page.comments[0].replies[0].body == "reply"
    with pytest.raises(Forbidden):
        momo.comments.delete(other, page.comments[0].replies[0].id)


def test_a_thread_page_counts_only_published_comments(momo: Momo) -> None:
    op, other = _person(momo), _person(momo)
    note_id = momo.notes.create(op, "t", "")
    publish(momo)
    momo.comments.add(other, note_id, "soon")
    page = momo.notes.page(note_id, None, "en")
    assert page.comment_count == 0 and page.comments == []
    publish(momo)
    page = momo.notes.page(note_id, None, "en")
    assert page.comment_count == 1 and page.comments[0].body == "soon"


def test_a_quick_exchange_reads_in_order(momo: Momo) -> None:
    """Inside one time bucket the first release sorted by voice, so OP's words came
    first and a quick exchange read backwards."""
    op, other = _person(momo), _person(momo)
    note_id = momo.notes.create(op, "hike?", "")
    publish(momo)
    for person, words in (
        (other, "去爬山吧"),
        (op, "好啊，几点？"),
        (other, "八点见"),
        (op, "谢谢！"),
    ):
        momo.comments.add(person, note_id, words)
    publish(momo)
    shown = [c.body for c in momo.notes.page(note_id, None, "en").comments]
    assert shown == ["去爬山吧", "好啊，几点？", "八点见", "谢谢！"]


def test_a_comment_on_a_long_thread_reads_indexes_not_every_comment(momo: Momo) -> None:
    """The next position and the pile-on figures are read inside the comment's write
    transaction. On a thread of hundreds they must come from an index alone (SQLite:
    a covering index; PostgreSQL: never a scan of the whole table)."""
    op, speaker = _person(momo), _person(momo)
    note_id = momo.notes.create(op, "a long thread", "")
    others = [momo.notes.create(op, f"other {i}", "") for i in range(19)]
    publish(momo)
    bucket = momo.time.public_before(comment=True) - 3600
    rows = [
        {
            "id": f"long{i:08d}",
            # A thread of 300 among 6,000 comments: one in twenty (PostgreSQL would
            # rightly scan the table for a thread that is most of it).
            "note_id": (note_id, *others)[i % 20],
            "voice": 1 + i % 50,
            "body": "so many words",
            "created_bucket": bucket - 60 * (i % 500),
            "sealed_author": b"x" * 40,
            "published": True,
            "position": i,
        }
        for i in range(6000)
    ]
    with momo.db.write() as conn:
        conn.execute(insert(comments), rows)
        if momo.db.dialect == "postgresql":
            conn.execute(text("ANALYZE comments"))
    plans: list[str] = []
    sqlite = momo.db.dialect == "sqlite"

    def explain(_conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM comments" in statement:
            cursor.execute(
                ("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters
            )
            plans.append("\n".join(str(row[-1] if sqlite else row[0]) for row in cursor.fetchall()))

    event.listen(momo.db.engine, "before_cursor_execute", explain)
    try:
        posted = momo.comments.add(speaker, note_id, "one more")
    finally:
        event.remove(momo.db.engine, "before_cursor_execute", explain)
    assert len(plans) >= 2  # the position, then the pile-on figures
    for plan in plans:
        if sqlite:
            reads = [line for line in plan.splitlines() if " comments " in f"{line} "]
            assert reads and all("COVERING INDEX" in line for line in reads), plan
        else:
            assert "Seq Scan" not in plan, plan
    with momo.db.read() as conn:
        position = conn.scalar(select(comments.c.position).where(comments.c.id == posted.id))
    last = max(row["position"] for row in rows if row["note_id"] == note_id)
    assert position == last + 1  # after the thread's last, however many there are
