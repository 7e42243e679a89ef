"""Whole serialised responses for the pages that are the same for everyone.

A first feed page, for a given kind, locale and time bucket, is the same bytes
for every anonymous reader: the server keeps those bytes and serves them with
no query, no model building and no template. Every write that changes public
content bumps a version number (in Redis when configured, so all workers see
it at once); an entry is good only for the version it was built under, and the
TTL bounds its life in any case.

While one request rebuilds a missing or outdated entry, the others wait for it
on a per-key lock, or get the previous copy if there is one: a write never
sends every concurrent reader to the database at once.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool

VERSION_KEY = "momo:feed:generation"
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

    @property
    def enabled(self) -> bool:
        return self._ttl > 0

    def version(self) -> int:
        if self._redis is not None:
            return int(self._redis.get(VERSION_KEY) or 0)
        return self._version

    def invalidate(self) -> None:
        """Public content changed: every stored response is outdated from now on."""
        if self._redis is not None:
            self._redis.incr(VERSION_KEY)
            return
        with self._guard:
            self._version += 1

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
