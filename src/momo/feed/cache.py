"""A brief cache for first feed pages, which are the same for everyone.

Writes bump a generation number, so a new note shows at once; the TTL only
bounds how long a page may live. With Redis configured the cache is shared
by every worker.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any


class FeedCache:
    def __init__(self, ttl_seconds: float, redis: Any | None = None) -> None:
        self._ttl = ttl_seconds
        self._redis = redis
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, int, Any]] = {}
        self._generation = 0

    def _current_generation(self) -> int:
        if self._redis is not None:
            return int(self._redis.get("momo:feed:generation") or 0)
        return self._generation

    def get(self, key: str) -> Any | None:
        if self._ttl <= 0:
            return None
        generation = self._current_generation()
        if self._redis is not None:
            raw = self._redis.get(f"momo:feed:{generation}:{key}")
            return None if raw is None else json.loads(raw)
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic() or entry[1] != generation:
            return None
        return entry[2]

    def put(self, key: str, value: Any) -> None:
        if self._ttl <= 0:
            return
        generation = self._current_generation()
        if self._redis is not None:
            self._redis.set(
                f"momo:feed:{generation}:{key}", json.dumps(value), px=int(self._ttl * 1000)
            )
            return
        with self._lock:
            self._entries[key] = (time.monotonic() + self._ttl, generation, value)

    def invalidate(self) -> None:
        if self._redis is not None:
            self._redis.incr("momo:feed:generation")
            return
        with self._lock:
            self._generation += 1
            self._entries.clear()
