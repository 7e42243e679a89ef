"""The app's lifespan: a housekeeping timer publishes ended buckets and empties the
WAL without any request, and shutdown closes the database."""

from __future__ import annotations

import gc
import time
import weakref
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from momo.content.tables import notes
from momo.core import Momo
from momo.web import app as web_app
from momo.web.app import create_app
from tests.conftest import PG_URL, FakeClock, sign_up


def test_housekeeping_publishes_and_checkpoints_on_its_own(momo: Momo, clock: FakeClock) -> None:
    app = create_app(momo, housekeeping_seconds=0.05)
    with TestClient(app) as client:
        sign_up(client)
        client.post("/api/notes", json={"title": "t", "body": "b"})
        clock.advance(momo.settings.time_granularity_seconds)
        deadline = time.monotonic() + 5
        published = False
        while time.monotonic() < deadline and not published:
            time.sleep(0.05)
            with momo.db.read() as conn:
                published = bool(conn.scalar(select(notes.c.published)))
        assert published, "no request was needed to publish the ended bucket"
        if not PG_URL:
            wal = Path(f"{momo.settings.sqlite_file}-wal")
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and wal.stat().st_size:
                time.sleep(0.05)
            assert wal.stat().st_size == 0, "the timer truncates the WAL"


def test_a_running_server_keeps_what_lives_long_out_of_full_collections(
    momo: Momo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full collection walked the whole heap (65 ms on the benchmark machine)
    while every request waited. What is alive at startup, and again after the
    first housekeeping round, is frozen out of it; garbage is not, and shutdown
    gives everything back to the collector."""
    # Frozen objects that die leave the frozen count, so the count alone cannot
    # tell when the second settling happened: it is counted where it is called.
    frozen: list[int] = []
    settle = web_app.settle_heap

    def settle_and_count() -> None:
        settle()
        frozen.append(gc.get_freeze_count())

    monkeypatch.setattr(web_app, "settle_heap", settle_and_count)
    app = create_app(momo, housekeeping_seconds=0.05)
    with TestClient(app) as client:
        assert frozen and frozen[0] > 10_000, "startup freezes what is alive"
        assert len(gc.get_objects()) < frozen[0] / 5
        client.get("/api/feed")
        deadline = time.monotonic() + 5
        while len(frozen) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(frozen) == 2, "the first housekeeping round settles again, and only it"
        cycle: list[object] = []
        cycle.append(cycle)
        alive = weakref.ref(_Tracked(cycle))
        gc.collect()
        assert alive() is None, "garbage made after the freeze is still collected"
    assert gc.get_freeze_count() == 0


class _Tracked:
    def __init__(self, payload: object) -> None:
        self.me = self
        self.payload = payload


@pytest.mark.skipif(bool(PG_URL), reason="the WAL is SQLite's")
def test_shutdown_leaves_no_wal_behind(momo: Momo) -> None:
    with TestClient(create_app(momo)) as client:
        sign_up(client)
        client.post("/api/notes", json={"title": "t", "body": "b"})
    wal = Path(f"{momo.settings.sqlite_file}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_no_router_can_take_another_routers_path() -> None:
    """The app puts its busiest routers first. That is safe only while no route of
    one router matches a path another router serves with the same method."""
    import re

    from fastapi.routing import APIRoute

    from momo.web import api, context_routes, moderation_api, moderation_pages, pages

    routers = [
        api.router,
        pages.router,
        context_routes.api,
        context_routes.pages,
        moderation_api.router,
        moderation_pages.router,
    ]
    served = [
        (index, route)
        for index, router in enumerate(routers)
        for route in router.routes
        if isinstance(route, APIRoute)
    ]
    assert len(served) > 60
    for index, route in served:
        sample = re.sub(r"\{[^}]+\}", "sample", route.path)
        for other_index, other in served:
            if other_index != index and other.methods & route.methods:
                assert not other.path_regex.match(sample), (
                    f"{sorted(other.methods)} {other.path} would take {route.path}"
                )
