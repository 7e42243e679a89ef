"""Pile-on damping: a sudden crowd is damped; a thread that is busy all along is not."""

from __future__ import annotations

from sqlalchemy import select

from momo.content.tables import notes
from momo.core import Momo
from momo.moderation.tables import actions
from tests.conftest import publish, viewers


def _damped(momo: Momo, note_id: str) -> bool:
    with momo.db.read() as conn:
        return bool(conn.scalar(select(notes.c.damped).where(notes.c.id == note_id)))


def test_a_sudden_crowd_is_damped(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    op, *crowd = viewers(momo, 14)
    note_id = momo.notes.create(op, "my opinion", "")
    clock.advance(6 * 3600)  # a quiet thread for six hours
    momo.comments.add(crowd[0], note_id, "interesting")
    clock.advance(3600)
    for person in crowd[1:11]:  # ten voices inside a few minutes
        momo.comments.add(person, note_id, "you are wrong and should be ashamed")
        clock.advance(20)
    assert _damped(momo, note_id)
    page = momo.notes.page(note_id, crowd[-1], "en")
    assert page.damped and page.slow_mode_seconds >= momo.settings.surge_slow_mode_seconds
    assert page.recent_voices >= 8
    # the note leaves Discover but stays reachable
    assert note_id not in [c.id for c in momo.feeds.feed("discover", None, "en").items]
    # new replies are collapsed; slow mode now applies per voice
    late = momo.comments.add(crowd[11], note_id, "me too")
    publish(momo)
    assert next(
        c for c in momo.notes.page(note_id, None, "en").comments if c.id == late.id
    ).collapsed
    # the moderator queue is alerted
    moderator = viewers(momo, 1)[0]
    moderator = moderator.__class__(**{**moderator.__dict__, "role": "moderator"})
    queue = momo.moderation.queue(moderator)
    assert any(item.surge and item.note_id == note_id for item in queue)
    with momo.db.read() as conn:
        assert conn.scalar(select(actions.c.kind).where(actions.c.note_id == note_id)) == "damp"


def test_a_pile_on_a_single_comment_is_damped(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    op, target, *crowd = viewers(momo, 12)
    note_id = momo.notes.create(op, "thread", "")
    publish(momo)
    # a steady, large conversation for hours keeps the thread baseline high
    for hour in range(6):
        for person in crowd[:4]:
            momo.comments.add(person, note_id, f"hour {hour}")
        clock.advance(3600)
    victim = momo.comments.add(target, note_id, "an unpopular opinion")
    clock.advance(60)
    for person in crowd[:9]:
        momo.comments.add(person, note_id, "ratio", reply_to=victim.id)
        clock.advance(15)
    assert _damped(momo, note_id)


def test_a_busy_normal_thread_is_not_damped(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    op, *regulars = viewers(momo, 13)
    note_id = momo.notes.create(op, "daily chat", "")
    publish(momo)
    # twelve regulars talk all afternoon: many voices, but the rate never jumps
    for round_ in range(24):
        for person in regulars[round_ % 3 :: 3]:
            momo.comments.add(person, note_id, f"round {round_}")
        clock.advance(600)
    assert not _damped(momo, note_id)


def test_a_report_surge_damps_the_thread(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    op, *reporters = viewers(momo, 7)
    note_id = momo.notes.create(op, "controversial", "")
    for person in reporters[:4]:
        momo.reports.report(person, "note", note_id, "misinformation")
    assert not _damped(momo, note_id)
    momo.reports.report(reporters[4], "note", note_id, "misinformation")
    assert _damped(momo, note_id)


def test_likes_piling_onto_replies_damp_the_thread(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    op, replier, *crowd = viewers(momo, 2 + momo.settings.surge_reply_likes)
    note_id = momo.notes.create(op, "thread", "")
    publish(momo)
    top = momo.comments.add(replier, note_id, "a fair point")
    publish(momo)
    jab = momo.comments.add(replier, note_id, "and another", reply_to=top.id)
    publish(momo)
    # Likes on a top-level comment are ordinary approval, not a pile-on.
    for person in crowd:
        momo.reactions.like_comment(person, top.id, True)
    assert not _damped(momo, note_id)
    for person in crowd[:-1]:
        momo.reactions.like_comment(person, jab.id, True)
    assert not _damped(momo, note_id)
    momo.reactions.like_comment(crowd[-1], jab.id, True)
    assert _damped(momo, note_id)


def test_only_writes_that_change_a_page_outdate_the_cached_pages(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    """A new note or comment shows nowhere until its bucket ends (publication
    outdates the pages then): bumping the cache's version at every write sent
    every reader back to the database. A damping shows at once, so it does."""
    op, *crowd = viewers(momo, 14)
    note_id = momo.notes.create(op, "my opinion", "")
    publish(momo)
    version = momo.feed_cache.version()
    momo.notes.create(crowd[0], "another note", "")
    clock.advance(6 * 3600)
    momo.comments.add(crowd[0], note_id, "interesting")
    assert momo.feed_cache.version() == version
    clock.advance(3600)
    for person in crowd[1:11]:
        momo.comments.add(person, note_id, "you are wrong and should be ashamed")
        clock.advance(20)
    assert _damped(momo, note_id)
    assert momo.feed_cache.version() > version
