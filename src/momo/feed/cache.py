"""Whole serialised responses for the pages that are the same for everyone.

A first feed page, for a given kind, locale and time bucket, is the same bytes
for every anonymous reader: the server keeps those bytes and serves them with
no query, no model building and no template. Every write that changes public
content bumps a version number (in Redis when configured, so all workers see
it at once); an entry is good only for the version it was built under, and the
TTL bounds its life in any case.

With Redis, a worker does not ask for the version on every request (that round
trip was the largest cost of a cached page). Each bump is also published, and
every worker holds a subscription: before serving, it drains whatever has
arrived on that socket, a non-blocking poll with no round trip. Redis queues
the message for subscribers in the same command as the writer's reply and
sends both in one pass of its event loop, in no set order: a worker sees the
bump within moments of the writer, and long before the writer's HTTP response
can bring anyone to another worker. (A read racing the write itself may get
the page from just before it, as if it had come a moment earlier.) If the
subscription breaks, the worker asks Redis directly until it is back.

While one request rebuilds a missing or outdated entry, the others wait for it
on a per-key lock, or get the previous copy if there is one: a write never
sends every concurrent reader to the database at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool

VERSION_KEY = "momo:feed:generation"
VERSION_CHANNEL = "momo:feed:generation"
RESUBSCRIBE_SECONDS = 1.0
# Bump and announce in one atomic step, so no subscriber can miss a bump that the
# counter shows.
_BUMP = """
local version = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], version)
return version
"""
MAX_ENTRIES = 2048  # pages × locales; the oldest stored go first


@dataclass(frozen=True)
class _Entry:
    version: int
    expires: float
    body: bytes


class ResponseCache:
    def __init__(self, ttl_seconds: float, redis: Any | None = None) -> None:
        self._ttl = ttl_seconds
        self._redis = redis
        self._version = 0
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._locks: dict[tuple[int, str], asyncio.Lock] = {}
        self._guard = threading.Lock()
        self._listening = threading.Lock()  # a PubSub object is not thread-safe
        self._subscription: Any | None = None
        self._subscribe_after = 0.0
        self._confirmed = False  # the subscription is confirmed since its last connect

    @property
    def enabled(self) -> bool:
        return self._ttl > 0

    def version(self) -> int:
        if self._redis is None:
            return self._version
        with self._listening:
            try:
                if self._subscription is None:
                    self._subscribe()
                if self._subscription is not None:
                    self._drain()
                    if self._confirmed:
                        return self._version
            except Exception:  # any failure: fall back to asking, subscribe again later
                self._unsubscribe()
        return int(self._redis.get(VERSION_KEY) or 0)

    def invalidate(self) -> None:
        """Public content changed: every stored response is outdated from now on."""
        if self._redis is not None:
            version = int(self._redis.eval(_BUMP, 1, VERSION_KEY, VERSION_CHANNEL))
            with self._guard:
                self._version = version  # our own message will say the same
            return
        with self._guard:
            self._version += 1

    def close(self) -> None:
        with self._listening:
            self._unsubscribe()

    def _subscribe(self) -> None:
        if time.monotonic() < self._subscribe_after:
            return
        subscription = self._redis.pubsub(ignore_subscribe_messages=False)  # type: ignore[union-attr]
        subscription.subscribe(VERSION_CHANNEL)
        confirmed = subscription.get_message(timeout=1.0)
        if not confirmed or confirmed["type"] != "subscribe":
            subscription.close()
            raise ConnectionError("no subscription confirmation from Redis")
        self._subscription = subscription
        self._confirmed = True
        # After a reconnect the client subscribes again by itself; until Redis
        # confirms it, bumps may go by unseen, so the version is asked directly.
        subscription.connection.register_connect_callback(self._reconnected)
        # Read only once subscribed, so that no bump falls between the two.
        current = int(self._redis.get(VERSION_KEY) or 0)  # type: ignore[union-attr]
        with self._guard:
            self._version = current

    def _drain(self) -> None:
        assert self._subscription is not None
        while (message := self._subscription.get_message(timeout=0)) is not None:
            if message["type"] == "message":
                # Assigned, not maxed: messages come in bump order, and a Redis
                # that lost its data starts counting again from one.
                with self._guard:
                    self._version = int(message["data"])
            elif message["type"] == "subscribe":
                # The client reconnected and subscribed again by itself: bumps may
                # have gone by meanwhile, so ask once.
                current = int(self._redis.get(VERSION_KEY) or 0)  # type: ignore[union-attr]
                with self._guard:
                    self._version = current
                self._confirmed = True

    def _reconnected(self, _connection: Any) -> None:
        self._confirmed = False

    def _unsubscribe(self) -> None:
        if self._subscription is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                self._subscription.close()
        self._subscription = None
        self._subscribe_after = time.monotonic() + RESUBSCRIBE_SECONDS

    def fresh(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None or entry.expires < time.monotonic() or entry.version != self.version():
            return None
        return entry.body

    def put(self, key: str, version: int, body: bytes) -> None:
        with self._guard:
            self._entries[key] = _Entry(version, time.monotonic() + self._ttl, body)
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def build(self, key: str, render: Callable[[], bytes]) -> bytes:
        """Render and store (called off the event loop, on a miss)."""
        version = self.version()  # before reading: a write meanwhile outdates the copy
        body = render()
        if self.enabled:
            self.put(key, version, body)
        return body

    async def get_or_build(self, key: str, render: Callable[[], bytes]) -> bytes:
        """The stored bytes, or one rebuild that concurrent requests share."""
        if not self.enabled:
            return await run_in_threadpool(render)
        body = self.fresh(key)
        if body is not None:
            return body
        # One lock per event loop and key: an asyncio lock belongs to one loop.
        lock = self._locks.setdefault((id(asyncio.get_running_loop()), key), asyncio.Lock())
        stale = self._entries.get(key)
        if lock.locked() and stale is not None:
            return stale.body  # someone is rebuilding it; the last copy will do
        async with lock:
            body = self.fresh(key)
            if body is not None:
                return body
            return await run_in_threadpool(self.build, key, render)
