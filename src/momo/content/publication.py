"""Batched publication: counters move only when an item's bucket has ended.

Visibility itself is a filter on the stored bucket (``CoarseTime.public_before``),
so an item is never shown early even if nothing here has run. What this adds is
the counters: a comment count or topic count that grew the moment someone
posted would tell a poller the exact second. So new items are first stored
unpublished; once their bucket has ended, one transaction marks the whole
bucket published and moves the counts, for everyone's items at once.

It runs from a timer in the server and, at most once per comment bucket, at
the start of a public read, so a page never shows counts older than a bucket.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from sqlalchemy import Connection, func, select, update

from momo.content.counters import lock_note, set_counts
from momo.content.search_index import IndexedNote, SearchIndex
from momo.content.tables import comments, note_topics, notes, topics
from momo.privacy.coarse_time import CoarseTime
from momo.storage.database import Database


class Publication:
    def __init__(
        self,
        db: Database,
        time: CoarseTime,
        changed: Callable[[], None] = lambda: None,
        offload_media: Callable[[Connection, list[str]], int] = lambda *_: 0,
    ) -> None:
        self._offload_media = offload_media  # to object storage, when configured
        self._db = db
        self._time = time
        self._changed = changed
        self._lock = threading.Lock()
        self._done_before = 0
        self._search = SearchIndex()

    def publish_due(self) -> int:
        """Publish every item whose bucket has ended; returns how many."""
        note_cut = self._time.public_before()
        comment_cut = self._time.public_before(comment=True)
        with self._db.write() as conn:
            # The UPDATE … RETURNING flips each row once, even with several workers:
            # a second worker waits on the row lock and then finds it published.
            published = conn.execute(
                update(notes)
                .where(notes.c.published.is_(False), notes.c.created_bucket < note_cut)
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
                    .where(comments.c.published.is_(False), comments.c.created_bucket < comment_cut)
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
        total = len(released) + sum(threads.values())
        if total:
            self._changed()
        return total

    def catch_up(self) -> None:
        """Publish if a bucket has ended since this process last did: cheap to call often."""
        cut = self._time.public_before(comment=True)
        with self._lock:
            if cut <= self._done_before:
                return
            self._done_before = cut
        self.publish_due()
