"""The full-text index behind search: FTS5 on SQLite, a GIN index on PostgreSQL.

Both hold the same token sequence (``text.index_tokens``: character bigrams for
Han and kana, words for the rest, Traditional folded to Simplified) and answer
the same phrase queries, so a result never depends on the database.

A note enters the index when its bucket is published, together with the rest
of the bucket. Its document id is ``bucket << 20 | random``: newest-first order
by bucket is the id order, and inside a bucket the id says nothing about who
wrote first. Documents go in by ascending id, which inside a bucket is an order
drawn at random: FTS5 starts a new segment whenever an id is lower than the one
before, so a shuffled batch of n documents wrote about n/2 tiny segments for the
merger to fold together again (half as much indexing work again on benchmark
notes). The SQLite table is contentless (it stores no text, only the inverted
index), so deleting a document needs its tokens again; they are recomputed from
the note's stored text.

On PostgreSQL each document also carries the day of its bucket as lexemes at
three widths (``~a`` one day, ``~b`` eight, ``~c`` sixty-four). A GIN index
returns matches in no order; ANDing the query with a stretch of days lets the
index itself pick the newest matches of a term, however common, before a
single row is read (``stretches``). The day is coarser than the bucket that
every note shows, so this tells nothing new.
"""

from __future__ import annotations

import logging
import random
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    TableClause,
    TextClause,
    TextualSelect,
    bindparam,
    column,
    select,
    table,
    text,
    update,
)

from momo.content import text as content_text
from momo.content.tables import notes

log = logging.getLogger(__name__)

RANDOM_BITS = 20
FTS_TABLE = "note_search"
# Contentless (content=''): the index keeps no copy of the text, only tokens.
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "terms, content='', columnsize=0, tokenize='unicode61 remove_diacritics 0')"
)
DEFAULT_HASH_BYTES, BULK_HASH_BYTES = 1024 * 1024, 64 * 1024 * 1024
POSTGRES_DDL = (
    f"CREATE TABLE {FTS_TABLE} (doc bigint PRIMARY KEY, terms tsvector NOT NULL)",
    f"CREATE INDEX ix_{FTS_TABLE}_terms ON {FTS_TABLE} USING gin (terms)",
)

NEWEST_FUNCTION = "note_search_newest"
# One step of PostgreSQL search: the visible matches of query $1 inside the id range
# [$2, $3) (either bound left out by the caller when NULL), newest first. "doc + 0"
# keeps the planner from walking the id index in order and testing every document:
# the matches come from the GIN index, are sorted, and are then checked against the
# notes one by one until $5 are found. ``{bounds}`` is filled with the range.
NEWEST_STEP = (
    f"SELECT m.doc FROM (SELECT s.doc + 0 AS doc FROM {FTS_TABLE} s WHERE s.terms @@ $1"
    "{bounds} ORDER BY 1 DESC OFFSET 0) m WHERE EXISTS (SELECT FROM notes n"
    " WHERE n.search_doc = m.doc AND n.status = 'visible' AND n.created_bucket < $4)"
    " ORDER BY m.doc DESC LIMIT $5"
)
LOW_BOUND, HIGH_BOUND = " AND s.doc >= $2", " AND s.doc < $3"
# Each match is looked up in the notes by its id until the page is full: a merge or
# hash join would read notes that are not matches (a merge join walked the id index
# down from the newest document to the stretch).
STEP_SETTINGS = "SET enable_seqscan = off SET enable_mergejoin = off SET enable_hashjoin = off"
# The walk over stretches of days (``FeedService`` search) runs in the database: one
# round trip for what took two per stretch. It takes the steps in order and stops
# at the first that fills the page; only visible, published notes count, so a step
# that comes back short has no more to give. EXECUTE plans each step with its
# actual values, where a prepared generic plan would guess at a tsquery's
# selectivity.
_STEP_LITERAL = NEWEST_STEP.replace("'", "''").replace("{bounds}", "' || bounds || '")
POSTGRES_NEWEST = f"""
CREATE OR REPLACE FUNCTION {NEWEST_FUNCTION}(
    queries tsquery[], lows bigint[], belows bigint[], public_before integer, wanted integer
) RETURNS SETOF bigint
LANGUAGE plpgsql STABLE ROWS 21
{STEP_SETTINGS}
AS $$
DECLARE
    i integer;
    found integer := 0;
    got integer;
    bounds text;
BEGIN
    FOR i IN 1 .. coalesce(array_length(queries, 1), 0) LOOP
        bounds := '';
        IF lows[i] IS NOT NULL THEN bounds := bounds || '{LOW_BOUND}'; END IF;
        IF belows[i] IS NOT NULL THEN bounds := bounds || '{HIGH_BOUND}'; END IF;
        RETURN QUERY EXECUTE '{_STEP_LITERAL}'
            USING queries[i], lows[i], belows[i], public_before, wanted - found;
        GET DIAGNOSTICS got = ROW_COUNT;
        found := found + got;
        EXIT WHEN found >= wanted;
    END LOOP;
END
$$
"""


DAY_SECONDS = 86_400
PERIODS = (("a", 1), ("b", 8), ("c", 64))  # lexeme prefix, width in days


def first_doc(bucket_start: int) -> int:
    return bucket_start << RANDOM_BITS


def day_of(doc: int) -> int:
    return (doc >> RANDOM_BITS) // DAY_SECONDS


def period_lexemes(doc: int) -> list[str]:
    day = day_of(doc)
    return [f"~{name}{day // width}" for name, width in PERIODS]


def stretches(newest_day: int, oldest_day: int) -> Iterator[list[str]]:
    """Disjoint stretches of time from ``newest_day`` back to ``oldest_day``, newest
    first, each named by the period lexemes it ORs together: the newest day, the
    rest of its 8-day period, the rest of its 64-day period, then 64-day periods in
    groups of 1, 2, 4 …. Each stretch is at most about eight times the time before
    it, so the first that fills a page holds only a few pages of matches, and a
    term that never matches costs a logarithmic number of index probes."""
    yield [f"~a{newest_day}"]
    first_of_eight = newest_day // 8 * 8
    days = range(newest_day - 1, max(first_of_eight, oldest_day) - 1, -1)
    if days:
        yield [f"~a{day}" for day in days]
    eight = newest_day // 8
    first_of_64 = eight // 8 * 8
    eights = [e for e in range(eight - 1, first_of_64 - 1, -1) if e * 8 + 7 >= oldest_day]
    if eights:
        yield [f"~b{e}" for e in eights]
    sixty_four, group = eight // 8 - 1, 1
    while sixty_four >= 0 and sixty_four * 64 + 63 >= oldest_day:
        lowest = max(sixty_four - group + 1, 0)
        yield [f"~c{c}" for c in range(sixty_four, lowest - 1, -1) if c * 64 + 63 >= oldest_day]
        sixty_four, group = lowest - 1, group * 2


def match_expression(phrases: Sequence[content_text.Phrase], dialect: str) -> str:
    """The query string: an FTS5 MATCH expression or a PostgreSQL tsquery."""
    if dialect == "sqlite":
        # Tokens hold letters and digits only, so quoting cannot be escaped from.
        return " AND ".join(
            f'"{" ".join(phrase.tokens)}"' + ("*" if phrase.prefix else "") for phrase in phrases
        )
    parts = []
    for phrase in phrases:
        lexemes = [f"'{token}'" for token in phrase.tokens]
        if phrase.prefix:
            lexemes[-1] += ":*"
        parts.append("(" + " <-> ".join(lexemes) + ")")
    return " & ".join(parts)


@dataclass(frozen=True)
class Matching:
    """What a query joins to find matches: the index table, its document id column
    (newest first when sorted descending) and the match condition."""

    table: TableClause
    doc: ColumnElement[int]
    condition: ColumnElement[bool]
    expression: str
    phrases: tuple[content_text.Phrase, ...] = ()

    def within(self, stretch: Sequence[str]) -> str:
        """PostgreSQL: the query, limited inside the GIN index to a stretch of days."""
        periods = " | ".join(f"'{lexeme}'" for lexeme in stretch)
        return f"({self.expression}) & ({periods})"


def newest(
    plan: Sequence[tuple[str, int | None, int | None]], public_before: int, wanted: int
) -> TextualSelect:
    """PostgreSQL: the ``wanted`` newest visible matches of a plan of ``(tsquery,
    lowest id, id below)`` steps, taken in order until one fills the page."""
    queries, lows, belows = (list(part) for part in zip(*plan, strict=True))
    return (
        text(
            f"SELECT {NEWEST_FUNCTION}(CAST(:queries AS tsquery[]), CAST(:lows AS bigint[]),"
            " CAST(:belows AS bigint[]), :public_before, :wanted)"
        )
        .bindparams(
            queries=queries, lows=lows, belows=belows, public_before=public_before, wanted=wanted
        )
        .columns(column(NEWEST_FUNCTION, BigInteger))
    )


def matching(phrases: Sequence[content_text.Phrase], dialect: str) -> Matching:
    expression = match_expression(phrases, dialect)
    if dialect == "sqlite":
        fts = table(FTS_TABLE, column("rowid"))
        condition = text(f"{FTS_TABLE} MATCH :match").bindparams(match=expression)
        return Matching(fts, fts.c.rowid, condition, expression, tuple(phrases))  # type: ignore[arg-type]
    gin = table(FTS_TABLE, column("doc"), column("terms"))
    condition = text(f"{FTS_TABLE}.terms @@ CAST(:match AS tsquery)").bindparams(match=expression)
    return Matching(gin, gin.c.doc, condition, expression, tuple(phrases))  # type: ignore[arg-type]


STATISTICS_SECONDS = 300.0
# How many lexemes ANALYZE keeps the share of: ten per unit of target, so the rarest
# it lists (and so any term it does not) is in about 0.03% of documents, not 1.3%
# as at the default. ANALYZE then reads up to 3 million rows (17 s at a million).
STATISTICS_TARGET = 10_000
POSTGRES_STATISTICS = (
    f"ALTER TABLE {FTS_TABLE} ALTER COLUMN terms SET STATISTICS {STATISTICS_TARGET}"
)
# PostgreSQL's statistics of the index column: the most common lexemes and the share
# of documents holding each, then the smallest and largest of those shares; and the
# number of documents.
_COMMON_TERMS = text(
    "SELECT most_common_elems::text::text[] AS terms, most_common_elem_freqs AS shares,"
    " (SELECT reltuples FROM pg_class WHERE oid = CAST(:table AS regclass)) AS documents"
    f" FROM pg_stats WHERE tablename = '{FTS_TABLE}' AND attname = 'terms'"
    " AND schemaname = current_schema()"
).bindparams(table=FTS_TABLE)


class TermStatistics:
    """How common index terms are, from what PostgreSQL's ANALYZE (autovacuum) keeps
    about the index column. Only anonymous aggregates: shares of documents, never
    which ones. They steer how a search reads the index, never what it finds.

    Read in a background thread every ``STATISTICS_SECONDS`` (at a million notes the
    list is 70,000 terms and takes tens of milliseconds to load), so no search
    waits for it; until the first read, every term counts as possibly common."""

    def __init__(
        self,
        read: Callable[[], AbstractContextManager[Connection]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self._clock = clock
        self._lock = threading.Lock()
        self._read_at = -STATISTICS_SECONDS
        self._shares: dict[str, float] = {}
        self._floor: float | None = None  # no term outside the list is more common
        self.documents = 0.0  # in the index, as of the last ANALYZE

    def share(self, phrases: Sequence[content_text.Phrase]) -> float | None:
        """At most this share of documents matches every phrase: the share of its
        rarest term. None without statistics yet, or for a prefix phrase (which may
        stand for many terms)."""
        with self._lock:
            stale = self._clock() - self._read_at >= STATISTICS_SECONDS
            if stale:
                self._read_at = self._clock()
            shares, floor = self._shares, self._floor
        if stale:
            threading.Thread(target=self._refresh_quietly, daemon=True).start()
        if floor is None or not phrases or any(p.prefix for p in phrases):
            return None
        return min(shares.get(token, floor) for p in phrases for token in p.tokens)

    def refresh(self) -> None:
        """Read the statistics now."""
        with self._read() as conn:
            row = conn.execute(_COMMON_TERMS).first()
        shares: dict[str, float] = {}
        floor, documents = None, 0.0
        if row is not None and row.terms and row.shares:
            shares = dict(zip(row.terms, row.shares[: len(row.terms)], strict=True))
            floor = float(row.shares[len(row.terms)])  # the smallest share listed
            documents = max(float(row.documents or 0), 0.0)
        with self._lock:
            self._shares, self._floor, self.documents = shares, floor, documents

    def _refresh_quietly(self) -> None:
        try:
            self.refresh()
        except Exception:  # the database went away: tried again in STATISTICS_SECONDS
            log.warning("could not read the search index's statistics", exc_info=True)


def _tsvector(tokens: Sequence[str], doc: int) -> str:
    # PostgreSQL keeps positions up to 16383; later ones share that last position.
    positioned = (f"'{token}':{min(i + 1, 16383)}" for i, token in enumerate(tokens))
    return " ".join([*positioned, *(f"'{lexeme}'" for lexeme in period_lexemes(doc))])


def _document(title: str, body: str) -> list[str]:
    return content_text.index_tokens(f"{title}\n{body}")


@dataclass(frozen=True)
class IndexedNote:
    id: str
    title: str
    body: str
    created_bucket: int


class SearchIndex:
    """Writes to the index; queries are composed by the feed (``FeedService.search``)."""

    def add(self, conn: Connection, released: Iterable[IndexedNote]) -> None:
        """Index newly published notes, each under a fresh random document id, in the
        order of those ids."""
        batch = list(released)
        random.SystemRandom().shuffle(batch)
        docs = self._free_docs(conn, [note.created_bucket for note in batch])
        if batch:
            conn.execute(
                update(notes)
                .where(notes.c.id == bindparam("note"))
                .values(search_doc=bindparam("doc")),
                [{"note": n.id, "doc": d} for n, d in zip(batch, docs, strict=True)],
            )
        rows = [
            {"doc": doc, "terms": self._terms(conn, _document(note.title, note.body), doc)}
            for doc, note in sorted(zip(docs, batch, strict=True), key=lambda pair: pair[0])
        ]
        if rows:
            conn.execute(self._insert_statement(conn), rows)

    @staticmethod
    def stored_terms(dialect: str, doc: int, title: str, body: str) -> str:
        """What the index stores for one document: the bulk path prepares these
        outside any transaction, in as many processes as it likes."""
        tokens = _document(title, body)
        return " ".join(tokens) if dialect == "sqlite" else _tsvector(tokens, doc)

    def add_prepared(self, conn: Connection, documents: Sequence[tuple[int, str]]) -> None:
        """Bulk path for imports and benchmarks: ``(document id, stored terms)``,
        with ids the caller drew (``first_doc(bucket) | random``), knows to be
        unused, and wrote into each note's ``search_doc`` as it inserted the note.
        By ascending id, like ``add``; straight to the driver, as it is the bulk of a
        load."""
        batch = sorted(documents)
        if batch and conn.dialect.name == "postgresql":
            with (
                conn.connection.cursor() as cursor,  # type: ignore[attr-defined]
                cursor.copy(f"COPY {FTS_TABLE} (doc, terms) FROM STDIN") as copy,
            ):
                for row in batch:
                    copy.write_row(row)
        elif batch:
            statement = self._insert_statement(conn).compile(dialect=conn.dialect)
            if statement.positional:
                conn.exec_driver_sql(str(statement), batch)
            else:
                conn.exec_driver_sql(str(statement), [{"doc": d, "terms": t} for d, t in batch])

    def set_bulk_loading(self, conn: Connection, bulk: bool) -> None:
        """Before and after a bulk load on SQLite: FTS5 writes a segment whenever its
        pending terms pass ``hashsize`` (1 MB), a few hundred notes; a load of
        thousands per transaction wrote and merged dozens of segments each time."""
        if conn.dialect.name == "sqlite":
            size = BULK_HASH_BYTES if bulk else DEFAULT_HASH_BYTES
            conn.execute(
                text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', :size)"),
                {"size": size},
            )

    def replace(self, conn: Connection, note_id: str, title: str, body: str) -> None:
        """After an edit: drop the old tokens (from the text still stored) and add the new."""
        doc = self.remove(conn, note_id)
        if doc is not None:
            self._insert(conn, doc, _document(title, body))

    def remove(self, conn: Connection, note_id: str) -> int | None:
        """Take a note out of the index (before it is deleted or edited); returns its
        document id, or None when it was not indexed."""
        row = conn.execute(
            select(notes.c.search_doc, notes.c.title, notes.c.body).where(notes.c.id == note_id)
        ).first()
        if row is None or row.search_doc is None:
            return None
        self._delete(conn, row.search_doc, _document(row.title, row.body))
        return int(row.search_doc)

    def rebuild(self, conn: Connection) -> int:
        """Empty the index and index every published note again (upgrades, repairs)."""
        if conn.dialect.name == "sqlite":
            conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')"))
        else:
            conn.execute(text(f"DELETE FROM {FTS_TABLE}"))
        conn.execute(update(notes).values(search_doc=None))
        rows = conn.execute(
            select(notes.c.id, notes.c.title, notes.c.body, notes.c.created_bucket).where(
                notes.c.published.is_(True)
            )
        ).all()
        self.add(conn, (IndexedNote(r.id, r.title, r.body, r.created_bucket) for r in rows))
        self.optimize(conn)
        return len(rows)

    def optimize(self, conn: Connection) -> None:
        """Merge the index into one segment, so no segment boundary tells of batches."""
        if conn.dialect.name == "sqlite":
            conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))

    def _free_docs(self, conn: Connection, buckets: list[int]) -> list[int]:
        """A distinct, unused document id for each bucket given, in the same order."""
        docs = [0] * len(buckets)
        taken: set[int] = set()
        pending = list(range(len(buckets)))
        while pending:
            wanted = {i: first_doc(buckets[i]) | secrets.randbits(RANDOM_BITS) for i in pending}
            used = set(
                conn.scalars(
                    select(notes.c.search_doc).where(notes.c.search_doc.in_(list(wanted.values())))
                )
            )
            pending = []
            for i, doc in wanted.items():
                if doc in used or doc in taken:
                    pending.append(i)  # drawn twice: draw again
                else:
                    taken.add(doc)
                    docs[i] = doc
        return docs

    def _terms(self, conn: Connection, tokens: list[str], doc: int) -> str:
        return " ".join(tokens) if conn.dialect.name == "sqlite" else _tsvector(tokens, doc)

    def _insert_statement(self, conn: Connection) -> TextClause:
        if conn.dialect.name == "sqlite":
            return text(f"INSERT INTO {FTS_TABLE}(rowid, terms) VALUES (:doc, :terms)")
        return text(f"INSERT INTO {FTS_TABLE}(doc, terms) VALUES (:doc, CAST(:terms AS tsvector))")

    def _insert(self, conn: Connection, doc: int, tokens: list[str]) -> None:
        conn.execute(
            self._insert_statement(conn), {"doc": doc, "terms": self._terms(conn, tokens, doc)}
        )

    def _delete(self, conn: Connection, doc: int, tokens: list[str]) -> None:
        if conn.dialect.name == "sqlite":
            conn.execute(
                text(
                    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, terms) "
                    "VALUES ('delete', :doc, :terms)"
                ),
                {"doc": doc, "terms": " ".join(tokens)},
            )
        else:
            conn.execute(
                text(f"DELETE FROM {FTS_TABLE} WHERE doc = :doc").bindparams(bindparam("doc", doc))
            )
