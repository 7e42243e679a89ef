"""Batched publication: counters move only when an item's bucket has ended.

Visibility itself is a filter on the stored bucket (``CoarseTime.public_before``),
so an item is never shown early even if nothing here has run. What this adds is
the counters: a comment count or topic count that grew the moment someone
posted would tell a poller the exact second. So new items are first stored
unpublished; once their bucket has ended, they are marked published and the
counts move, for everyone's items at once, in batches ordered by bucket.

It runs from a timer in the server and, at most once per comment bucket, at
the start of a public read, so a page never shows counts older than a bucket.
Each transaction takes at most a batch of items, and a reader publishes only
the first batch itself: after a long pause (thousands of items waiting) the rest
goes on in a background thread, so no reader's request, and no writer waiting
for the write lock, stalls behind the whole backlog.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Select, Table, func, select, update

from momo.content.counters import lock_note, set_counts
from momo.content.search_index import IndexedNote, SearchIndex
from momo.content.tables import comments, note_topics, notes, topics
from momo.privacy.coarse_time import CoarseTime
from momo.storage.database import Database

BATCH = 200  # items of each kind per transaction
log = logging.getLogger(__name__)


class Publication:
    def __init__(
        self,
        db: Database,
        time: CoarseTime,
        changed: Callable[[], None] = lambda: None,
        offload_media: Callable[[Connection, list[str]], int] = lambda *_: 0,
        batch: int = BATCH,
    ) -> None:
        self._offload_media = offload_media  # to object storage, when configured
        self._db = db
        self._time = time
        self._changed = changed
        self._lock = threading.Lock()
        self._done_before = 0
        self._draining = False
        self._batch = batch
        self._search = SearchIndex()

    def publish_due(self) -> int:
        """Publish every item whose bucket has ended, a batch per transaction;
        returns how many. Runs off the request path (timer, background drain), so
        it also merges what the release added to the search index."""
        total = 0
        while True:
            published, full = self._publish_batch()
            total += published
            if not full:
                break
        if total and self._db.dialect == "postgresql":
            with self._db.write() as conn:
                self._search.merge_pending(conn)
        return total

    def catch_up(self) -> None:
        """Publish if a bucket has ended since this process last did: cheap to call
        often. The caller waits for one batch at most."""
        cut = self._time.public_before(comment=True)
        with self._lock:
            if cut <= self._done_before:
                return
            self._done_before = cut
        published, full = self._publish_batch()
        # The rest of a backlog, and the index merge, are not the caller's to wait for.
        if full or (published and self._db.dialect == "postgresql"):
            self._drain_in_background()

    def _drain_in_background(self) -> None:
        with self._lock:
            if self._draining:
                return
            self._draining = True
        threading.Thread(target=self._drain, name="momo-publication", daemon=True).start()

    def _drain(self) -> None:
        try:
            self.publish_due()
        except Exception:  # the housekeeping timer publishes what is left
            log.exception("background publication failed")
        finally:
            with self._lock:
                self._draining = False

    def _due(self, table: Table, cut: int) -> Select[Any]:
        """Ids of one batch of ``table``'s unpublished items whose bucket ended.
        Several workers may publish at once: on PostgreSQL each skips the rows
        another has locked, and nothing is flipped twice. The batch is a CTE,
        which PostgreSQL runs once: as a plain ``IN`` subquery, a nested loop
        re-ran it per row, each run skipped the rows the last one had locked, and
        one "batch" took 14,000 comments. The rows are then reached by their key
        alone: with ``published`` in the outer condition too, PostgreSQL walked
        every waiting row and compared each with the whole batch.
        """
        due = (
            select(table.c.id)
            .where(table.c.published.is_(False), table.c.created_bucket < cut)
            .order_by(table.c.created_bucket)
            .limit(self._batch)
        )
        if self._db.dialect == "postgresql":
            due = due.with_for_update(skip_locked=True)
        batch = due.cte(f"due_{table.name}")
        return select(batch.c.id)

    def _publish_batch(self) -> tuple[int, bool]:
        """One transaction: up to a batch of notes and of comments, with the counts
        they move. Returns how many, and whether a batch came back full."""
        note_cut = self._time.public_before()
        comment_cut = self._time.public_before(comment=True)
        with self._db.write() as conn:
            published = conn.execute(
                update(notes)
                .where(notes.c.id.in_(self._due(notes, note_cut)))
                .values(published=True)
                .returning(notes.c.id, notes.c.title, notes.c.body, notes.c.created_bucket)
            ).all()
            released = [row.id for row in published]
            if released:
                self._search.add(conn, (IndexedNote(*row) for row in published))
                self._offload_media(conn, released)
                counts = conn.execute(
                    select(note_topics.c.topic, func.count())
                    .where(note_topics.c.note_id.in_(released))
                    .group_by(note_topics.c.topic)
                ).all()
                for topic, count in sorted(counts):
                    conn.execute(
                        update(topics)
                        .where(topics.c.name == topic)
                        .values(note_count=topics.c.note_count + count)
                    )
            threads = Counter(
                conn.scalars(
                    update(comments)
                    .where(comments.c.id.in_(self._due(comments, comment_cut)))
                    .values(published=True)
                    .returning(comments.c.note_id)
                ).all()
            )
            for note_id in sorted(threads):
                note = lock_note(conn, note_id)
                if note is not None:
                    set_counts(
                        conn,
                        note,
                        likes=note.like_count,
                        comments=note.comment_count + threads[note_id],
                        collects=note.collect_count,
                    )
        comment_total = sum(threads.values())
        if released or comment_total:
            self._changed()
        full = max(len(released), comment_total) >= self._batch
        return len(released) + comment_total, full
