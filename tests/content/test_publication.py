"""Batched publication: the polling attack.

The first release stored 5-minute buckets but showed every comment at once:
a scraper polling /api/feed saw 22 of 22 comments within 2 s of posting, in
order. Here a scraper polls the feed and a thread every half second of the
(fake) clock while people post; nothing may appear, and no counter may move,
before the item's bucket has ended.
"""

from __future__ import annotations

import itertools
import os
import random
import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select, text

from momo.content.publication import Publication
from momo.content.search_index import INDEX
from momo.content.tables import comments, notes, topics
from momo.core import Momo
from momo.privacy.coarse_time import bucket
from tests.conftest import FakeClock, new_client, publish, sign_up, viewers


def _poll(anonymous: Any, thread: str) -> tuple[set[str], set[str], int]:
    feed = anonymous.get("/api/feed", params={"kind": "latest"}).json()["items"]
    page = anonymous.get(f"/api/notes/{thread}").json()
    comments = {c["id"] for top in page["comments"] for c in [top, *top["replies"]]}
    count = next(card["comment_count"] for card in feed if card["id"] == thread)
    return {card["id"] for card in feed}, comments, count


def test_a_poller_sees_nothing_before_its_bucket_ends(
    app: Any, momo: Momo, clock: FakeClock
) -> None:
    writers = [new_client(app) for _ in range(6)]  # probation limits: 5 notes an hour each
    for writer in writers:
        sign_up(writer)
    anonymous = new_client(app)
    thread = writers[0].post("/api/notes", json={"title": "live", "body": "chat"}).json()["id"]
    publish(momo)
    note_size = momo.settings.time_granularity_seconds
    comment_size = momo.settings.comment_granularity_seconds
    rng = random.Random(3)
    posted: dict[str, tuple[str, float]] = {}  # id -> (kind, when)
    first_seen: dict[str, float] = {}
    count_seen: list[tuple[float, int]] = []
    start = clock.now
    while clock.now < start + 2 * note_size:
        if rng.random() < 0.025:
            writer = rng.choice(writers)
            if rng.random() < 0.7:
                response = writer.post(
                    f"/api/notes/{thread}/comments", json={"body": f"c{len(posted)}"}
                )
                posted[response.json()["id"]] = ("comment", clock.now)
            else:
                response = writer.post("/api/notes", json={"title": "n", "body": f"{clock.now}"})
                posted[response.json()["id"]] = ("note", clock.now)
            assert response.status_code == 201, response.text
        notes, comments, count = _poll(anonymous, thread)
        for item in notes | comments:
            first_seen.setdefault(item, clock.now)
        count_seen.append((clock.now, count))
        clock.advance(0.5)
    clock.advance(note_size)
    notes, comments, _ = _poll(anonymous, thread)
    for item in notes | comments:
        first_seen.setdefault(item, clock.now)

    assert sum(kind == "comment" for kind, _ in posted.values()) >= 5
    assert sum(kind == "note" for kind, _ in posted.values()) >= 2
    for item, (kind, when) in posted.items():
        size = comment_size if kind == "comment" else note_size
        ends = bucket(when, size) + size
        assert item in first_seen, f"{kind} {item} never appeared"
        assert first_seen[item] >= ends, f"{kind} seen {ends - first_seen[item]} s early"
    # A bucket is released at once: everything written in it appears at the same poll.
    by_bucket: dict[tuple[str, int], set[float]] = {}
    for item, (kind, when) in posted.items():
        size = comment_size if kind == "comment" else note_size
        by_bucket.setdefault((kind, bucket(when, size)), set()).add(first_seen[item])
    assert all(len(moments) == 1 for moments in by_bucket.values())
    # The thread's public comment count moves only at comment bucket boundaries.
    for (before, old), (after, new) in itertools.pairwise(count_seen):
        if new != old:
            assert bucket(after, comment_size) > bucket(before, comment_size)


def test_the_publish_jitter_delays_comments_too(app: Any, momo: Momo, clock: FakeClock) -> None:
    writer, anonymous = new_client(app), new_client(app)
    sign_up(writer)
    thread = writer.post("/api/notes", json={"title": "t", "body": ""}).json()["id"]
    publish(momo)
    momo.time.jitter = 1800
    posted_at = clock.now
    ids = [
        writer.post(f"/api/notes/{thread}/comments", json={"body": f"c{i}"}).json()["id"]
        for i in range(12)
    ]
    seen: dict[str, float] = {}
    while len(seen) < len(ids) and clock.now < posted_at + 2400:
        clock.advance(30)
        page = anonymous.get(f"/api/notes/{thread}").json()
        for top in page["comments"]:
            seen.setdefault(top["id"], clock.now)
    assert set(seen) == set(ids)
    delays = sorted(seen[i] - posted_at for i in ids)
    assert delays[-1] > 5 * momo.settings.comment_granularity_seconds, "jitter spreads them"
    assert len({round(d) for d in delays}) > 2


def test_the_composer_is_told_when_an_item_goes_public(
    app: Any, momo: Momo, clock: FakeClock
) -> None:
    writer = new_client(app)
    sign_up(writer)
    clock.advance(70)
    created = writer.post("/api/notes", json={"title": "t", "body": ""}).json()
    size = momo.settings.time_granularity_seconds
    ends = bucket(clock.now, size) + size
    assert created["visible_from"] == created["visible_by"]
    assert created["visible_from"].endswith(f"{(ends % 3600) // 60:02d}Z")
    momo.time.jitter = 600
    later = writer.post("/api/notes", json={"title": "u", "body": ""}).json()
    assert later["visible_by"] > later["visible_from"]


def _published(momo: Momo) -> int:
    with momo.db.read() as conn:
        return conn.scalar(select(func.count()).where(notes.c.published.is_(True))) or 0


def _backlog(momo: Momo, count: int) -> str:
    """``count`` notes on one topic and a thread with ``count`` comments, all of
    them unpublished, in buckets that have ended; returns the thread."""
    people = viewers(momo, 4)
    thread = momo.notes.create(people[0], "thread", "")
    publish(momo)
    for i in range(count):
        momo.notes.create(people[i % 4], f"backlog {i}", "积压的笔记 #backlog#")
        momo.comments.add(people[i % 4], thread, f"reply {i}")
    clock: FakeClock = momo.time.clock  # type: ignore[assignment]
    clock.advance(momo.settings.time_granularity_seconds)
    return thread


def test_publication_works_through_a_backlog_a_batch_at_a_time(momo: Momo) -> None:
    thread = _backlog(momo, 10)
    batches: list[int] = []
    before = _published(momo)
    publication = Publication(momo.db, momo.time, lambda: batches.append(_published(momo)), batch=3)
    assert publication.publish_due() == 20
    assert [b - before for b in batches] == [3, 6, 9, 10]  # notes; comments went alongside
    page = momo.notes.page(thread, None, "en")
    assert page.comment_count == 10
    assert momo.feeds.topic("backlog", None, "en").items
    with momo.db.read() as conn:
        assert conn.scalar(select(topics.c.note_count).where(topics.c.name == "backlog")) == 10
    assert len(momo.feeds.search("积压", None, "en", limit=50).items) == 10


def test_a_reader_publishes_one_batch_and_the_rest_follows_in_the_background(
    momo: Momo,
) -> None:
    """After a long pause the first reader would otherwise publish the whole
    backlog inside its own request (a benchmark's 6,000 notes took over 5 s)."""
    _backlog(momo, 10)
    before = _published(momo)
    release = threading.Event()
    callers: list[str] = []

    def changed() -> None:
        callers.append(threading.current_thread().name)
        if threading.current_thread() is not threading.main_thread():
            assert release.wait(10)

    publication = Publication(momo.db, momo.time, changed, batch=3)
    publication.catch_up()  # returns while the background batches wait on `release`
    assert _published(momo) - before in (3, 6)
    assert callers[0] == threading.current_thread().name
    publication.catch_up()  # the same bucket: nothing more for a reader to do
    release.set()
    deadline = time.monotonic() + 10
    while _published(momo) - before < 10 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _published(momo) - before == 10
    assert set(callers[1:]) == {"momo-publication"}


@pytest.mark.skipif(not os.environ.get("MOMO_TEST_DATABASE_URL"), reason="PostgreSQL only")
def test_workers_publishing_at_once_skip_each_others_rows(momo: Momo) -> None:
    """Another worker's publication holds row locks: this one takes the rest
    instead of waiting for them, and nothing is published twice."""
    _backlog(momo, 6)
    with momo.db.engine.connect() as other, other.begin():
        held = other.scalars(
            select(notes.c.id)
            .where(notes.c.published.is_(False))
            .order_by(notes.c.created_bucket)
            .limit(2)
            .with_for_update()
        ).all()
        done = threading.Event()
        counted: list[int] = []

        def publish_elsewhere() -> None:
            counted.append(Publication(momo.db, momo.time, batch=3).publish_due())
            done.set()

        threading.Thread(target=publish_elsewhere).start()
        assert done.wait(10), "a locked row made the other publication wait"
        with momo.db.read() as conn:
            waiting = conn.scalars(select(notes.c.id).where(notes.c.published.is_(False))).all()
        assert sorted(waiting) == sorted(held)
    assert counted == [4 + 6]
    assert Publication(momo.db, momo.time).publish_due() == 2
    with momo.db.read() as conn:
        assert conn.scalar(select(topics.c.note_count).where(topics.c.name == "backlog")) == 6


def test_a_batch_stays_a_batch_when_the_statistics_say_nothing_waits(momo: Momo) -> None:
    """ANALYZE run while everything was published tells PostgreSQL that almost no
    row waits. It then re-ran a batch subquery per row, each run skipping the rows
    the last had locked, and one "batch" took 14,000 comments in a benchmark."""
    _backlog(momo, 40)
    momo.publication.publish_due()
    with momo.db.write() as conn:
        for table in ("notes", "comments"):  # not every schema in the database
            conn.exec_driver_sql(f"ANALYZE {table}")
    _backlog(momo, 40)
    before = _published(momo)
    with momo.db.read() as conn:
        comments_before = conn.scalar(select(func.count()).where(comments.c.published.is_(True)))
    assert Publication(momo.db, momo.time, batch=5)._publish_batch() == (10, True)
    assert _published(momo) - before == 5
    with momo.db.read() as conn:
        comments_after = conn.scalar(select(func.count()).where(comments.c.published.is_(True)))
    assert comments_after == (comments_before or 0) + 5


def test_a_release_leaves_no_search_entries_waiting_on_postgresql(momo: Momo) -> None:
    """New documents' index entries wait in GIN's pending list, which every search
    step scans whole; publication merges what it released into the index."""
    if momo.db.dialect != "postgresql":
        pytest.skip("GIN's pending list is PostgreSQL's")
    try:
        with momo.db.write() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pgstattuple WITH SCHEMA public"))
    except Exception as error:  # not a superuser, or no contrib modules
        pytest.skip(f"pgstattuple is needed to read the pending list: {error}")
    (author,) = viewers(momo, 1)
    for number in range(3):
        momo.notes.create(author, f"春天 {number}", "blossom season")
    publish(momo)
    with momo.db.read() as conn:
        waiting = conn.execute(
            text("SELECT pending_tuples FROM public.pgstatginindex(CAST(:index AS regclass))"),
            {"index": INDEX},
        ).scalar_one()
    assert waiting == 0
    assert len(momo.feeds.search("春天", None, "zh-CN").items) == 3
