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


def test_search_documents_gain_and_lose_their_days_on_postgresql() -> None:
    """0015 adds the period lexemes to documents indexed before it, as new documents
    get them, and its downgrade takes exactly those away again."""
    from sqlalchemy import insert

    from momo.content.search_index import FTS_TABLE, IndexedNote, SearchIndex, period_lexemes
    from momo.content.tables import notes

    db = _fresh_postgres_schema("momo_periods")
    upgrade(db.engine)
    bucket = 1_764_000_000
    with db.write() as conn:
        conn.execute(
            insert(notes),
            [
                {
                    "id": f"n{i}",
                    "title": "樱花",
                    "body": "今天",
                    "created_bucket": bucket - i * 90_000,
                    "hot": 0.0,
                    "sealed_author": b"x" * 40,
                    "published": True,
                }
                for i in range(3)
            ],
        )
        SearchIndex().add(
            conn, [IndexedNote(f"n{i}", "樱花", "今天", bucket - i * 90_000) for i in range(3)]
        )

    def documents() -> dict[int, set[str]]:
        with db.read() as conn:
            rows = conn.execute(text(f"SELECT doc, tsvector_to_array(terms) FROM {FTS_TABLE}"))
            return {int(doc): set(lexemes) for doc, lexemes in rows}

    indexed = documents()
    assert len(indexed) == 3
    for doc, lexemes in indexed.items():
        assert set(period_lexemes(doc)) <= lexemes
    downgrade(db.engine, "0014")
    for doc, lexemes in documents().items():
        assert lexemes == indexed[doc] - set(period_lexemes(doc))
    upgrade(db.engine)
    assert documents() == indexed
    db.dispose()
