"""Privacy rule 1: a real server, a marker client address, and a search of everything it wrote."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
from sqlalchemy import select

from momo.storage.database import Database
from momo.storage.metadata import metadata
from tests.conftest import PG_URL, empty_postgres, jpeg_bytes
from tests.server import running_server, sign_up_over_http

MARKER = "127.0.0.77"
SPOOFED = "203.0.113.9"


def test_marker_address_is_nowhere(tmp_path: Path, database_template: str) -> None:
    env = {"MOMO_FEED_CACHE_SECONDS": "0"}
    if PG_URL:
        env["MOMO_DATABASE_URL"] = database_template
        empty_postgres(database_template)
    with running_server(tmp_path, env, local_address=MARKER) as server:
        transport = httpx.HTTPTransport(local_address=MARKER)
        with httpx.Client(
            base_url=server.base_url,
            transport=transport,
            timeout=10,
            headers={"X-Forwarded-For": SPOOFED},
        ) as client:
            sign_up_over_http(client)
            note = client.post(
                "/api/notes/with-images",
                data={"title": "where am I", "body": "#test"},
                files=[("images", ("a.jpg", jpeg_bytes(), "image/jpeg"))],
            ).json()["id"]
            client.post(f"/api/notes/{note}/comments", json={"body": "hello"})
            client.post(f"/api/notes/{note}/like")
            assert client.get("/api/notes/doesnotexist").status_code == 404
            malformed = client.post(
                "/api/notes", content=b"{bad json", headers={"content-type": "application/json"}
            )
            assert malformed.status_code == 400
            assert client.get("/", headers={"accept": "text/html"}).status_code == 200
            client.get(f"/notes/{note}", headers={"accept": "text/html"})
            client.get("/api/search", params={"q": "where"})

    files = [p for p in server.data_dir.rglob("*") if p.is_file()]
    places: list[tuple[str, bytes]] = [(str(p), p.read_bytes()) for p in files]
    places += [("stdout", server.stdout.read_bytes()), ("stderr", server.stderr.read_bytes())]
    assert any(name.endswith("secrets.json") for name, _ in places), "the server wrote files"
    assert PG_URL or any(name.endswith("momo.sqlite3") for name, _ in places)
    if PG_URL:
        db = Database(database_template)
        with db.read() as conn:
            for table in metadata.sorted_tables:
                for row in conn.execute(select(table)):
                    places.append((table.name, repr(tuple(row)).encode()))
        db.dispose()
    needles = [
        MARKER.encode(),
        SPOOFED.encode(),
        socket.inet_aton(MARKER),
        MARKER.encode("utf-16-le"),
    ]
    for name, content in places:
        for needle in needles:
            assert needle not in content, f"{needle!r} found in {name}"
