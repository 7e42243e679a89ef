"""Replies to me: found through the person's own vault, never stored."""

from __future__ import annotations

from momo.core import Momo
from tests.conftest import publish, viewers


def test_replies_to_my_notes_and_comments_and_nothing_else(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    me, friend, stranger = viewers(momo, 3)
    mine = momo.notes.create(me, "my trip", "")
    theirs = momo.notes.create(stranger, "their trip", "")
    publish(momo)
    on_mine = momo.comments.add(friend, mine, "looks fun")
    my_comment = momo.comments.add(me, theirs, "where is this?")
    publish(momo)
    answer = momo.comments.add(stranger, theirs, "Yunnan", reply_to=my_comment.id)
    other = momo.comments.add(friend, theirs, "nice photos")
    publish(momo)
    side = momo.comments.add(stranger, theirs, "to my friend", reply_to=other.id)
    my_own = momo.comments.add(me, mine, "thanks!", reply_to=on_mine.id)
    clock.advance(momo.settings.comment_granularity_seconds)
    publish(momo)
    found = {r.comment_id: r for r in momo.notes.replies_to(me, "en")}
    assert set(found) == {on_mine.id, answer.id}
    assert found[on_mine.id].to == "note" and found[answer.id].to == "comment"
    assert found[answer.id].note_title == "their trip" and found[answer.id].voice == "OP"
    assert side.id not in found and my_own.id not in found and other.id not in found
    assert momo.notes.replies_to(stranger, "en")  # they hear of mine on their note
    (nobody,) = viewers(momo, 1)
    assert momo.notes.replies_to(nobody, "en") == []


def test_replies_wait_for_their_bucket(momo: Momo) -> None:
    me, friend = viewers(momo, 2)
    mine = momo.notes.create(me, "post", "")
    publish(momo)
    momo.comments.add(friend, mine, "first!")
    assert momo.notes.replies_to(me, "en") == [], "not public yet, not news yet"
    publish(momo)
    assert len(momo.notes.replies_to(me, "en")) == 1
