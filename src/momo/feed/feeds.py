"""Latest, Discover, topic feeds and search, built with SQLAlchemy Core.

Nothing here receives a viewer: every ranking is a function of content and
anonymous counts alone, which is also why first pages can be shared in a cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Select, func, select, tuple_

from momo.content import search_index, text
from momo.content.tables import note_images, note_topics, notes, topics
from momo.content.views import FeedPage, NoteCard, image_view
from momo.errors import InvalidInput, NotFound
from momo.feed import cursor as cursors
from momo.privacy.coarse_time import CoarseTime
from momo.storage.database import Database

PAGE_SIZE = 20
EXCERPT = 80
SEARCH_MAX_QUERY = 100
SEARCH_WINDOW = 4000  # PostgreSQL: newest documents checked in order before the GIN index
FEED_KINDS = ("latest", "discover")


class FeedService:
    def __init__(
        self,
        db: Database,
        time: CoarseTime,
        catch_up: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._time = time
        self._catch_up = catch_up  # publishes ended buckets, so counts are current

    def feed(self, kind: str, cursor: str | None, locale: str, limit: int = PAGE_SIZE) -> FeedPage:
        if kind not in FEED_KINDS:
            raise InvalidInput("kind must be 'latest' or 'discover'", field="kind")
        if kind == "latest":
            return self._page(self._base(), notes.c.created_bucket, cursor, locale, limit)
        # "+ 0" keeps SQLite off ix_notes_latest for the bucket filter: it walks
        # ix_notes_hot in order instead of sorting every visible note.
        query = self._base(bucket=notes.c.created_bucket + 0).where(notes.c.damped.is_(False))
        return self._page(query, notes.c.hot, cursor, locale, limit)

    def topic(self, name: str, cursor: str | None, locale: str, limit: int = PAGE_SIZE) -> FeedPage:
        topic = text.normalize_topic(name)
        with self._db.read() as conn:
            known = conn.scalar(select(topics.c.name).where(topics.c.name == topic))
        if known is None:
            raise NotFound("no such topic")
        query = (
            self._base(bucket=note_topics.c.created_bucket)
            .join_from(notes, note_topics, note_topics.c.note_id == notes.c.id)
            .where(note_topics.c.topic == topic)
        )
        return self._page(
            query,
            note_topics.c.created_bucket,
            cursor,
            locale,
            limit,
            tiebreak=note_topics.c.note_id,
        )

    def search(self, q: str, cursor: str | None, locale: str, limit: int = PAGE_SIZE) -> FeedPage:
        q = text.clean(q)
        if not q:
            raise InvalidInput("type something to search for", field="q")
        if len(q) > SEARCH_MAX_QUERY:
            raise InvalidInput(f"a search is at most {SEARCH_MAX_QUERY} characters", field="q")
        phrases = text.query_phrases(q)
        if not phrases:
            raise InvalidInput("search for words or characters, not only symbols", field="q")
        found = search_index.matching(phrases, self._db.dialect)
        query = self._base().join_from(notes, found.table, notes.c.search_doc == found.doc)
        return self._page(
            query.where(found.condition), found.doc, cursor, locale, limit, unique_sort=True
        )

    def cards(self, note_ids: list[str], locale: str) -> FeedPage:
        """Cards for given notes (a person's bookmarks), in the order given."""
        if not note_ids:
            return FeedPage(items=[], next_cursor=None)
        with self._db.read() as conn:
            rows = {
                row.id: dict(row._mapping)
                for row in conn.execute(self._base().where(notes.c.id.in_(note_ids)))
            }
        return FeedPage(
            items=[self._card(rows[i], locale) for i in note_ids if i in rows], next_cursor=None
        )

    def popular_topics(self, limit: int = 12) -> list[str]:
        with self._db.read() as conn:
            return list(
                conn.scalars(
                    select(topics.c.name)
                    .where(topics.c.note_count > 0)
                    .order_by(topics.c.note_count.desc(), topics.c.name)
                    .limit(limit)
                )
            )

    def _base(self, bucket: Any = notes.c.created_bucket) -> Select[Any]:
        cover = (
            select(note_images.c.file_name, note_images.c.width, note_images.c.height)
            .where(note_images.c.note_id == notes.c.id, note_images.c.position == 0)
            .correlate(notes)
        )
        return select(
            notes.c.id,
            notes.c.title,
            func.substr(notes.c.body, 1, EXCERPT).label("excerpt"),
            notes.c.like_count,
            notes.c.comment_count,
            notes.c.created_bucket,
            notes.c.hot,
            cover.with_only_columns(note_images.c.file_name).scalar_subquery().label("cover"),
            cover.with_only_columns(note_images.c.width).scalar_subquery().label("cover_w"),
            cover.with_only_columns(note_images.c.height).scalar_subquery().label("cover_h"),
        ).where(notes.c.status == "visible", bucket < self._time.public_before())

    def _page(
        self,
        query: Select[Any],
        sort: Any,
        cursor: str | None,
        locale: str,
        limit: int,
        *,
        unique_sort: bool = False,
        tiebreak: Any = notes.c.id,
    ) -> FeedPage:
        after = cursors.decode(cursor)
        self._catch_up()
        if after is not None and unique_sort:
            query = query.where(sort < int(after[0]))
        elif after is not None:
            query = query.where(tuple_(sort, tiebreak) < tuple_(after[0], after[1]))
        order = [sort.desc()] if unique_sort else [sort.desc(), tiebreak.desc()]
        query = query.add_columns(sort.label("sort_key")).order_by(*order).limit(limit + 1)
        with self._db.read() as conn:
            if unique_sort and self._db.dialect == "postgresql":
                rows = self._newest_matches(conn, query, sort, after, limit + 1)
            else:
                rows = [dict(row._mapping) for row in conn.execute(query)]
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = (
            cursors.encode(rows[-1]["sort_key"], rows[-1]["id"]) if more and rows else None
        )
        return FeedPage(items=[self._card(row, locale) for row in rows], next_cursor=next_cursor)

    def _newest_matches(
        self, conn: Connection, query: Select[Any], doc: Any, after: Any, wanted: int
    ) -> list[dict[str, Any]]:
        """Search on PostgreSQL, which cannot read a GIN index in document order.

        First the newest ``SEARCH_WINDOW`` documents are checked in id order, which
        finds a common term at once. If they hold too few matches the term is rare,
        and the older part is read through the GIN index (planner told so: its
        estimates for bigrams are poor), then sorted: few rows by construction.
        """
        recent = select(doc).order_by(doc.desc()).offset(SEARCH_WINDOW - 1).limit(1)
        if after is not None:
            recent = recent.where(doc < int(after[0]))
        edge = conn.scalar(recent)
        if edge is None:  # fewer documents than the window: one pass reads them all
            return [dict(row._mapping) for row in conn.execute(query)]
        rows = [dict(row._mapping) for row in conn.execute(query.where(doc >= edge))]
        if len(rows) < wanted:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
            older = query.where(doc < edge).limit(wanted - len(rows))
            rows += [dict(row._mapping) for row in conn.execute(older)]
        return rows

    def _card(self, row: dict[str, Any], locale: str) -> NoteCard:
        time, ago = self._time.describe(row["created_bucket"], locale)
        cover = None
        if row["cover"]:
            cover = image_view(row["cover"], row["cover_w"], row["cover_h"])
        return NoteCard(
            id=row["id"],
            title=row["title"],
            excerpt=row["excerpt"] or "",
            cover=cover,
            like_count=row["like_count"],
            comment_count=row["comment_count"],
            time=time,
            time_ago=ago,
        )
