"""A real ``momo serve`` for each attack, as an attacker meets it over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.server import RunningServer, running_server, short_buckets, sign_up_over_http


@dataclass
class Target:
    server: RunningServer
    env: dict[str, str]

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def person(self) -> tuple[httpx.Client, str]:
        """A new signed-in person: their client and account key."""
        client = httpx.Client(base_url=self.base_url, timeout=60)
        return client, sign_up_over_http(client)

    def anonymous(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=60)


@pytest.fixture
def target(tmp_path: Path, database_template: str) -> Iterator[Target]:
    env = short_buckets(
        database_template,
        MOMO_POW_DIFFICULTY="4",
        MOMO_SIGNUPS_PER_HOUR="100",
        MOMO_PROBATION_DAYS="0",
        MOMO_FEED_CACHE_SECONDS="0",
        MOMO_BODY_TIMEOUT_SECONDS="2",
        MOMO_HEADER_TIMEOUT_SECONDS="2",
    )
    with running_server(tmp_path, env) as server:
        yield Target(server, env)
