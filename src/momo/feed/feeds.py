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
SEARCH_WINDOW = 500  # PostgreSQL search: see FeedService._newest_matches
SEARCH_DAY_READ = 200  # matches the newest day may hold for search to read it whole
FEED_KINDS = ("latest", "discover")


class FeedService:
    def __init__(
        self,
        db: Database,
        time: CoarseTime,
        catch_up: Callable[[], None] = lambda: None,
        discover_limit: int = 0,
    ) -> None:
        self._db = db
        self._time = time
        self._catch_up = catch_up  # publishes ended buckets, so counts are current
        self._discover_limit = discover_limit  # 0: Discover never ends
        self._terms = search_index.TermStatistics(db.read)

    def feed(self, kind: str, cursor: str | None, locale: str, limit: int = PAGE_SIZE) -> FeedPage:
        if kind not in FEED_KINDS:
            raise InvalidInput("kind must be 'latest' or 'discover'", field="kind")
        if kind == "latest":
            return self._page(self._base(), notes.c.created_bucket, cursor, locale, limit)
        # "+ 0" keeps SQLite off ix_notes_latest for the bucket filter: it walks
        # ix_notes_hot in order instead of sorting every visible note.
        query = self._base(bucket=notes.c.created_bucket + 0).where(notes.c.damped.is_(False))
        return self._page(query, notes.c.hot, cursor, locale, limit, ends=self._discover_limit)

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
            raise InvalidInput(
                "a search is at most %(max)s characters", field="q", max=SEARCH_MAX_QUERY
            )
        phrases = text.query_phrases(q)
        if not phrases:
            raise InvalidInput("search for words or characters, not only symbols", field="q")
        found = search_index.matching(phrases, self._db.dialect)
        query = self._base().join_from(notes, found.table, notes.c.search_doc == found.doc)
        return self._page(
            query,
            found.doc,
            cursor,
            locale,
            limit,
            unique_sort=True,
            matching=found,
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
            notes.c.has_context,
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
        matching: search_index.Matching | None = None,
        ends: int = 0,
    ) -> FeedPage:
        """One keyset page. A feed that ``ends`` shows that many items in all and
        then says so: the cursor counts what came before, so deep pages stop too."""
        after = cursors.decode(cursor)
        served = after.served if after is not None else 0
        if ends:
            if served >= ends:
                return FeedPage(items=[], next_cursor=None, caught_up=True)
            limit = min(limit, ends - served)
        self._catch_up()
        if after is not None and unique_sort:
            query = query.where(sort < int(after[0]))
        elif after is not None:
            query = query.where(tuple_(sort, tiebreak) < tuple_(after[0], after[1]))
        order = [sort.desc()] if unique_sort else [sort.desc(), tiebreak.desc()]
        query = query.add_columns(sort.label("sort_key")).order_by(*order).limit(limit + 1)
        with self._db.read() as conn:
            if matching is not None and self._db.dialect == "postgresql":
                rows = self._newest_matches(conn, query, matching, after, limit + 1)
            else:
                if matching is not None:
                    query = query.where(matching.condition)
                rows = [dict(row._mapping) for row in conn.execute(query)]
        more = len(rows) > limit
        rows = rows[:limit]
        served += len(rows)
        caught_up = bool(ends) and (served >= ends or not more)
        next_cursor = None
        if more and rows and not caught_up:
            last = rows[-1]
            next_cursor = cursors.encode(last["sort_key"], last["id"], served if ends else None)
        return FeedPage(
            items=[self._card(row, locale) for row in rows],
            next_cursor=next_cursor,
            caught_up=caught_up,
        )

    def _newest_matches(
        self,
        conn: Connection,
        query: Select[Any],
        found: search_index.Matching,
        after: Any,
        wanted: int,
    ) -> list[dict[str, Any]]:
        """Search on PostgreSQL, which cannot read a GIN index in document order.

        1. The newest ``SEARCH_WINDOW`` documents, read by id and checked by their
           words alone: a common term fills the page here.
        2. Otherwise stretches of days going back (``search_index.stretches``): the
           GIN index intersects the term with each stretch's period lexemes, and
           only the matches of that stretch are read and sorted. The first stretch
           to fill the page holds a few pages of matches at most, whether the term
           is in one note in a hundred or one in a million.

        PostgreSQL's statistics of the index decide where to start: a term with
        fewer matches in all than a window is read whole in one step, and one whose
        newest day holds few matches skips the window (``_window_pays``).

        Python draws the plan; ``search_index.NEWEST_FUNCTION`` walks it inside the
        database and stops at the first stretch that fills the page: two round
        trips in all, the first for the window's edge and the oldest document.
        """
        doc = found.doc
        upper = int(after[0]) if after is not None else None
        edge = select(doc).order_by(doc.desc()).offset(SEARCH_WINDOW - 1).limit(1)
        if upper is not None:
            edge = edge.where(doc < upper)
        lower, oldest = conn.execute(
            select(edge.scalar_subquery(), select(func.min(doc)).scalar_subquery())
        ).one()
        if oldest is None:
            return []
        oldest_day = search_index.day_of(oldest)
        share = self._terms.share(found.phrases)
        plan: list[tuple[str | None, int | None, int | None]]
        if lower is None or (share is not None and share * self._terms.documents <= SEARCH_WINDOW):
            # Fewer documents than a window, or a term so rare that all its matches
            # are fewer: all of them, sorted, with no stretches of days.
            plan = [(found.expression, None, upper)]
        elif self._window_pays(share, lower, upper):
            plan = [(None, lower, upper)]
            plan += [
                (found.within(stretch), None, lower)
                for stretch in search_index.stretches(search_index.day_of(lower - 1), oldest_day)
            ]
        else:
            newest_day = search_index.day_of(self._newest_doc(upper))
            plan = [
                (found.within(stretch), None, upper)
                for stretch in search_index.stretches(newest_day, oldest_day)
            ]
        newest = search_index.newest(plan, found.patterns, self._time.public_before(), wanted)
        rows = conn.execute(query.where(doc.in_(newest)).limit(wanted))
        return [dict(row._mapping) for row in rows]

    def _window_pays(self, share: float | None, lower: int, upper: int | None) -> bool:
        """Whether to read the newest documents first. The window saves reading a
        common term's matches of a whole day; for a rarer one it only costs a second
        GIN scan of the same day when it comes back short. PostgreSQL's statistics
        (``share``, at most) bound how many matches the newest day can hold: few
        enough, and the day is read whole instead."""
        if share is None:
            return True
        newest = self._newest_doc(upper)
        day_start = search_index.day_of(newest) * search_index.DAY_SECONDS
        newest_time, lower_time = (
            newest >> search_index.RANDOM_BITS,
            lower >> search_index.RANDOM_BITS,
        )
        if lower_time < day_start:
            documents: float = SEARCH_WINDOW  # the whole newest day fits in the window
        elif newest_time <= lower_time:
            return True  # a window's worth in one bucket: no rate to go by
        else:  # the window's pace, kept up since the day began
            documents = SEARCH_WINDOW * (newest_time - day_start) / (newest_time - lower_time)
        return share * documents > SEARCH_DAY_READ

    def _newest_doc(self, upper: int | None) -> int:
        """The newest document id a page may show: below the cursor, or up to now."""
        if upper is not None:
            return upper - 1
        return search_index.first_doc(self._time.public_before())

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
            has_context=bool(row["has_context"]),
            time=time,
            time_ago=ago,
        )
