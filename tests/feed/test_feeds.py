"""Identity-blind feeds, keyset pagination, search in Chinese and English, and the cache."""

from __future__ import annotations

import pytest

from momo.core import Momo
from momo.errors import InvalidInput, NotFound
from tests.conftest import publish, viewers


def test_latest_pages_cover_everything_once(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    (author,) = viewers(momo, 1)
    ids = set()
    for i in range(45):
        clock.advance(200)  # stays under the hourly posting limit
        ids.add(momo.notes.create(author, f"note {i}", ""))
    publish(momo)
    seen: list[str] = []
    cursor = None
    while True:
        page = momo.feeds.feed("latest", cursor, "en")
        seen += [card.id for card in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == 45 and set(seen) == ids


def test_discover_ranks_engagement_and_is_the_same_for_everyone(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    people = viewers(momo, 6)
    quiet = momo.notes.create(people[0], "quiet", "")
    loud = momo.notes.create(people[0], "loud", "")
    publish(momo)
    for person in people:
        momo.reactions.set_note_reaction(person, "like", loud, True)
    clock.advance(600)
    newest = momo.notes.create(people[1], "newest", "")
    publish(momo)
    order = [card.id for card in momo.feeds.feed("discover", None, "en").items]
    assert order.index(loud) < order.index(quiet)
    assert newest in order
    assert momo.feeds.feed("discover", None, "zh-CN").items[0].id == order[0]


def test_search_chinese_substrings_and_english_words(momo: Momo) -> None:
    (author,) = viewers(momo, 1)
    hit = momo.notes.create(author, "成都火锅推荐", "Spicy hotpot near Chunxi Road")
    miss = momo.notes.create(author, "都成了", "nothing here")
    publish(momo)

    def found(q: str) -> set[str]:
        return {card.id for card in momo.feeds.search(q, None, "en").items}

    assert found("火锅") == {hit}
    assert found("成都火锅") == {hit}
    assert found("都火") == {hit}
    assert found("HOTPOT") == {hit}
    assert found("chunxi road") == {hit}
    assert found("都成") == {miss}
    assert found("锅火") == set()
    assert found("hot") == set(), "English matches whole words"
    with pytest.raises(InvalidInput):
        momo.feeds.search("   ", None, "en")


def test_topics_and_unknown_topics(momo: Momo) -> None:
    (author,) = viewers(momo, 1)
    tagged = momo.notes.create(author, "t", "今天 #旅行# 和 #Coffee")
    assert momo.feeds.popular_topics() == [], "topic counts wait for publication"
    publish(momo)
    assert sorted(momo.feeds.popular_topics()) == ["coffee", "旅行"]
    assert [c.id for c in momo.feeds.topic("旅行", None, "en").items] == [tagged]
    assert [c.id for c in momo.feeds.topic("coffee", None, "en").items] == [tagged]
    with pytest.raises(NotFound):
        momo.feeds.topic("nope", None, "en")


def test_jittered_notes_stay_hidden_until_their_time(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    (author,) = viewers(momo, 1)
    momo.time.jitter = 3600
    hidden = [momo.notes.create(author, f"later {i}", "") for i in range(5)]
    momo.time.jitter = 0
    visible_now = {c.id for c in momo.feeds.feed("latest", None, "en").items}
    clock.advance(3700)
    visible_later = {c.id for c in momo.feeds.feed("latest", None, "en").items}
    assert set(hidden) == visible_later
    assert len(visible_now) < 5, "with an hour of jitter, some notes must wait"
    assert {n.id for n in momo.notes.mine(author, "en")} == set(hidden)


def test_order_inside_a_bucket_does_not_reveal_insertion_order(momo: Momo) -> None:
    (author,) = viewers(momo, 1)
    inserted = [momo.notes.create(author, f"same bucket {i}", "") for i in range(15)]
    publish(momo)
    shown = [card.id for card in momo.feeds.feed("latest", None, "en", limit=50).items]
    assert set(shown) == set(inserted)
    assert shown not in (inserted, inserted[::-1])


def _walk(feeds, kind: str) -> tuple[list[str], list[bool]]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    ends: list[bool] = []
    cursor = None
    while True:
        page = feeds.feed(kind, cursor, "en", limit=4)
        seen += [card.id for card in page.items]
        ends.append(page.caught_up)
        if page.next_cursor is None:
            return seen, ends
        cursor = page.next_cursor


def test_discover_ends_after_the_days_set_and_latest_does_not(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    from momo.feed.feeds import FeedService

    (author,) = viewers(momo, 1)
    for i in range(15):
        clock.advance(200)
        momo.notes.create(author, f"note {i}", "")
    publish(momo)
    feeds = FeedService(momo.db, momo.time, momo.publication.catch_up, discover_limit=10)
    discover, ends = _walk(feeds, "discover")
    assert len(discover) == 10 and len(set(discover)) == 10
    assert ends == [False, False, True]  # 4 + 4 + the last 2: then "all caught up"
    latest, ends = _walk(feeds, "latest")
    assert len(latest) == 15 and not any(ends)
    # The same ranking, the same end, for everyone: the set is the top of Discover.
    unlimited = FeedService(momo.db, momo.time, momo.publication.catch_up)
    assert discover == _walk(unlimited, "discover")[0][:10]


def test_a_forged_cursor_cannot_scroll_past_the_end(momo: Momo) -> None:
    from momo.feed import cursor as cursors
    from momo.feed.feeds import FeedService

    (author,) = viewers(momo, 1)
    momo.notes.create(author, "only", "")
    publish(momo)
    feeds = FeedService(momo.db, momo.time, momo.publication.catch_up, discover_limit=10)
    past = feeds.feed("discover", cursors.encode(99.0, "zzzz", 10), "en")
    assert past.items == [] and past.caught_up and past.next_cursor is None
    for served in (-1, 10**9, "3"):
        with pytest.raises(InvalidInput, match="cursor"):
            feeds.feed("discover", cursors.encode(1.0, "x", served), "en")  # type: ignore[arg-type]


def test_a_short_discover_says_caught_up_at_its_natural_end(momo: Momo) -> None:
    (author,) = viewers(momo, 1)
    momo.notes.create(author, "one", "")
    publish(momo)
    page = momo.feeds.feed("discover", None, "en")
    assert len(page.items) == 1 and page.caught_up and page.next_cursor is None
