"""Rate limits that forget who they limited.

Subjects (an account id, a client address) are never stored as such: each is
replaced by an HMAC under a key that lives only in memory (or in Redis with a
TTL) and is replaced every rotation period. Once a key is gone, yesterday's
counters cannot be tied to anyone, even by the operator.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from momo.errors import TooManyRequests
from momo.privacy.coarse_time import Clock, system_clock


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int


class RateLimited(TooManyRequests):
    """A limit refused the request: a 429 with Retry-After, like every domain refusal."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "too many requests; try again in %(seconds)s s", retry_after, seconds=retry_after
        )


class CounterStore(Protocol):
    shared: bool  # seen by every worker (Redis), or this process's own

    def rotation_key(self, epoch: int, ttl: int) -> bytes: ...

    def increment(self, name: str, ttl: int, amount: int = 1) -> int: ...

    def first_time(self, name: str, ttl: int) -> bool: ...


class MemoryCounters:
    """Counters for a single process. Old epochs are dropped wholesale."""

    shared = False

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[int, bytes] = {}
        self._counts: dict[str, int] = {}
        self._seen: dict[str, float] = {}
        self._epoch = -1

    def rotation_key(self, epoch: int, ttl: int) -> bytes:
        with self._lock:
            if epoch != self._epoch:
                # Forget the old key and every counter made with it.
                self._keys = {epoch: secrets.token_bytes(32)}
                self._counts = {}
                self._epoch = epoch
            return self._keys[epoch]

    def increment(self, name: str, ttl: int, amount: int = 1) -> int:
        with self._lock:
            self._counts[name] = self._counts.get(name, 0) + amount
            return self._counts[name]

    def first_time(self, name: str, ttl: int) -> bool:
        """True the first time ``name`` is seen within ``ttl`` seconds."""
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {k: v for k, v in self._seen.items() if v > now}
            if self._seen.get(name, 0) > now:
                return False
            self._seen[name] = now + ttl
            return True


class RedisCounters:
    """Counters shared by every worker; Redis expires keys and counters itself."""

    shared = True

    def __init__(self, client: object) -> None:
        self._redis = client
        self._known: tuple[int, bytes] | None = None  # this epoch's key, once agreed

    def rotation_key(self, epoch: int, ttl: int) -> bytes:
        known = self._known
        if known is not None and known[0] == epoch:
            return known[1]  # an epoch's key never changes: no round trip per request
        name = f"momo:ratekey:{epoch}"
        redis = self._redis
        redis.set(name, secrets.token_bytes(32), nx=True, ex=ttl)  # type: ignore[attr-defined]
        value = bytes(redis.get(name))  # type: ignore[attr-defined]
        self._known = (epoch, value)
        return value

    def increment(self, name: str, ttl: int, amount: int = 1) -> int:
        pipe = self._redis.pipeline()  # type: ignore[attr-defined]
        pipe.incr(f"momo:rate:{name}", amount)
        pipe.expire(f"momo:rate:{name}", ttl)
        count, _ = pipe.execute()
        return int(count)

    def first_time(self, name: str, ttl: int) -> bool:
        return bool(self._redis.set(f"momo:seen:{name}", b"1", nx=True, ex=ttl))  # type: ignore[attr-defined]


class RateLimiter:
    def __init__(self, store: CounterStore, rotation_seconds: int, clock: Clock = system_clock):
        self._pending_lock = threading.Lock()
        # Requests counted here but not yet added to the shared count, and the
        # shared count last seen, by counter name (check_batched).
        self._pending: dict[str, tuple[int, int]] = {}
        self._store = store
        self._rotation = rotation_seconds
        self._clock = clock

    def subject_hash(self, scope: str, subject: str) -> str:
        epoch = int(self._clock()) // self._rotation
        key = self._store.rotation_key(epoch, self._rotation * 2)
        return hmac.new(key, f"{scope}\0{subject}".encode(), hashlib.sha256).hexdigest()[:32]

    def check(self, scope: str, subject: str, limit: int, window_seconds: int) -> Decision:
        now = int(self._clock())
        window = now // window_seconds
        name = f"{scope}:{self.subject_hash(scope, subject)}:{window}"
        count = self._store.increment(name, window_seconds + 1)
        retry_after = (window + 1) * window_seconds - now
        return Decision(allowed=count <= limit, retry_after=max(1, retry_after))

    def check_batched(
        self, scope: str, subject: str, limit: int, window_seconds: int, batch: int
    ) -> Decision:
        """``check`` for a limit that every request pays (the per-address request
        limit). With shared counters a process counts locally and adds to the shared
        count every ``batch`` requests, or sooner near the limit: one Redis round trip
        in ``batch`` instead of one per request. The shared count may trail by up to
        ``batch - 1`` requests per process, a small slack on a limit of hundreds."""
        if batch <= 1 or not self._store.shared:
            return self.check(scope, subject, limit, window_seconds)
        now = int(self._clock())
        window = now // window_seconds
        name = f"{scope}:{self.subject_hash(scope, subject)}:{window}"
        retry_after = max(1, (window + 1) * window_seconds - now)
        with self._pending_lock:
            if len(self._pending) > 50_000:
                self._pending.clear()  # old windows; the shared counts remain
            pending, known = self._pending.get(name, (0, 0))
            pending += 1
            if pending < batch and known + pending + batch <= limit:
                self._pending[name] = (pending, known)
                return Decision(allowed=True, retry_after=retry_after)
            self._pending[name] = (0, known)
        total = self._store.increment(name, window_seconds + 1, pending)
        with self._pending_lock:
            self._pending[name] = (0, total)
        return Decision(allowed=total <= limit, retry_after=retry_after)

    def first_time(self, token: str, ttl: int) -> bool:
        return self._store.first_time(hashlib.sha256(token.encode()).hexdigest(), ttl)

    def count_distinct(self, scope: str, subject: str, window_seconds: int) -> int | None:
        """Count distinct subjects in ``scope`` this window. Returns the new count when
        ``subject`` is new in this window, None when it was already counted."""
        window = int(self._clock()) // window_seconds
        marker = f"{scope}\0{self.subject_hash(scope, subject)}\0{window}"
        if not self.first_time(marker, window_seconds + 1):
            return None
        return self._store.increment(f"distinct:{scope}:{window}", window_seconds + 1)

    def enforce(self, scope: str, subject: str, limit: int, window_seconds: int) -> None:
        decision = self.check(scope, subject, limit, window_seconds)
        if not decision.allowed:
            raise RateLimited(decision.retry_after)
