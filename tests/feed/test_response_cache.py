"""The response cache: one rebuild per miss, never a stale page after a write, and
nothing personal in what is shared."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from momo.core import Momo
from momo.feed.cache import ResponseCache
from tests.conftest import REDIS_URL, new_client, publish, sign_up


def test_concurrent_misses_build_once_and_later_readers_get_the_copy() -> None:
    cache = ResponseCache(60)
    builds: list[int] = []

    def render() -> bytes:
        builds.append(1)
        time.sleep(0.05)  # long enough for every reader to arrive while it runs
        return b"page"

    async def readers() -> list[bytes]:
        return await asyncio.gather(*(cache.get_or_build("k", render) for _ in range(20)))

    assert asyncio.run(readers()) == [b"page"] * 20
    assert len(builds) == 1, "a miss is rebuilt once, not by every waiting reader"


def test_a_write_outdates_every_page_and_readers_meanwhile_get_the_last_copy() -> None:
    cache = ResponseCache(60)
    version = {"n": 1}
    started = threading.Event()

    def render() -> bytes:
        started.set()
        time.sleep(0.05)
        return f"v{version['n']}".encode()

    async def scenario() -> tuple[bytes, bytes, bytes]:
        first = await cache.get_or_build("k", render)
        version["n"] = 2
        cache.invalidate()
        rebuilding = asyncio.create_task(cache.get_or_build("k", render))
        while not started.is_set() or (not rebuilding.done() and False):
            await asyncio.sleep(0.001)
        started.clear()
        await asyncio.sleep(0.01)
        meanwhile = await cache.get_or_build("k", render)  # the rebuild is still running
        return first, meanwhile, await rebuilding

    first, meanwhile, rebuilt = asyncio.run(scenario())
    assert first == b"v1" and rebuilt == b"v2"
    assert meanwhile == b"v1", "no second rebuild: the previous copy serves meanwhile"
    assert cache.fresh("k") == b"v2"


def test_the_ttl_bounds_a_page_and_zero_turns_the_cache_off() -> None:
    cache = ResponseCache(0.05)
    cache.put("k", cache.version(), b"x")
    assert cache.fresh("k") == b"x"
    time.sleep(0.06)
    assert cache.fresh("k") is None
    off = ResponseCache(0)
    calls: list[int] = []
    for _ in range(3):
        asyncio.run(off.get_or_build("k", lambda: calls.append(1) or b"y"))  # type: ignore[func-returns-value]
    assert len(calls) == 3


needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs MOMO_TEST_REDIS_URL")


class _CountingRedis:
    """A Redis client that counts the commands sent through it (not the polls of a
    subscription, which are no round trip)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.commands: list[str] = []

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name in ("get", "eval", "set", "incr", "execute_command"):

            def counted(*args: Any, **kwargs: Any) -> Any:
                self.commands.append(name)
                return attribute(*args, **kwargs)

            return counted
        return attribute


def _outdated_soon(cache: ResponseCache, key: str) -> bool:
    """Redis writes a bump to subscribers in the same pass as its reply to the
    writer, in no set order: another worker sees it within moments, not before."""
    deadline = time.monotonic() + 2
    while cache.fresh(key) is not None and time.monotonic() < deadline:
        time.sleep(0.001)
    return cache.fresh(key) is None


@needs_redis
def test_workers_share_the_version_through_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    one, two = ResponseCache(60, client), ResponseCache(60, client)
    two.put("k", two.version(), b"old")
    one.invalidate()  # a write at another worker
    assert _outdated_soon(two, "k")
    two.put("k", two.version(), b"new")
    assert two.fresh("k") == b"new"
    one.close()
    two.close()


@needs_redis
def test_a_cached_page_costs_no_redis_round_trip_and_still_sees_every_bump() -> None:
    import redis

    writer = ResponseCache(60, redis.Redis.from_url(REDIS_URL))
    counting = _CountingRedis(redis.Redis.from_url(REDIS_URL))
    reader = ResponseCache(60, counting)
    reader.put("k", reader.version(), b"page")
    asked = len(counting.commands)
    for _ in range(200):
        assert reader.fresh("k") == b"page"
    assert len(counting.commands) == asked, "a hit asked Redis for the version"
    for _ in range(5):
        writer.invalidate()
        assert _outdated_soon(reader, "k"), "a bump was never seen"
        reader.put("k", reader.version(), b"page")
        assert reader.fresh("k") == b"page"
    writer.close()
    reader.close()


@needs_redis
def test_a_broken_subscription_falls_back_to_asking_redis() -> None:
    import redis

    writer = ResponseCache(60, redis.Redis.from_url(REDIS_URL))
    reader = ResponseCache(60, redis.Redis.from_url(REDIS_URL))
    reader.put("k", reader.version(), b"page")
    subscription = reader._subscription
    assert subscription is not None
    subscription.connection.disconnect()  # the link to Redis drops
    writer.invalidate()  # a bump the subscription cannot deliver
    assert reader.fresh("k") is None, "a lost subscription served a stale page"
    writer.close()
    reader.close()


def test_cached_pages_follow_writes_and_never_carry_a_viewer(app: Any, momo: Momo) -> None:
    author, fan, anonymous = new_client(app), new_client(app), new_client(app)
    sign_up(author)
    sign_up(fan)
    note = author.post("/api/notes", json={"title": "缓存", "body": "一条笔记"}).json()["id"]
    publish(momo)
    comment = fan.post(f"/api/notes/{note}/comments", json={"body": "好"}).json()["id"]
    publish(momo)
    page = anonymous.get(f"/api/notes/{note}").json()
    assert page["viewer"] is None and page["comments"][0]["like_count"] == 0
    assert anonymous.get("/api/feed?kind=latest").json()["items"][0]["comment_count"] == 1

    assert author.post(f"/api/comments/{comment}/like").status_code == 200
    again = anonymous.get(f"/api/notes/{note}").json()
    assert again["comments"][0]["like_count"] == 1, "a like outdates the cached note page"
    own = author.get(f"/api/notes/{note}").json()
    assert own["viewer"] is not None, "a signed-in reader never gets the shared copy"
    assert anonymous.get(f"/api/notes/{note}").json()["viewer"] is None

    assert author.delete(f"/api/notes/{note}").status_code == 200
    assert anonymous.get("/api/feed?kind=latest").json()["items"] == []
    assert anonymous.get(f"/api/notes/{note}").status_code == 404
