"""Comments: locks, voices under concurrency of many speakers, probation limits."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from momo.content.tables import notes
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
