"""Migrations go up, down and up again on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from momo.storage.database import Database
from momo.storage.metadata import metadata
from momo.storage.migrate import downgrade, upgrade
from tests.conftest import PG_URL, with_schema

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_url() -> str:
    url = PG_URL or DEFAULT_PG
    try:
        db = Database(url)
        with db.engine.connect():
            pass
        db.dispose()
    except Exception as error:
        if os.environ.get("MOMO_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required but unreachable: {error}")
        pytest.skip(f"no PostgreSQL at {url}: {type(error).__name__}")
    return url


def _round_trip(db: Database) -> None:
    expected = {table.name for table in metadata.sorted_tables}
    upgrade(db.engine)
    assert expected <= set(inspect(db.engine).get_table_names())
    downgrade(db.engine)
    assert not expected & set(inspect(db.engine).get_table_names())
    upgrade(db.engine)
    assert expected <= set(inspect(db.engine).get_table_names())


def test_round_trip_on_sqlite(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'round.sqlite3'}")
    _round_trip(db)
    with db.read() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    db.dispose()


def _fresh_postgres_schema(schema: str) -> Database:
    url = _postgres_url()
    admin = Database(url)
    with admin.engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    return Database(with_schema(url, schema))


def test_round_trip_on_postgresql() -> None:
    db = _fresh_postgres_schema("momo_migrations")
    _round_trip(db)
    db.dispose()


def test_a_first_release_database_upgrades_without_losing_anything(tmp_path: Path) -> None:
    """0002 -> 0003 on a database the first release wrote: sealed sanction ledgers move
    into the standing log (with the keyring), content stays, tables lose their rowids."""
    import json

    from momo.identity.standing import StandingService
    from momo.keyring import Keyring
    from momo.privacy.seal import Sealer

    keys = Keyring.generate()
    sealer = Sealer(keys.seal)
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(db.engine, "0002")
    ledger = sealer.seal(json.dumps(["act-mute", "act-ban"]), "sanction-ledger", "acct-1")
    with db.write() as conn:
        conn.execute(
            text(
                "INSERT INTO accounts (id, key_hash, role, created_bucket, probation_until,"
                " muted_until, banned, vault, sanction_ledger)"
                " VALUES ('acct-1', 'h', 'member', 0, 0, 4000, 1, NULL, :ledger)"
            ),
            {"ledger": ledger},
        )
        conn.execute(
            text(
                "INSERT INTO notes (id, title, body, created_bucket, sealed_author)"
                " VALUES ('note-1', 'kept', 'body', 0, x'00')"
            )
        )
        for action, kind, until, outcome in (
            ("act-mute", "mute", 4000, "in_effect"),
            ("act-ban", "ban", None, "overturned"),
        ):
            conn.execute(
                text(
                    "INSERT INTO mod_actions (id, kind, target_type, target_id, note_id, rule,"
                    " created_bucket, until_bucket, outcome)"
                    " VALUES (:id, :kind, 'note', 'note-1', 'note-1', 'spam', 0, :until, :outcome)"
                ),
                {"id": action, "kind": kind, "until": until, "outcome": outcome},
            )
    upgrade(db.engine, keys=keys)
    standing = StandingService(db, keys, sealer).read("acct-1")
    assert [(s.action_id, s.step, s.until) for s in standing.sanctions] == [
        ("act-mute", "mute", 4000),
        ("act-ban", "ban", None),
    ]
    assert standing.lifted == {"act-ban"} and not standing.banned and standing.muted_until == 4000
    with db.read() as conn:
        assert conn.execute(text("SELECT title, published FROM notes")).one() == ("kept", 1)
        schemas = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'notes'")
        ).scalar_one()
        assert schemas.rstrip().endswith("WITHOUT ROWID")
        columns = {row[1] for row in conn.execute(text("PRAGMA table_info(accounts)"))}
        assert not columns & {"muted_until", "banned", "sanction_ledger"}
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    db.dispose()


def test_moving_sealed_ledgers_needs_the_keyring(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(db.engine, "0002")
    with db.write() as conn:
        conn.execute(
            text(
                "INSERT INTO accounts (id, key_hash, created_bucket, sanction_ledger)"
                " VALUES ('a', 'h', 0, x'01')"
            )
        )
    with pytest.raises(RuntimeError, match="needs the secrets file"):
        upgrade(db.engine)
    with db.read() as conn:  # the failed step rolled back: nothing was lost
        assert conn.execute(text("SELECT count(*) FROM accounts")).scalar() == 1
    db.dispose()


def _notes_indexed_the_first_way(db: Database, bucket: int, periods: bool) -> list[str]:
    """Three published notes, indexed as PostgreSQL's first search index did (with
    the day lexemes of 0015 or without), and one published note left unindexed."""
    from sqlalchemy import insert

    from momo.content import search_index_v1
    from momo.content.search_index import FTS_TABLE, first_doc
    from momo.content.tables import notes
    from momo.content.text import index_tokens

    texts = ["樱花\n今天天气真好", "Linux\nrocks 台灣", "咖啡\n今天"]
    with db.write() as conn:
        conn.execute(
            insert(notes),
            [
                {
                    "id": f"n{i}",
                    "title": title,
                    "body": body,
                    "created_bucket": bucket - i * 90_000,
                    "hot": 0.0,
                    "sealed_author": b"x" * 40,
                    "published": True,
                    "search_doc": first_doc(bucket - i * 90_000) | 7 if i < 3 else None,
                }
                for i, (title, body) in enumerate([t.split("\n") for t in [*texts, "新\n的"]])
            ],
        )
        for i, document in enumerate(texts):
            doc = first_doc(bucket - i * 90_000) | 7
            terms = search_index_v1.stored_terms(index_tokens(document), doc)
            if not periods:
                terms = " ".join(f"'{token}'" for token in index_tokens(document))
            conn.execute(
                text(f"INSERT INTO {FTS_TABLE} (doc, terms) VALUES (:doc, CAST(:t AS tsvector))"),
                {"doc": doc, "t": terms},
            )
    return texts


def test_search_documents_gain_and_lose_their_days_on_postgresql() -> None:
    """0015 adds the period lexemes to documents indexed before it, as new documents
    get them, and its downgrade takes exactly those away again."""
    from momo.content.search_index import FTS_TABLE, period_lexemes

    db = _fresh_postgres_schema("momo_periods")
    upgrade(db.engine, "0014")
    _notes_indexed_the_first_way(db, 1_764_000_000, periods=False)

    def documents() -> dict[int, set[str]]:
        with db.read() as conn:
            rows = conn.execute(text(f"SELECT doc, tsvector_to_array(terms) FROM {FTS_TABLE}"))
            return {int(doc): set(lexemes) for doc, lexemes in rows}

    before = documents()
    assert len(before) == 3
    upgrade(db.engine, "0017")
    for doc, lexemes in documents().items():
        assert lexemes == before[doc] | set(period_lexemes(doc))
    downgrade(db.engine, "0014")
    assert documents() == before
    db.dispose()


def test_search_keeps_its_documents_when_it_stores_words_on_postgresql() -> None:
    """0018 stores each note's words under the same document id, and the terms the
    index derives from them are exactly the terms the first form stored; notes the
    first form never indexed are indexed. Its downgrade gives the first form back."""
    from momo.content import search_index_v1
    from momo.content.search_index import FTS_TABLE, TERMS_FUNCTION, period_lexemes
    from momo.content.text import index_tokens, index_words

    db = _fresh_postgres_schema("momo_periods")
    upgrade(db.engine, "0017")
    texts = _notes_indexed_the_first_way(db, 1_764_000_000, periods=True)

    def first_form() -> dict[int, str]:
        with db.read() as conn:
            rows = conn.execute(text(f"SELECT doc, terms::text FROM {FTS_TABLE}"))
            return {int(doc): terms for doc, terms in rows}

    stored = first_form()
    upgrade(db.engine)
    with db.read() as conn:
        rows = conn.execute(
            text(
                f"SELECT s.doc, s.words, tsvector_to_array({TERMS_FUNCTION}(s.doc, s.words)),"
                f" n.id FROM {FTS_TABLE} s JOIN notes n ON n.search_doc = s.doc"
            )
        ).all()
    assert len(rows) == 4 and {row.id for row in rows} == {"n0", "n1", "n2", "n3"}
    for doc, words, terms, note_id in rows:
        document = [*texts, "新\n的"][int(note_id[1])]
        assert words == index_words(document)
        assert set(terms) == set(index_tokens(document)) | set(period_lexemes(doc))
        if note_id != "n3":
            assert doc in stored
    downgrade(db.engine, "0017")
    after = first_form()
    assert {doc: after[doc] for doc in stored} == stored
    assert len(after) == 4, "the note 0018 indexed stays indexed"
    with db.read() as conn:  # the first form's search function is back (or this raises)
        conn.execute(text(f"SELECT '{search_index_v1.NEWEST_SIGNATURE}'::regprocedure"))
    db.dispose()
