"""Every feed and search query walks its own index: no temporary sort, no full scan.

The plans are read from the database itself (``EXPLAIN QUERY PLAN`` on SQLite,
``EXPLAIN`` on PostgreSQL) for the statements the feed service really sends,
on 20,000 notes. SQLite keeps no table statistics here, which is where a
wrong index choice used to sort every visible note for Discover.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import ARRAY, BigInteger, Integer, Text, bindparam, event, insert, text
from sqlalchemy.dialects.postgresql import TSQUERY

from momo.content import search_index
from momo.content.search_index import IndexedNote, SearchIndex
from momo.content.tables import note_images, note_topics, notes, topics
from momo.core import Momo
from momo.feed import cursor as cursors

NOTES = 20_000
WORDS = ["周末", "爬山", "咖啡", "天气", "今天", "我们", "猫咪", "linux", "coffee", "hiking"]


def _fill(momo: Momo) -> None:
    rng = random.Random(7)
    now = int(momo.time.public_before())
    rows, tagged, images = [], [], []
    for i in range(NOTES):
        bucket = now - 300 * rng.randrange(1, 9000)
        words = rng.sample(WORDS, 3)
        note_id = f"plan{i:08d}"
        rows.append(
            {
                "id": note_id,
                "title": "".join(words[:2]),
                "body": " ".join(words) + f" 第{i}篇" + (" 樱花季" if i % 40 == 0 else ""),
                "created_bucket": bucket,
                "hot": rng.random() * 10 + bucket / 45000,
                "sealed_author": b"x" * 40,
                "published": True,
                "status": "visible" if i % 50 else "removed",
            }
        )
        if i % 3 == 0:
            tagged.append({"note_id": note_id, "topic": f"topic{i % 7}", "created_bucket": bucket})
        if i % 4 == 0:
            images.append(
                {"note_id": note_id, "position": 0, "file_name": f"f{i}", "width": 3, "height": 4}
            )
    with momo.db.write() as conn:
        conn.execute(insert(notes), rows)
        conn.execute(insert(topics), [{"name": f"topic{t}", "note_count": 1} for t in range(7)])
        conn.execute(insert(note_topics), tagged)
        conn.execute(insert(note_images), images)
        SearchIndex().add(
            conn,
            (IndexedNote(r["id"], r["title"], r["body"], r["created_bucket"]) for r in rows),
        )
        if momo.db.dialect == "postgresql":
            # This schema's tables only: a bare ANALYZE walks every schema in the database.
            tables = (
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()"
            )
            conn.execute(text(f"ANALYZE {', '.join(conn.execute(text(tables)).scalars())}"))


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory, database_template: str) -> Iterator[Momo]:
    from tests.conftest import PG_URL, REDIS_URL, FakeClock, empty_postgres, make_settings

    settings = make_settings(tmp_path_factory.mktemp("plans"), database_template)
    # Deep Discover pages exist where an operator turns the daily end off.
    settings.discover_daily_notes = 0
    if PG_URL:
        empty_postgres(str(settings.database_url))
    momo = Momo(settings, clock=FakeClock())
    momo.migrate()
    _fill(momo)
    yield momo
    if REDIS_URL and momo.redis is not None:
        momo.redis.flushdb()
    momo.close()


def _plans(momo: Momo, call: Any) -> list[str]:
    """The plan of every feed statement, read on the very connection and transaction
    that runs it (so session settings the service makes apply to the plan too)."""
    plans: list[str] = []
    sqlite = momo.db.dialect == "sqlite"

    def explain(_conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        verb = statement.lstrip().split(" ", 1)[0].upper()
        if verb not in ("SELECT", "UPDATE", "WITH") or "notes" not in statement:
            return
        cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters)
        plans.append("\n".join(str(row[-1] if sqlite else row[0]) for row in cursor.fetchall()))

    steps: list[tuple[Any, list[str], int, int]] = []

    def newest(plan: Any, patterns: list[str], public_before: int, wanted: int) -> Any:
        steps.append((plan, list(patterns), public_before, wanted))
        return drawn(plan, patterns, public_before, wanted)

    drawn = search_index.newest
    event.listen(momo.db.engine, "before_cursor_execute", explain)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(search_index, "newest", newest)
            call()
    finally:
        event.remove(momo.db.engine, "before_cursor_execute", explain)
    for plan, patterns, public_before, wanted in steps:
        plans += _step_plans(momo, plan, patterns, public_before, wanted)
    assert plans
    return plans


def _step_plans(
    momo: Momo, plan: Any, patterns: list[str], public_before: int, wanted: int
) -> list[str]:
    """PostgreSQL search runs its steps inside ``note_search_newest``, where no
    client sees them: each step is planned here the way the function plans it
    (with its values and settings)."""
    found = []
    with momo.db.write() as conn:
        for setting in search_index.STEP_SETTINGS.split("SET ")[1:]:
            conn.exec_driver_sql(f"SET LOCAL {setting.strip()}")
        for query, low, below in plan:
            bounds = (search_index.LOW_BOUND if low is not None else "") + (
                search_index.HIGH_BOUND if below is not None else ""
            )
            match = search_index.MATCH if query is not None else ""
            step = search_index.NEWEST_STEP.replace("{match}", match).replace("{bounds}", bounds)
            names = ("query", "patterns", "low", "below", "before", "wanted")
            for number, name in enumerate(names, 1):
                step = step.replace(f"${number}", f":{name}")
            values = [
                bindparam("query", query, type_=TSQUERY),
                bindparam("patterns", patterns, type_=ARRAY(Text)),
                bindparam("low", low, type_=BigInteger),
                bindparam("below", below, type_=BigInteger),
                bindparam("before", public_before, type_=Integer),
                bindparam("wanted", wanted, type_=Integer),
            ]
            used = [value for value in values if f":{value.key}" in step]
            rows = conn.execute(text(f"EXPLAIN {step}").bindparams(*used))
            found.append("\n".join(row[0] for row in rows))
            assert "Index Cond: (search_doc = " in found[-1], f"notes not looked up:\n{found[-1]}"
    return found


def _deep_cursor(momo: Momo, kind: str) -> str | None:
    page = momo.feeds.feed(kind, None, "en")
    for _ in range(5):
        assert page.next_cursor
        page = momo.feeds.feed(kind, page.next_cursor, "en")
    return page.next_cursor


CASES = {
    "latest": lambda m: m.feeds.feed("latest", None, "en"),
    "latest, page 7": lambda m: m.feeds.feed("latest", _deep_cursor(m, "latest"), "en"),
    "discover": lambda m: m.feeds.feed("discover", None, "en"),
    "discover, page 7": lambda m: m.feeds.feed("discover", _deep_cursor(m, "discover"), "en"),
    "topic": lambda m: m.feeds.topic("topic3", None, "en"),
    "topic, page 2": lambda m: m.feeds.topic(
        "topic3", m.feeds.topic("topic3", None, "en").next_cursor, "en"
    ),
    "search, common": lambda m: m.feeds.search("今天", None, "en"),
    "search, rare": lambda m: m.feeds.search("第1234篇", None, "en"),
    "search, word": lambda m: m.feeds.search("linux", None, "en"),
    # In one note in forty: too few among the newest ids, so stretches of days.
    "search, middling": lambda m: m.feeds.search("樱花季", None, "en"),
    "search, page 2": lambda m: m.feeds.search(
        "咖啡", m.feeds.search("咖啡", None, "en").next_cursor, "en"
    ),
    # Not a feed, but it runs on every bucket: it must not read every note either.
    "publication": lambda m: m.publication.publish_due(),
}


@pytest.mark.parametrize("case", list(CASES))
def test_feed_queries_use_their_index(filled: Momo, case: str) -> None:
    page = CASES[case](filled)
    assert case == "publication" or page.items, "the query must find something"
    for plan in _plans(filled, lambda: CASES[case](filled)):
        if filled.db.dialect == "sqlite":
            assert "TEMP B-TREE" not in plan, f"{case} sorts:\n{plan}"
            # A CTE's own rows (a bounded batch) may be scanned; a table may not.
            ctes = {
                line.split()[-1]
                for line in plan.splitlines()
                if line.startswith(("CO-ROUTINE", "MATERIALIZE"))
            }
            assert not any(
                line.startswith("SCAN")
                and "INDEX" not in line
                and "VIRTUAL TABLE" not in line
                and line.split()[1] not in ctes
                for line in plan.splitlines()
            ), f"{case} scans a whole table:\n{plan}"
            if any(name.startswith("due_") for name in ctes):  # a publication batch
                assert "USING PRIMARY KEY" in plan, f"{case} walks the backlog:\n{plan}"
        else:
            assert "Seq Scan" not in plan, f"{case} scans a whole table:\n{plan}"
            if plan.startswith("Update"):
                # A batch reaches its rows by key: a plan that walked every waiting
                # row and compared it with the batch took 1.7 s per batch.
                assert "Index Scan using pk_" in plan, f"{case} walks the backlog:\n{plan}"
            # A document's terms are derived (about 50 µs) only to build or consult
            # the index, never to test rows one by one.
            assert not any(
                "Filter:" in line and search_index.TERMS_FUNCTION in line
                for line in plan.splitlines()
            ), f"{case} derives every row's terms:\n{plan}"
            # GIN gives no order. Search reads a bounded set instead, the newest
            # SEARCH_WINDOW ids or a GIN match list, and may sort that.
            bounded = case.startswith("search") and (
                "ix_note_search_terms" in plan or "note_search_pkey" in plan
            )
            assert "Sort" not in plan or bounded, f"{case} sorts:\n{plan}"


def test_cursors_do_not_repeat_or_skip(filled: Momo) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(4):
        page = filled.feeds.topic("topic5", cursor, "en")
        seen += [card.id for card in page.items]
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 80
    assert cursors.decode(cursor) is not None
