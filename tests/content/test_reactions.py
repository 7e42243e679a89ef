"""Hugs (抱抱): counted like likes, one per person and note, never ranked, and a
crowd of them is damped like any pile-on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from momo.content.tables import notes, reactions
from momo.core import Momo
from momo.errors import InvalidInput, NotFound
from tests.conftest import publish, viewers


def _row(momo: Momo, note_id: str):  # type: ignore[no-untyped-def]
    with momo.db.read() as conn:
        return conn.execute(
            select(notes.c.hug_count, notes.c.like_count, notes.c.hot, notes.c.damped).where(
                notes.c.id == note_id
            )
        ).one()


def test_hugs_count_once_per_person_and_can_be_taken_back(momo: Momo) -> None:
    author, first, second = viewers(momo, 3)
    note_id = momo.notes.create(author, "rough week", "")
    publish(momo)
    assert momo.reactions.set_note_reaction(first, "hug", note_id, True) == 1
    assert momo.reactions.set_note_reaction(first, "hug", note_id, True) == 1  # idempotent
    assert momo.reactions.set_note_reaction(second, "hug", note_id, True) == 2
    assert momo.reactions.set_note_reaction(first, "hug", note_id, False) == 1
    page = momo.notes.page(note_id, second, "en")
    assert page.hug_count == 1 and page.like_count == 0
    assert page.viewer is not None and page.viewer.hugged and not page.viewer.liked
    mine = momo.notes.page(note_id, first, "en").viewer
    assert mine is not None and not mine.hugged


def test_hugs_never_lift_a_note_in_discover(momo: Momo) -> None:
    author, *crowd = viewers(momo, 6)
    hugged = momo.notes.create(author, "hugged", "")
    liked = momo.notes.create(author, "liked", "")
    publish(momo)
    before = _row(momo, hugged).hot
    for person in crowd:
        momo.reactions.set_note_reaction(person, "hug", hugged, True)
        momo.reactions.set_note_reaction(person, "like", liked, True)
    assert _row(momo, hugged).hot == before
    order = [card.id for card in momo.feeds.feed("discover", None, "en").items]
    assert order.index(liked) < order.index(hugged)


def test_a_hug_is_stored_like_a_like_with_no_account_value(momo: Momo) -> None:
    author, person = viewers(momo, 2)
    one = momo.notes.create(author, "one", "")
    two = momo.notes.create(author, "two", "")
    publish(momo)
    momo.reactions.set_note_reaction(person, "hug", one, True)
    momo.reactions.set_note_reaction(person, "hug", two, True)
    with momo.db.read() as conn:
        rows = conn.execute(select(reactions).where(reactions.c.kind == "hug")).all()
    assert {row.target_id for row in rows} == {one, two}
    tags = {row.tag for row in rows}
    assert len(tags) == 2  # the same person's hugs on two notes share nothing
    assert not any(person.account_id in str(value) for row in rows for value in row)


def test_a_crowd_of_hugs_is_damped_like_a_pile_on(momo: Momo) -> None:
    author, *crowd = viewers(momo, 1 + momo.settings.surge_reply_likes)
    note_id = momo.notes.create(author, "a post people swarm", "")
    publish(momo)
    for person in crowd[:-1]:
        momo.reactions.set_note_reaction(person, "hug", note_id, True)
    assert not _row(momo, note_id).damped
    momo.reactions.set_note_reaction(crowd[-1], "hug", note_id, True)
    assert _row(momo, note_id).damped
    assert note_id not in [c.id for c in momo.feeds.feed("discover", None, "en").items]
    assert any(entry.kind == "damp" for entry in momo.modlog.entries(None, "en").entries)


def test_unknown_reactions_and_notes_are_refused(momo: Momo) -> None:
    (person,) = viewers(momo, 1)
    with pytest.raises(InvalidInput, match="'hug'"):
        momo.reactions.set_note_reaction(person, "hearts", "abcdefabcdef", True)
    with pytest.raises(NotFound):
        momo.reactions.set_note_reaction(person, "hug", "abcdefabcdef", True)
