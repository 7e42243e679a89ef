"""Search through the full-text index: what matches, in which order, and full pages."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import Connection, update
from sqlalchemy import text as sql

from momo.config import Settings
from momo.content import search_index
from momo.content.search_index import SearchIndex
from momo.content.tables import notes
from momo.content.text import RUN_RANGES, fold, index_tokens, index_words, query_phrases
from momo.core import Momo
from momo.errors import InvalidInput
from momo.storage.database import Database
from tests.conftest import PG_URL, publish, viewers, with_schema


def _found(momo: Momo, q: str) -> set[str]:
    return {card.id for card in momo.feeds.search(q, None, "en", limit=100).items}


def test_traditional_and_simplified_find_each_other(momo: Momo) -> None:
    (author,) = viewers(momo, 1)
    taiwan = momo.notes.create(author, "台灣美食地圖", "夜市小吃")
    hair = momo.notes.create(author, "头发护理", "洗发水推荐")
    publish(momo)
    assert _found(momo, "台湾") == _found(momo, "台灣") == {taiwan}
    assert _found(momo, "頭髮") == _found(momo, "头发") == {hair}
    assert _found(momo, "臺灣美食") == {taiwan}


def test_one_character_phrases_and_run_edges(momo: Momo) -> None:
    people = viewers(momo, 2)
    cat_end = momo.notes.create(people[0], "我家的猫", "")
    cat_start = momo.notes.create(people[0], "猫咪日记", "")
    split = momo.notes.create(people[1], "今天天。天气", "")
    weather = momo.notes.create(people[1], "今天天气很好", "")
    phone = momo.notes.create(people[1], "新买的iphone手机", "")
    publish(momo)
    assert _found(momo, "猫") == {cat_end, cat_start}
    assert _found(momo, "的猫") == {cat_end}
    assert _found(momo, "今天天气") == {weather}, "two runs never join into one phrase"
    assert _found(momo, "天天") == {split, weather}
    assert _found(momo, "iphone手机") == {phone}
    assert _found(momo, "IPhone 手机") == {phone}
    assert _found(momo, "手机iphone") == set()
    assert _found(momo, "狗") == set()
    for symbols in ("!!!", "。，", "   "):
        with pytest.raises(InvalidInput):
            momo.feeds.search(symbols, None, "en")


def test_pages_are_full_newest_first_and_skip_hidden_notes(momo: Momo, clock) -> None:  # type: ignore[no-untyped-def]
    people = viewers(momo, 8)
    matching: list[str] = []
    for round_ in range(5):
        for person in people:
            matching.append(momo.notes.create(person, f"周末爬山 {round_}", "风景很好"))
            momo.notes.create(person, f"today {round_}", "nothing to find")
        publish(momo)
        clock.advance(3600)
    hidden = matching[::4]
    with momo.db.write() as conn:
        conn.execute(update(notes).where(notes.c.id.in_(hidden)).values(status="removed"))
    momo.feed_cache.invalidate()
    seen: list[str] = []
    cursor = None
    sizes = []
    while True:
        page = momo.feeds.search("爬山", cursor, "en", limit=7)
        sizes.append(len(page.items))
        seen += [card.id for card in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    expected = set(matching) - set(hidden)
    assert set(seen) == expected and len(seen) == len(expected)
    assert all(size == 7 for size in sizes[:-1]), f"short pages: {sizes}"
    with momo.db.read() as conn:
        bucket = dict(conn.execute(sql("SELECT id, created_bucket FROM notes")).all())
    buckets = [bucket[item] for item in seen]
    assert buckets == sorted(buckets, reverse=True), "newest bucket first"


def test_edits_and_deletes_reach_the_index(momo: Momo) -> None:
    (author,) = viewers(momo, 1)
    note = momo.notes.create(author, "原来的标题", "old words")
    draft = momo.notes.create(author, "还没发布的草稿", "")
    assert _found(momo, "草稿") == set(), "nothing is searchable before its bucket ends"
    publish(momo)
    assert _found(momo, "草稿") == {draft}
    momo.notes.edit(author, note, "新的标题", "fresh words")
    assert _found(momo, "原来") == set() and _found(momo, "old") == set()
    assert _found(momo, "新的") == {note} and _found(momo, "fresh") == {note}
    momo.notes.delete(author, note)
    assert _found(momo, "新的") == set()
    with momo.db.read() as conn:
        if momo.db.dialect == "sqlite":
            left = conn.execute(
                sql("SELECT count(*) FROM note_search WHERE note_search MATCH 'fresh'")
            )
        else:
            left = conn.execute(sql("SELECT count(*) FROM note_search"))
        assert left.scalar() == (0 if momo.db.dialect == "sqlite" else 1)


def test_rebuild_gives_the_same_answers(momo: Momo) -> None:
    (author,) = viewers(momo, 1)
    ids = [momo.notes.create(author, f"第{i}篇笔记", f"topic{i % 3}") for i in range(6)]
    publish(momo)
    before = {q: _found(momo, q) for q in ("笔记", "topic1", "第3")}
    with momo.db.write() as conn:
        assert search_index.SearchIndex().rebuild(conn) == len(ids)
    assert {q: _found(momo, q) for q in before} == before
    assert before["第3"] == {ids[3]}


# --- the token scheme, checked against plain substring search ------------------

_ALPHABET = "今天气好猫狗山水。 "


def _fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(search_index.SQLITE_DDL)
    return conn


@settings(max_examples=300, deadline=None)
@given(
    document=st.text(alphabet=_ALPHABET, min_size=0, max_size=30),
    query=st.text(alphabet=_ALPHABET[:-2], min_size=1, max_size=4),
)
def test_phrases_match_exactly_the_substrings(document: str, query: str) -> None:
    """A query of Han characters matches a text exactly when it is a substring of it."""
    conn = _fts()
    conn.execute(
        "INSERT INTO note_search(rowid, terms) VALUES (1, ?)", (" ".join(index_tokens(document)),)
    )
    expression = search_index.match_expression(query_phrases(query), "sqlite")
    hit = conn.execute("SELECT count(*) FROM note_search WHERE note_search MATCH ?", (expression,))
    assert bool(hit.fetchone()[0]) == (fold(query) in fold(document))


def _is_run(piece: str) -> bool:
    """What the SQL function asks of a piece's first character."""
    return any(low <= ord(piece[0]) <= high for low, high in RUN_RANGES)


@settings(max_examples=300, deadline=None)
@given(document=st.text(min_size=0, max_size=40))
def test_the_stored_words_give_back_the_index_tokens(document: str) -> None:
    """PostgreSQL stores a note's words and reads its terms off them: a run gives
    ``substr(run, i, 2)`` for every i, anything else itself. That reading gives
    back exactly the tokens FTS5 is fed."""
    words = index_words(document)
    assert words.startswith(" ") and words.endswith(" ") and "  " not in words.strip()
    read_off = [
        run[i : i + 2] if _is_run(run) else run
        for run in words.split()
        for i in range(len(run) if _is_run(run) else 1)
    ]
    assert read_off == index_tokens(document)


@pytest.fixture(scope="module")
def postgres_terms() -> Iterator[Connection]:
    """A schema of its own holding only PostgreSQL's terms function."""
    if not PG_URL:
        pytest.skip("PostgreSQL's index expression needs MOMO_TEST_DATABASE_URL")
    admin = Database(PG_URL)
    with admin.engine.begin() as conn:
        conn.execute(sql("DROP SCHEMA IF EXISTS momo_terms CASCADE"))
        conn.execute(sql("CREATE SCHEMA momo_terms"))
    db = Database(with_schema(PG_URL, "momo_terms"))
    with db.engine.begin() as conn:
        conn.execute(sql(search_index.POSTGRES_TERMS))
    try:
        with db.engine.connect() as conn:
            yield conn
    finally:
        db.dispose()
        with admin.engine.begin() as conn:
            conn.execute(sql("DROP SCHEMA momo_terms CASCADE"))
        admin.dispose()


_MIXED = "今天气猫ab1。 "


@settings(max_examples=300, deadline=None)
@given(
    document=st.text(alphabet=_MIXED, min_size=0, max_size=30),
    query=st.text(alphabet=_MIXED.replace("。", ""), min_size=1, max_size=6),
)
def test_postgresql_matches_exactly_what_fts5_matches(
    postgres_terms: Connection, document: str, query: str
) -> None:
    """The same documents match on both databases: FTS5's phrase of tokens, and
    PostgreSQL's terms in the GIN index with its LIKE over the words. The terms the
    SQL function reads off the words are the tokens, plus the day lexemes."""
    phrases = query_phrases(query)
    assume(phrases)
    fts = _fts()
    fts.execute(
        "INSERT INTO note_search(rowid, terms) VALUES (1, ?)", (" ".join(index_tokens(document)),)
    )
    expression = search_index.match_expression(phrases, "sqlite")
    on_sqlite = fts.execute(
        "SELECT count(*) FROM note_search WHERE note_search MATCH ?", (expression,)
    )
    doc = search_index.first_doc(1_764_000_000) | 12_345
    terms = f"{search_index.TERMS_FUNCTION}(CAST(:doc AS bigint), :words)"
    on_postgresql, lexemes = postgres_terms.execute(
        sql(
            f"SELECT {terms} @@ CAST(:query AS tsquery)"
            f" AND :words LIKE ALL (CAST(:patterns AS text[])), tsvector_to_array({terms})"
        ),
        {
            "doc": doc,
            "words": index_words(document),
            "query": search_index.match_expression(phrases, "postgresql"),
            "patterns": search_index.like_patterns(phrases),
        },
    ).one()
    assert on_postgresql == bool(on_sqlite.fetchone()[0])
    assert set(lexemes) == set(index_tokens(document)) | set(search_index.period_lexemes(doc))


def test_the_index_is_smaller_than_twice_the_text() -> None:
    conn = _fts()
    data = Path(__file__).parents[1] / "audit" / "data"
    texts = [
        json.loads(line)["text"]
        for name in ("tang-shi-sample.jsonl", "mail-ham-a-sample.jsonl")
        for line in (data / name).read_text(encoding="utf-8").splitlines()
    ]
    assert len(texts) > 100
    for doc, body in enumerate(texts, start=1):
        conn.execute(
            "INSERT INTO note_search(rowid, terms) VALUES (?, ?)",
            (doc, " ".join(index_tokens(body))),
        )
    conn.execute("INSERT INTO note_search(note_search) VALUES ('optimize')")
    stored = sum(len(block) for (block,) in conn.execute("SELECT block FROM note_search_data"))
    size = sum(len(body.encode()) for body in texts)
    assert stored <= 2 * size, f"index {stored} bytes for {size} bytes of text"


class _KnownShares:
    """Term statistics that say what a test wants them to."""

    def __init__(self, share: float | None, documents: float) -> None:
        self._share, self.documents = share, documents

    def share(self, phrases: Any) -> float | None:
        return self._share


@pytest.mark.parametrize(
    ("window", "share", "documents"),
    [
        (4, None, 0),  # no statistics: the newest ids first, then stretches
        (1000, None, 0),  # fewer documents than a window
        (4, 1.0, 1e9),  # a common term: the window first
        (4, 1e-4, 1e9),  # rarer: the newest day whole, no window
        (4, 1e-12, 1e6),  # rare: every match at once
    ],
)
def test_every_search_strategy_pages_newest_first_without_gaps(
    momo: Momo,
    clock: Any,
    monkeypatch: pytest.MonkeyPatch,
    window: int,
    share: float | None,
    documents: float,
) -> None:
    """PostgreSQL search reads the newest ids first, then stretches of days back in
    time, or skips the window, or reads all matches at once, by how common the
    statistics say a term is; notes spread over months, and tiny limits, make every
    path run. Removed notes, more of them in one stretch than a page holds, leave no
    page short. What the statistics say changes the reading, never the results."""
    from momo.feed import feeds

    monkeypatch.setattr(feeds, "SEARCH_WINDOW", window)
    monkeypatch.setattr(momo.feeds, "_terms", _KnownShares(share, documents))
    people = viewers(momo, 6)
    common, rare = [], []
    gaps = [3600, 3 * 86400, 9 * 86400, 70 * 86400, 3600, 200 * 86400]
    for round_, gap in enumerate(gaps):
        for i, person in enumerate(people):
            common.append(momo.notes.create(person, f"咖啡 {round_}", "今天的咖啡"))
            if i == 0 and round_ % 2 == 0:
                rare.append(momo.notes.create(person, "丘前小路", "很少见"))
        publish(momo)
        clock.advance(gap)
    hidden = {common[-3], *common[12:18]}
    with momo.db.write() as conn:
        conn.execute(update(notes).where(notes.c.id.in_(hidden)).values(status="removed"))
    for term, expected in (("咖啡", [n for n in common if n not in hidden]), ("丘前", rare)):
        seen, cursor, sizes = [], None, []
        while True:
            page = momo.feeds.search(term, cursor, "en", limit=4)
            sizes.append(len(page.items))
            seen += [card.id for card in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen)), term
        assert all(size == 4 for size in sizes[:-1]), f"{term}: short pages {sizes}"


@pytest.mark.parametrize("newest", [0, 7, 8, 63, 64, 100, 20_417, 20_480])
@pytest.mark.parametrize("span", [0, 1, 9, 70, 700])
def test_stretches_cover_every_day_once_newest_first(newest: int, span: int) -> None:
    from momo.content.search_index import PERIODS, stretches

    widths = dict(PERIODS)
    oldest = max(0, newest - span)
    covered: list[int] = []
    for stretch in stretches(newest, oldest):
        days: list[int] = []
        for lexeme in stretch:
            width = widths[lexeme[1]]
            start = int(lexeme[2:]) * width
            days += range(start + width - 1, start - 1, -1)
        assert days == sorted(days, reverse=True)
        assert not covered or max(days) < min(covered), "stretches go back in time"
        covered += days
    assert set(range(oldest, newest + 1)) <= set(covered)
    assert max(covered) == newest
    assert len(covered) == len(set(covered))


def test_a_note_older_than_every_other_found_after_it_returns_to_the_index(
    momo: Momo, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL search walks back in time only as far as the oldest document; a
    note put back into the index (a rebuild, a restore) below that bound moves it
    and is found."""
    from momo.content.search_index import IndexedNote
    from momo.feed import feeds

    monkeypatch.setattr(feeds, "SEARCH_WINDOW", 2)
    person = viewers(momo, 1)[0]
    oldest = momo.notes.create(person, "丘前旧事", "很久以前")
    publish(momo)
    clock.advance(40 * 86400)
    newer = [momo.notes.create(person, f"丘前 {i}", "后来") for i in range(3)]
    publish(momo)
    with momo.db.write() as conn:
        momo.search_index.remove(conn, oldest)
        conn.execute(update(notes).where(notes.c.id == oldest).values(search_doc=None))
    assert _found(momo, "丘前") == set(newer)  # the oldest document is now one of these
    with momo.db.write() as conn:
        row = conn.execute(
            sql("SELECT title, body, created_bucket FROM notes WHERE id = :id"), {"id": oldest}
        ).one()
        momo.search_index.add(conn, [IndexedNote(oldest, row.title, row.body, row.created_bucket)])
    assert _found(momo, "丘前") == {*newer, oldest}


def test_term_statistics_tell_common_terms_from_rare_ones(momo: Momo) -> None:
    """The shares that steer PostgreSQL search come from ANALYZE of the index, and a
    term missing from its list counts as at most as common as the rarest listed."""
    if momo.db.dialect != "postgresql":
        pytest.skip("PostgreSQL keeps these statistics; SQLite search needs none")
    people = viewers(momo, 6)
    for i in range(60):
        body = "丘前小路" if i == 0 else f"今天的咖啡 {i}"
        momo.notes.create(people[i % 6], f"咖啡 {i}", body)
    publish(momo)
    statistics = search_index.TermStatistics(momo.db.read)
    assert statistics.share(query_phrases("咖啡")) is None, "nothing read yet"
    with momo.db.write() as conn:
        conn.execute(sql("ANALYZE note_search"))
    statistics.refresh()
    common = statistics.share(query_phrases("咖啡"))
    rare = statistics.share(query_phrases("丘前"))
    missing = statistics.share(query_phrases("火星"))
    assert common is not None and rare is not None and missing is not None
    assert common > 0.9
    assert rare <= 0.05 and missing <= 0.05
    # A phrase is at most as common as its rarest term.
    assert statistics.share(query_phrases("咖啡 丘前")) == rare
    assert statistics.share(query_phrases("咖")) is None, "a prefix may stand for many terms"
    assert 50 <= statistics.documents <= 70


def _segments(momo: Momo) -> int:
    """How many segments the FTS5 index has: a page's row id carries its segment's
    id from bit 37 up; the rows below are the structure and averages records."""
    with momo.db.read() as conn:
        counted = conn.execute(
            sql("SELECT count(DISTINCT id >> 37) FROM note_search_data WHERE id >> 37 > 0")
        )
        return int(counted.scalar_one())


def test_a_published_batch_enters_the_index_as_one_segment(momo: Momo) -> None:
    """FTS5 closes a segment whenever a document id is lower than the one before:
    a batch written in shuffled order left a trail of tiny segments (and the work of
    merging them) where ascending ids write one."""
    if momo.db.dialect != "sqlite":
        pytest.skip("FTS5 segments are SQLite's")
    people = viewers(momo, 4)
    for number in range(80):
        momo.notes.create(people[number % 4], f"今天的咖啡 {number}", "周末去爬山 linux")
    publish(momo)
    assert _segments(momo) == 1
    assert len(_found(momo, "咖啡")) == 80


def test_bulk_loading_writes_fewer_segments_and_is_undone(momo: Momo) -> None:
    if momo.db.dialect != "sqlite":
        pytest.skip("FTS5's pending-terms limit is SQLite's")
    rng = random.Random(5)
    words = [f"w{number}" for number in range(20000)]
    documents = [(doc, " ".join(rng.choices(words, k=200))) for doc in range(1, 1201)]

    def segments_after_loading(bulk: bool) -> int:
        with momo.db.write() as conn:
            conn.execute(sql("INSERT INTO note_search(note_search) VALUES ('delete-all')"))
        with momo.db.write() as conn:
            momo.search_index.set_bulk_loading(conn, bulk)
            momo.search_index.add_prepared(conn, documents)
            momo.search_index.set_bulk_loading(conn, False)
        return _segments(momo)

    # Several MB of pending terms: over the default limit, far under the bulk one.
    assert segments_after_loading(True) == 1
    assert segments_after_loading(False) > 3
    with momo.db.read() as conn:
        limit = conn.execute(sql("SELECT v FROM note_search_config WHERE k = 'hashsize'"))
        assert limit.scalar_one() == search_index.DEFAULT_HASH_BYTES


def test_a_bulk_load_on_postgresql_builds_the_index_again(momo: Momo) -> None:
    """The GIN index is dropped for a bulk load and built in one pass after it, with
    the statistics target the search plans rely on."""
    if momo.db.dialect != "postgresql":
        pytest.skip("PostgreSQL's GIN index")
    (author,) = viewers(momo, 1)
    note = momo.notes.create(author, "樱花季节", "blossom season")
    publish(momo)
    index = sql("SELECT to_regclass(:index)").bindparams(index=search_index.INDEX)
    loader = SearchIndex(build_memory="96MB")
    with momo.db.write() as conn:
        loader.set_bulk_loading(conn, True)
        assert conn.execute(index).scalar() is None
        loader.set_bulk_loading(conn, False)
        assert conn.execute(index).scalar() is not None
        # The operator's MOMO_INDEX_BUILD_MEMORY, for the build's transaction only.
        assert conn.execute(sql("SHOW maintenance_work_mem")).scalar() == "96MB"
        target = conn.execute(
            sql(
                "SELECT attstattarget FROM pg_attribute WHERE attrelid = CAST(:index AS regclass)"
            ).bindparams(index=search_index.INDEX)
        )
        assert target.scalar_one() == search_index.STATISTICS_TARGET
    assert _found(momo, "樱花") == _found(momo, "blossom") == {note}


def test_a_build_memory_that_is_not_a_size_is_refused_before_any_statement() -> None:
    """The size is spliced into ``SET LOCAL``: anything but a plain size is refused,
    by the settings and again by the build."""
    with pytest.raises(ValueError, match="memory size"):
        SearchIndex.build_postgres_index(None, "1GB'; DROP TABLE notes; --")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="index_build_memory"):
        Settings(index_build_memory="lots")
    assert Settings(index_build_memory="512MB").index_build_memory == "512MB"
