"""Rate limits that forget who they limited.

Subjects (an account id, a client address) are never stored as such: each is
replaced by an HMAC under a key that lives only in memory (or in Redis with a
TTL) and is replaced every rotation period. Once a key is gone, yesterday's
counters cannot be tied to anyone, even by the operator.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from momo.errors import TooManyRequests
from momo.privacy.coarse_time import Clock, system_clock

log = logging.getLogger(__name__)

FLUSH_SECONDS = 0.25  # how long a worker's request counts may wait to be shared


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

    def increment_many(self, amounts: Mapping[str, tuple[int, int]]) -> dict[str, int]:
        """Add ``amount`` to each counter ``name: (amount, ttl)``; the new totals."""
        ...

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

    def increment_many(self, amounts: Mapping[str, tuple[int, int]]) -> dict[str, int]:
        return {name: self.increment(name, ttl, amount) for name, (amount, ttl) in amounts.items()}

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

    def increment_many(self, amounts: Mapping[str, tuple[int, int]]) -> dict[str, int]:
        """One round trip for every counter."""
        pipe = self._redis.pipeline(transaction=False)  # type: ignore[attr-defined]
        for name, (amount, ttl) in amounts.items():
            pipe.incrby(f"momo:rate:{name}", amount)
            pipe.expire(f"momo:rate:{name}", ttl)
        results = pipe.execute()
        return {name: int(total) for name, total in zip(amounts, results[::2], strict=True)}

    def first_time(self, name: str, ttl: int) -> bool:
        return bool(self._redis.set(f"momo:seen:{name}", b"1", nx=True, ex=ttl))  # type: ignore[attr-defined]


class RateLimiter:
    def __init__(self, store: CounterStore, rotation_seconds: int, clock: Clock = system_clock):
        self._pending_lock = threading.Lock()
        # Requests counted here but not yet added to the shared count, the shared
        # count last seen, and the counter's lifetime, by counter name (check_batched).
        self._pending: dict[str, tuple[int, int, int]] = {}
        self._flusher: tuple[int, threading.Thread] | None = None  # (process, thread)
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
        limit). With shared counters a process counts locally, and a background
        thread adds every local count to the shared ones in one round trip each
        ``FLUSH_SECONDS``: a Redis round trip per request (or per ten) cost a
        cached page a sixth of its speed. Within ``batch`` of the limit, as far as
        this process knows, every request goes to the shared count at once. Other
        workers' requests are seen ``FLUSH_SECONDS`` late, so a client spread over
        several workers can overshoot by what it sends in that time."""
        if batch <= 1 or not self._store.shared:
            return self.check(scope, subject, limit, window_seconds)
        now = int(self._clock())
        window = now // window_seconds
        name = f"{scope}:{self.subject_hash(scope, subject)}:{window}"
        retry_after = max(1, (window + 1) * window_seconds - now)
        ttl = window_seconds + 1
        with self._pending_lock:
            if len(self._pending) > 50_000:
                self._pending.clear()  # old windows; the shared counts remain
            pending, known, _ = self._pending.get(name, (0, 0, ttl))
            pending += 1
            if known + pending + batch <= limit:
                self._pending[name] = (pending, known, ttl)
                self._start_flusher()
                return Decision(allowed=True, retry_after=retry_after)
            self._pending[name] = (0, known, ttl)
        total = self._store.increment(name, ttl, pending)
        with self._pending_lock:
            waiting, _, _ = self._pending.get(name, (0, 0, ttl))
            self._pending[name] = (waiting, total, ttl)
        return Decision(allowed=total <= limit, retry_after=retry_after)

    def flush(self) -> None:
        """Add every request counted here to the shared counts, in one round trip."""
        with self._pending_lock:
            due = {name: (p, ttl) for name, (p, _, ttl) in self._pending.items() if p}
            for name, (_, ttl) in due.items():
                self._pending[name] = (0, self._pending[name][1], ttl)
        if not due:
            return
        try:
            totals = self._store.increment_many(due)
        except Exception:
            with self._pending_lock:  # counted again at the next flush
                for name, (amount, ttl) in due.items():
                    pending, known, _ = self._pending.get(name, (0, 0, ttl))
                    self._pending[name] = (pending + amount, known, ttl)
            raise
        with self._pending_lock:
            for name, total in totals.items():
                pending, _, ttl = self._pending.get(name, (0, 0, due[name][1]))
                self._pending[name] = (pending, total, ttl)

    def _start_flusher(self) -> None:
        # Under _pending_lock. A forked worker inherits the limiter but not the thread.
        if self._flusher is None or self._flusher[0] != os.getpid():
            thread = threading.Thread(
                target=_flush_while_alive, args=(weakref.ref(self),), daemon=True
            )
            self._flusher = (os.getpid(), thread)
            thread.start()

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


def _flush_while_alive(limiter_ref: weakref.ref[RateLimiter]) -> None:
    """The flushing thread holds its limiter weakly and ends with it, so a process that
    builds apps again and again (tests, reloads) does not gather sleeping threads."""
    while True:
        time.sleep(FLUSH_SECONDS)
        limiter = limiter_ref()
        if limiter is None:
            return
        try:
            limiter.flush()
        except Exception:  # Redis away for a moment: the counts wait for the next try
            log.warning("could not share request counts", exc_info=True)
        del limiter
