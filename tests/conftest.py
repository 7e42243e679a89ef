"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL/Redis
when MOMO_TEST_DATABASE_URL / MOMO_TEST_REDIS_URL are set (see .ci/run)."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import inspect, text

from momo.config import Settings
from momo.core import Momo
from momo.identity.accounts import Viewer
from momo.identity.proof_of_work import solve
from momo.storage.database import Database
from momo.storage.migrate import upgrade
from momo.web.app import create_app

PG_URL = os.environ.get("MOMO_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("MOMO_TEST_REDIS_URL")
SUITE_SCHEMA = "momo_suite"


class FakeClock:
    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def with_schema(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database: a SQLite file to copy, or a PostgreSQL schema to truncate."""
    if PG_URL:
        admin = Database(PG_URL)
        with admin.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SUITE_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SUITE_SCHEMA}"))
        admin.dispose()
        url = with_schema(PG_URL, SUITE_SCHEMA)
        db = Database(url)
        upgrade(db.engine)
        db.dispose()
        return url
    path = tmp_path_factory.mktemp("template") / "momo.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    db.dispose()
    return str(path)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    """Debian's chromium through Playwright, with the flags this sandbox needs."""
    if CHROMIUM is None:
        if os.environ.get("MOMO_REQUIRE_BROWSER"):
            pytest.fail("MOMO_REQUIRE_BROWSER is set but chromium is not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, database_template: str) -> Settings:
    return make_settings(tmp_path, database_template)


def make_settings(tmp_path: Path, database_template: str) -> Settings:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    # A small proof-of-work keeps sign-ups cheap in tests while still exercising it.
    values: dict[str, object] = {
        "data_dir": data_dir,
        "feed_cache_seconds": 5.0,
        "pow_difficulty": 8,
    }
    if PG_URL:
        values["database_url"] = database_template
    else:
        target = data_dir / "momo.sqlite3"
        shutil.copy(database_template, target)
    if REDIS_URL:
        values["redis_url"] = REDIS_URL
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def momo(settings: Settings, clock: FakeClock) -> Iterator[Momo]:
    if PG_URL:
        # Empty the schema first: a database with accounts and no secrets file is
        # refused at start, as it must be.
        empty_postgres(str(settings.database_url))
    instance = Momo(settings, clock=clock)
    if instance.redis is not None:
        instance.redis.flushdb()
    instance.migrate()
    yield instance
    instance.close()


def empty_postgres(url: str) -> None:
    db = Database(url)
    with db.engine.begin() as conn:
        # Every table but the migration stamp, the search index included.
        tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
        conn.execute(text(f"TRUNCATE {', '.join(sorted(tables))} CASCADE"))
    db.dispose()


@pytest.fixture
def app(momo: Momo):  # type: ignore[no-untyped-def]
    return create_app(momo)


@pytest.fixture
def client(app) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app)


def new_client(app) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app)


def solved_pow(client: TestClient) -> dict[str, str]:
    challenge = client.get("/api/pow").json()
    return {
        "challenge": challenge["challenge"],
        "nonce": solve(challenge["challenge"], challenge["difficulty"]),
    }


def sign_up(client: TestClient) -> str:
    response = client.post("/api/accounts", json={"pow": solved_pow(client)})
    assert response.status_code == 201, response.text
    key = response.json()["account_key"]
    assert client.post("/api/session", json={"account_key": key}).status_code == 200
    return key


def jpeg_bytes(size: tuple[int, int] = (64, 48), color: str = "red", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG", **save)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (32, 32), mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 200, 30, 128) if mode == "RGBA" else (10, 200, 30)).save(
        out, format="PNG"
    )
    return out.getvalue()


def viewers(momo: Momo, count: int, *, probation: bool = False) -> list[Viewer]:
    """Signed-in people straight through the domain, for tests below the web layer."""
    people = []
    for _ in range(count):
        created = momo.accounts.create(probation=probation)
        viewer = momo.accounts.resolve(momo.accounts.sign_in(created.account_key))
        assert viewer is not None
        people.append(viewer)
    return people


def publish(momo: Momo) -> None:
    """Let the current time buckets end and publish them (batched publication)."""
    clock: FakeClock = momo.time.clock  # type: ignore[assignment]
    clock.advance(momo.settings.time_granularity_seconds)
    momo.publication.publish_due()
