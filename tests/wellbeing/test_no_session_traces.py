"""Nothing on the server describes a person's habits: a day of someone reading,
scrolling to the end and searching leaves no log line, no row and no file
change that tells when they came or how long they stayed."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from sqlalchemy import MetaData, Table, inspect, select

from momo.storage.database import Database
from tests.conftest import PG_URL
from tests.server import bucket_ends, running_server, short_buckets, sign_up_over_http

# A log line with a clock time, a request line or a duration would give a session away.
TRACES = re.compile(
    r"\d{1,2}:\d{2}:\d{2}|GET |POST |HTTP/1|/api/|/latest|/search|\d+(\.\d+)?\s?(ms|s)\b"
)


def _snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    db = Database(url)
    try:
        with db.read() as conn:
            names = sorted(inspect(conn).get_table_names())
            tables = {}
            for name in names:
                if db.dialect == "sqlite" and name == "note_search":
                    continue  # contentless FTS: its shadow tables hold the data, compared too
                table = Table(name, MetaData(), autoload_with=conn)
                rows = conn.execute(select(table)).all()
                tables[name] = sorted((tuple(row) for row in rows), key=repr)
            return tables
    finally:
        db.dispose()


def _files(folder: Path) -> dict[str, bytes]:
    # SQLite's -shm is the WAL's shared-memory index: readers move its read marks
    # (frame numbers, no times), and it is rebuilt from the WAL, never backed up.
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith("-shm")
    }


def test_reading_for_a_day_leaves_no_trace(tmp_path: Path, database_template: str) -> None:
    env = short_buckets(database_template, MOMO_DISCOVER_DAILY_NOTES="5")
    with running_server(tmp_path, env) as server:
        url = database_template if PG_URL else f"sqlite:///{server.data_dir / 'momo.sqlite3'}"
        with httpx.Client(base_url=server.base_url, timeout=30) as author:
            sign_up_over_http(author)
            for i in range(8):
                author.post("/api/notes", json={"title": f"晚饭 {i}", "body": "番茄炒蛋 #晚饭"})
        bucket_ends()
        with httpx.Client(base_url=server.base_url, timeout=30) as warm:
            note = warm.get("/api/feed", params={"kind": "latest"}).json()["items"][0]["id"]
        before_rows = _snapshot(url)
        before_files = _files(server.data_dir)

        # Three sittings of a heavy reader, one of them signed in.
        with httpx.Client(base_url=server.base_url, timeout=30) as reader:
            for sitting in range(3):
                if sitting == 2:
                    sign_up_over_http(reader)
                    before_rows = _snapshot(url)  # an account was made; reading starts now
                    before_files = _files(server.data_dir)
                cursor = None
                while True:
                    params = {"kind": "discover", **({"cursor": cursor} if cursor else {})}
                    page = reader.get("/api/feed", params=params).json()
                    cursor = page["next_cursor"]
                    if cursor is None:
                        assert page["caught_up"]
                        break
                for path in ("/", "/latest", f"/notes/{note}", "/wellbeing", "/search?q=晚饭"):
                    assert reader.get(path, headers={"accept": "text/html"}).status_code == 200
                reader.get(f"/api/notes/{note}")
                reader.get("/api/search", params={"q": "番茄"})
                reader.post("/api/privacy/scan", json={"text": "I want to die"})

        assert _snapshot(url) == before_rows, "reading changed the database"
        after_files = _files(server.data_dir)
        changed = [name for name, data in after_files.items() if before_files.get(name) != data]
        assert changed == [], f"reading changed {changed}"
    logged = server.stdout.read_text() + server.stderr.read_text()
    assert not TRACES.search(logged), logged
