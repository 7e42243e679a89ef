"""The full-text index behind search: FTS5 on SQLite, a GIN index on PostgreSQL.

Both index the same tokens (``text.index_tokens``: character bigrams for Han
and kana, words for the rest, Traditional folded to Simplified) and answer the
same phrase queries, so a result never depends on the database. FTS5 is fed the
tokens and checks phrases by their positions. PostgreSQL stores a note's
``text.index_words`` (the runs and words the tokens come from), indexes the
tokens an SQL function reads off them, and checks a phrase with LIKE on the
words: positions stored for its ``<->`` operator took three times the text.

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
import re
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

# PostgreSQL stores each document as its ``index_words`` and indexes the terms an
# IMMUTABLE function reads off them: a run of Han or kana gives its bigrams and
# last character (``substr(run, i, 2)`` for every i), a word gives itself, and the
# document id gives its period lexemes. The terms themselves are never stored, and
# the phrase check is a LIKE over the words; a stored tsvector with positions took
# three times the text.
TERMS_FUNCTION = "note_search_terms"
DAY_SECONDS = 86_400
PERIODS = (("a", 1), ("b", 8), ("c", 64))  # lexeme prefix, width in days
_DAY = f"(doc >> {RANDOM_BITS}) / {DAY_SECONDS}"
_PERIODS = ", ".join(f"'~{name}' || ({_DAY} / {width})" for name, width in PERIODS)
_IS_RUN = " OR ".join(
    f"ascii(piece) BETWEEN {low} AND {high}" for low, high in content_text.RUN_RANGES
)
INDEX = f"ix_{FTS_TABLE}_terms"


def terms_of(alias: str) -> str:
    """The indexed expression, over the search table under ``alias``: a query must
    spell it so for PostgreSQL to use the index."""
    return f"{TERMS_FUNCTION}({alias}.doc, {alias}.words)"


# A bulk load's one-off build (PostgreSQL's default is 64 MB). It is a ceiling, not
# a reservation: GIN takes what its terms need, about 2 KB a note, so a million
# notes fit in one pass and a small instance uses a few megabytes.
INDEX_BUILD_MEMORY = "2GB"
MERGE_PENDING = f"SELECT gin_clean_pending_list(CAST('{INDEX}' AS regclass))"
_MEMORY = re.compile(r"[1-9][0-9]{0,6}(kB|MB|GB)")
POSTGRES_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON {FTS_TABLE} USING gin ({terms_of(FTS_TABLE)})"
)
POSTGRES_TERMS = f"""CREATE FUNCTION {TERMS_FUNCTION}(doc bigint, words text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
SELECT array_to_tsvector(ARRAY(
    SELECT CASE WHEN run THEN substr(piece, i, 2) ELSE piece END
    FROM string_to_table(btrim(words, ' '), ' ') AS piece,
        LATERAL (SELECT {_IS_RUN} AS run) AS kind,
        generate_series(1, CASE WHEN run THEN length(piece) ELSE 1 END) AS i
    WHERE piece <> ''
) || ARRAY[{_PERIODS}])
$$"""
POSTGRES_TABLE = f"CREATE TABLE {FTS_TABLE} (doc bigint PRIMARY KEY, words text NOT NULL)"

NEWEST_FUNCTION = "note_search_newest"
NEWEST_SIGNATURE = f"{NEWEST_FUNCTION}(tsquery[], text[], bigint[], bigint[], integer, integer)"
# One step of PostgreSQL search: the visible matches among documents whose words
# hold every LIKE pattern of $2 and whose terms match query $1 (left out when
# NULL: the newest-documents window reads its few hundred rows by id, and the
# words alone decide), inside the id range [$3, $4) (either bound left out when
# NULL), newest first. "doc + 0" keeps the planner from walking the id index in
# order and testing every document: the matches come from the GIN index, are
# sorted, and are then checked against the notes one by one until $6 are found.
# ``{match}`` and ``{bounds}`` are filled by the caller.
NEWEST_STEP = (
    f"SELECT m.doc FROM (SELECT s.doc + 0 AS doc FROM {FTS_TABLE} s WHERE s.words LIKE ALL ($2)"
    "{match}{bounds} ORDER BY 1 DESC OFFSET 0) m WHERE EXISTS (SELECT FROM notes n"
    " WHERE n.search_doc = m.doc AND n.status = 'visible' AND n.created_bucket < $5)"
    " ORDER BY m.doc DESC LIMIT $6"
)
MATCH = f" AND {terms_of('s')} @@ $1"
LOW_BOUND, HIGH_BOUND = " AND s.doc >= $3", " AND s.doc < $4"
# Each match is looked up in the notes by its id until the page is full: a merge or
# hash join would read notes that are not matches (a merge join walked the id index
# down from the newest document to the stretch). A bitmap of a long stretch's
# matches that outgrew work_mem went lossy, and every row of a lossy page had its
# terms derived again (22 s for one stretch at a million notes). Parallel workers
# took longer to start than a step of a few thousand matches takes to read.
STEP_SETTINGS = (
    "SET enable_seqscan = off SET enable_mergejoin = off SET enable_hashjoin = off"
    " SET work_mem = '64MB' SET max_parallel_workers_per_gather = 0"
)
# The walk over stretches of days (``FeedService`` search) runs in the database: one
# round trip for what took two per stretch. It takes the steps in order and stops
# at the first that fills the page; only visible, published notes count, so a step
# that comes back short has no more to give. EXECUTE plans each step with its
# actual values, where a prepared generic plan would guess at a tsquery's
# selectivity.
_STEP_LITERAL = (
    NEWEST_STEP.replace("'", "''")
    .replace("{match}", "' || match || '")
    .replace("{bounds}", "' || bounds || '")
)
POSTGRES_NEWEST = f"""
CREATE OR REPLACE FUNCTION {NEWEST_FUNCTION}(
    queries tsquery[], patterns text[], lows bigint[], belows bigint[], public_before integer,
    wanted integer
) RETURNS SETOF bigint
LANGUAGE plpgsql STABLE ROWS 21
{STEP_SETTINGS}
AS $$
DECLARE
    i integer;
    found integer := 0;
    got integer;
    match text;
    bounds text;
BEGIN
    FOR i IN 1 .. coalesce(array_length(queries, 1), 0) LOOP
        match := '';
        IF queries[i] IS NOT NULL THEN match := '{MATCH}'; END IF;
        bounds := '';
        IF lows[i] IS NOT NULL THEN bounds := bounds || '{LOW_BOUND}'; END IF;
        IF belows[i] IS NOT NULL THEN bounds := bounds || '{HIGH_BOUND}'; END IF;
        RETURN QUERY EXECUTE '{_STEP_LITERAL}'
            USING queries[i], patterns, lows[i], belows[i], public_before, wanted - found;
        GET DIAGNOSTICS got = ROW_COUNT;
        found := found + got;
        EXIT WHEN found >= wanted;
    END LOOP;
END
$$
"""


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
    # Every term of every phrase, in any order: GIN finds the documents that hold
    # them all, and ``like_patterns`` then keeps those that hold them in order.
    lexemes: dict[str, None] = {}
    for phrase in phrases:
        for position, token in enumerate(phrase.tokens, start=1):
            prefix = phrase.prefix and position == len(phrase.tokens)
            lexemes[f"'{token}'" + (":*" if prefix else "")] = None
    return " & ".join(lexemes)


def like_patterns(phrases: Sequence[content_text.Phrase]) -> list[str]:
    """PostgreSQL: one LIKE pattern per phrase over a document's words. Words hold
    letters and digits only, so no pattern character can come from the query."""
    return [f"%{phrase.words}%" for phrase in phrases]


@dataclass(frozen=True)
class Matching:
    """What a query joins to find matches: the index table, its document id column
    (newest first when sorted descending) and the match condition."""

    table: TableClause
    doc: ColumnElement[int]
    condition: ColumnElement[bool]
    expression: str
    phrases: tuple[content_text.Phrase, ...] = ()

    @property
    def patterns(self) -> list[str]:
        return like_patterns(self.phrases)

    def within(self, stretch: Sequence[str]) -> str:
        """PostgreSQL: the query, limited inside the GIN index to a stretch of days."""
        periods = " | ".join(f"'{lexeme}'" for lexeme in stretch)
        return f"({self.expression}) & ({periods})"


def newest(
    plan: Sequence[tuple[str | None, int | None, int | None]],
    patterns: Sequence[str],
    public_before: int,
    wanted: int,
) -> TextualSelect:
    """PostgreSQL: the ``wanted`` newest visible matches of a plan of ``(tsquery or
    None, lowest id, id below)`` steps, taken in order until one fills the page,
    whose words hold every LIKE pattern."""
    queries, lows, belows = (list(part) for part in zip(*plan, strict=True))
    return (
        text(
            f"SELECT {NEWEST_FUNCTION}(CAST(:queries AS tsquery[]), CAST(:patterns AS text[]),"
            " CAST(:lows AS bigint[]), CAST(:belows AS bigint[]), :public_before, :wanted)"
        )
        .bindparams(
            queries=queries,
            patterns=list(patterns),
            lows=lows,
            belows=belows,
            public_before=public_before,
            wanted=wanted,
        )
        .columns(column(NEWEST_FUNCTION, BigInteger))
    )


def matching(phrases: Sequence[content_text.Phrase], dialect: str) -> Matching:
    expression = match_expression(phrases, dialect)
    if dialect == "sqlite":
        fts = table(FTS_TABLE, column("rowid"))
        condition = text(f"{FTS_TABLE} MATCH :match").bindparams(match=expression)
        return Matching(fts, fts.c.rowid, condition, expression, tuple(phrases))  # type: ignore[arg-type]
    gin = table(FTS_TABLE, column("doc"), column("words"))
    condition = text(
        f"{terms_of(FTS_TABLE)} @@ CAST(:match AS tsquery)"
        f" AND {FTS_TABLE}.words LIKE ALL (CAST(:patterns AS text[]))"
    ).bindparams(match=expression, patterns=like_patterns(phrases))
    return Matching(gin, gin.c.doc, condition, expression, tuple(phrases))  # type: ignore[arg-type]


STATISTICS_SECONDS = 300.0
# How many lexemes ANALYZE keeps the share of: ten per unit of target, so the rarest
# it lists (and so any term it does not) is in about 0.03% of documents, not 1.3%
# as at the default. ANALYZE then samples up to 3 million rows, deriving each one's
# terms again (about a minute at a million notes).
STATISTICS_TARGET = 10_000
POSTGRES_STATISTICS = f"ALTER INDEX {INDEX} ALTER COLUMN 1 SET STATISTICS {STATISTICS_TARGET}"
# PostgreSQL's statistics of the index column: the most common lexemes and the share
# of documents holding each, then the smallest and largest of those shares; and the
# number of documents.
_COMMON_TERMS = text(
    "SELECT most_common_elems::text::text[] AS terms, most_common_elem_freqs AS shares,"
    " (SELECT reltuples FROM pg_class WHERE oid = CAST(:table AS regclass)) AS documents"
    f" FROM pg_stats WHERE tablename = '{INDEX}' AND attname = '{TERMS_FUNCTION}'"
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


def _document(title: str, body: str) -> list[str]:
    return content_text.index_tokens(f"{title}\n{body}")


def _stored(dialect: str, title: str, body: str) -> str:
    """What the index stores for a note: FTS5 its tokens, PostgreSQL its words."""
    if dialect == "sqlite":
        return " ".join(_document(title, body))
    return content_text.index_words(f"{title}\n{body}")


@dataclass(frozen=True)
class IndexedNote:
    id: str
    title: str
    body: str
    created_bucket: int


class SearchIndex:
    """Writes to the index; queries are composed by the feed (``FeedService.search``)."""

    def __init__(self, build_memory: str = INDEX_BUILD_MEMORY) -> None:
        self._build_memory = build_memory

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
        dialect = conn.dialect.name
        rows = [
            {"doc": doc, "stored": _stored(dialect, note.title, note.body)}
            for doc, note in sorted(zip(docs, batch, strict=True), key=lambda pair: pair[0])
        ]
        if rows:
            conn.execute(self._insert_statement(conn), rows)

    @staticmethod
    def stored_terms(dialect: str, title: str, body: str) -> str:
        """What the index stores for one document: the bulk path prepares these
        outside any transaction, in as many processes as it likes."""
        return _stored(dialect, title, body)

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
                cursor.copy(f"COPY {FTS_TABLE} (doc, words) FROM STDIN") as copy,
            ):
                for row in batch:
                    copy.write_row(row)
        elif batch:
            statement = self._insert_statement(conn).compile(dialect=conn.dialect)
            if statement.positional:
                conn.exec_driver_sql(str(statement), batch)
            else:
                conn.exec_driver_sql(str(statement), [{"doc": d, "stored": t} for d, t in batch])

    def set_bulk_loading(self, conn: Connection, bulk: bool) -> None:
        """Before and after a bulk load. SQLite: FTS5 writes a segment whenever its
        pending terms pass ``hashsize`` (1 MB), a few hundred notes; a load of
        thousands per transaction wrote and merged dozens of segments each time.
        PostgreSQL: the GIN index is dropped for the load and built again after
        it, as a restore does; grown a batch at a time, it came out four to five
        times the size of one built in a single pass (75 against 16 MB at 20,000
        notes). Search finds nothing until the load ends."""
        if conn.dialect.name == "sqlite":
            size = BULK_HASH_BYTES if bulk else DEFAULT_HASH_BYTES
            conn.execute(
                text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', :size)"),
                {"size": size},
            )
        elif bulk:
            conn.execute(text(f"DROP INDEX IF EXISTS {INDEX}"))
        else:
            self.build_postgres_index(conn, self._build_memory)

    @staticmethod
    def build_postgres_index(conn: Connection, memory: str = INDEX_BUILD_MEMORY) -> None:
        """Build the GIN index over every stored document in one pass. GIN gathers
        terms in ``maintenance_work_mem`` and merges each batch into the index: at
        a million notes one batch (2 GB) gave 662 MB, batches of 1 GB 862 MB and of
        256 MB 907 MB: every batch merged into the index splits its pages."""
        if not _MEMORY.fullmatch(memory):  # it is spliced into the statement
            raise ValueError(f"not a PostgreSQL memory size such as '2GB': {memory!r}")
        conn.execute(text(f"SET LOCAL maintenance_work_mem = '{memory}'"))
        conn.execute(text(POSTGRES_INDEX))
        conn.execute(text(POSTGRES_STATISTICS))

    @staticmethod
    def merge_pending(conn: Connection) -> int:
        """PostgreSQL: move the entries waiting in the GIN index's pending list into
        the index proper; returns how many pages it emptied. New documents' entries
        wait there, unsorted, until the list passes 4 MB, and every search step
        scans the whole list: at a million notes, 4,676 waiting documents made
        searches 10–35% slower. Merged after each release, in bulk (about 2 ms a
        note, against 3 ms inserted one by one with ``fastupdate`` off), the list
        stays short. SQLite: nothing to do."""
        if conn.dialect.name != "postgresql":
            return 0
        merged = conn.execute(text(MERGE_PENDING)).scalar()
        return int(merged or 0)

    def replace(self, conn: Connection, note_id: str, title: str, body: str) -> None:
        """After an edit: drop the old tokens (from the text still stored) and add the new."""
        doc = self.remove(conn, note_id)
        if doc is not None:
            conn.execute(
                self._insert_statement(conn),
                {"doc": doc, "stored": _stored(conn.dialect.name, title, body)},
            )

    def remove(self, conn: Connection, note_id: str) -> int | None:
        """Take a note out of the index (before it is deleted or edited); returns its
        document id, or None when it was not indexed."""
        row = conn.execute(
            select(notes.c.search_doc, notes.c.title, notes.c.body).where(notes.c.id == note_id)
        ).first()
        if row is None or row.search_doc is None:
            return None
        if conn.dialect.name == "sqlite":
            conn.execute(
                text(
                    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, terms) "
                    "VALUES ('delete', :doc, :terms)"
                ),
                {"doc": row.search_doc, "terms": _stored("sqlite", row.title, row.body)},
            )
        else:
            conn.execute(text(f"DELETE FROM {FTS_TABLE} WHERE doc = :doc"), {"doc": row.search_doc})
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

    def _insert_statement(self, conn: Connection) -> TextClause:
        if conn.dialect.name == "sqlite":
            return text(f"INSERT INTO {FTS_TABLE}(rowid, terms) VALUES (:doc, :stored)")
        return text(f"INSERT INTO {FTS_TABLE}(doc, words) VALUES (:doc, :stored)")
