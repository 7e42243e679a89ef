"""The live audit reads a real instance and writes only aggregates; the style check
names markers and stores nothing; the research export masks and omits accounts."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from momo.audit.exposure import exposure
from momo.audit.live import collect
from momo.cli import app
from momo.config import Settings
from momo.core import Momo
from momo.demo import seed
from momo.identity.tables import accounts
from momo.storage.metadata import metadata
from tests.conftest import new_client, publish, sign_up


def test_live_audit_on_a_demo_instance(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed(Settings(data_dir=data), notes=40, accounts=15)
    momo = Momo(Settings(data_dir=data))
    posts, views = collect(momo.db, momo.notes, momo.sealer, momo.time, momo.media.read)
    # Every channel is measured on what the public sees: ids, voices, times, photos.
    photos = [v.image for v in views if v.image]
    assert photos and all("x" in shape and size.isdigit() for shape, size in photos)
    assert all(v.identifier and len(v.identifier) == 1 for v in views)
    with momo.db.read() as conn:
        account_ids = set(conn.scalars(select(accounts.c.id)))
    momo.close()
    assert posts and len(posts) == len(views)
    assert all(post.author.startswith("a") and post.author not in account_ids for post in posts)
    before = {p: p.stat().st_mtime for p in data.rglob("*") if p.is_file()}
    out = tmp_path / "live.json"
    result = CliRunner().invoke(
        app, ["audit", "instance", "--data-dir", str(data), "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "On this instance" in result.output
    written = out.read_text()
    for post in posts:
        assert post.id not in written, "no per-post attribution leaves the audit"
    for account in account_ids:
        assert account not in written and account not in result.output
    new_files = {p for p in data.rglob("*") if p.is_file()} - set(before)
    assert not [p for p in new_files if not p.name.startswith("momo.sqlite3")]


def test_style_exposure_names_the_markers() -> None:
    own = [
        "今天又去了那家咖啡店～～绝绝子！！",
        "绝绝子！！周末的面包也好吃～～",
        "下雨天也要出门～～绝绝子！！",
    ]
    community = [f"普通的一天，第{i}次记录生活。" for i in range(60)]
    draft = "新开的书店绝绝子！！推荐～～"
    result = exposure(draft, own, community)
    assert result.level in ("high", "medium")
    kinds = {(m.kind, m.text) for m in result.markers}
    assert ("phrase", "绝绝子") in kinds
    assert ("punctuation", "～") in kinds and ("punctuation", "！！") in kinds
    plain = exposure("普通的一天，第99次记录生活。", own, community)
    assert plain.chance is not None and plain.chance < result.chance  # type: ignore[operator]
    assert exposure(draft, own[:1], community).level == "not enough history"


def test_style_exposure_api_stores_nothing(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    client = new_client(app)
    assert client.post("/api/style/exposure", json={"text": "hi"}).status_code == 401
    sign_up(client)
    for text in ("Loving this!!! ~~ totally", "Another one!!! ~~ totally", "Weekend!!! ~~ totally"):
        client.post("/api/notes", json={"title": "n", "body": text})
    with momo.db.read() as conn:
        counts = {
            t.name: conn.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables
        }
    response = client.post("/api/style/exposure", json={"text": "Sunday!!! ~~ totally"})
    assert response.status_code == 200
    body = response.json()
    assert body["own_posts"] == 3 and isinstance(body["markers"], list)
    with momo.db.read() as conn:
        after = {
            t.name: conn.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables
        }
    assert after == counts


def test_research_export_masks_pii_and_has_no_account_data(app, momo: Momo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from momo.content.export import write_research

    author, other = new_client(app), new_client(app)
    sign_up(author)
    sign_up(other)
    note_id = author.post(
        "/api/notes", json={"title": "租房", "body": "电话13812345678 #租房"}
    ).json()["id"]
    publish(momo)
    other.post(f"/api/notes/{note_id}/comments", json={"body": "邮箱 bob@example.com"})
    publish(momo)
    out = tmp_path / "research"
    assert write_research(momo.db, momo.notes, momo.time, out) == (1, 1)
    note = json.loads((out / "notes.jsonl").read_text())
    comment = json.loads((out / "comments.jsonl").read_text())
    assert "[PHONE]" in note["body"] and "13812345678" not in note["body"]
    assert comment["body"] == "邮箱 [EMAIL]" and comment["voice"] == "Momo 1"
    assert len(note["date"]) == 10 and len(comment["date"]) == 10
    with momo.db.read() as conn:
        ids = list(conn.scalars(select(accounts.c.id)))
    everything = "".join(p.read_text() for p in out.iterdir())
    assert not any(account in everything for account in ids)
    assert "DATA_DICTIONARY.md" in {p.name for p in out.iterdir()}


def test_the_instance_audit_reads_its_own_storage_as_a_thief_would(momo: Momo) -> None:
    """On SQLite: a hot copy of the file and its WAL, attacked as the unlinkability tests
    do; on PostgreSQL: the row versions (or a plain 'not measured' without pageinspect)."""
    from momo.audit.live import forensic_links
    from tests.conftest import viewers

    people = viewers(momo, 4)
    if momo.db.dialect == "sqlite":
        with momo.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        assert forensic_links(momo.settings.resolved_database_url, momo.db, {})["result"] == (
            "empty: nothing to read"
        )
    truth = {}
    for round_ in range(3):
        for number, person in enumerate(people):
            note = momo.notes.create(person, f"note {round_} {number}", "body")
            truth[note] = f"a{number}"
    storage = forensic_links(momo.settings.resolved_database_url, momo.db, truth)
    if storage["label"] == "measured":
        assert storage["items_located"] == len(truth)
        assert storage["same_author_pairs_linked"] == 0
    else:
        assert momo.db.dialect == "postgresql" and storage["result"]


def test_the_instance_audit_checks_the_order_rows_sit_in(momo: Momo) -> None:
    """People writing in bursts, one after the other. On SQLite, rows sit in the order of
    their random keys: neighbours share an author no more than by chance. PostgreSQL's
    heap keeps the order of writing until `momo maintenance` rewrites it, and the audit
    must see that, then see it gone."""
    from momo.audit.live import row_order
    from momo.storage.maintenance import rewrite_in_key_order
    from tests.conftest import viewers

    people = viewers(momo, 4)
    truth = {}
    for person_number, person in enumerate(people):
        for i in range(10):
            truth[momo.notes.create(person, f"n{person_number}-{i}", "")] = f"a{person_number}"
    measured = row_order(momo.db, truth)
    assert measured["items"] == 40
    if momo.db.dialect == "postgresql":
        assert measured["neighbours_same_author"] > 0.8, "the heap keeps the bursts"
        rewrite_in_key_order(momo.db)
        measured = row_order(momo.db, truth)
    assert measured["neighbours_same_author"] < 2.5 * measured["by_chance"], measured
