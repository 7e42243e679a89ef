import gc
import os
import time
from collections.abc import Mapping

import pytest
import redis

from momo.privacy import ratelimit
from momo.privacy.ratelimit import MemoryCounters, RateLimited, RateLimiter, RedisCounters
from tests.conftest import FakeClock


def test_limit_allows_then_refuses_then_resets_next_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(MemoryCounters(), 3600, clock)
    assert all(limiter.check("post", "acct", 3, 60).allowed for _ in range(3))
    decision = limiter.check("post", "acct", 3, 60)
    assert not decision.allowed and 1 <= decision.retry_after <= 60
    assert limiter.check("post", "someone-else", 3, 60).allowed
    clock.advance(61)
    assert limiter.check("post", "acct", 3, 60).allowed


def test_subject_hash_changes_when_the_key_rotates() -> None:
    clock = FakeClock()
    limiter = RateLimiter(MemoryCounters(), 3600, clock)
    before = limiter.subject_hash("client", "127.0.0.1")
    assert before == limiter.subject_hash("client", "127.0.0.1")
    assert "127.0.0.1" not in before
    clock.advance(3600)
    assert limiter.subject_hash("client", "127.0.0.1") != before


def test_enforce_raises_with_retry_after() -> None:
    limiter = RateLimiter(MemoryCounters(), 3600, FakeClock())
    limiter.enforce("x", "s", 1, 60)
    with pytest.raises(RateLimited) as raised:
        limiter.enforce("x", "s", 1, 60)
    assert raised.value.retry_after >= 1


@pytest.mark.skipif(not os.environ.get("MOMO_TEST_REDIS_URL"), reason="MOMO_TEST_REDIS_URL not set")
def test_redis_counters_share_limits_and_expire_their_key() -> None:
    client = redis.Redis.from_url(os.environ["MOMO_TEST_REDIS_URL"])
    client.flushdb()
    clock = FakeClock()
    first = RateLimiter(RedisCounters(client), 3600, clock)
    second = RateLimiter(RedisCounters(client), 3600, clock)
    assert first.subject_hash("c", "a") == second.subject_hash("c", "a")
    assert first.check("p", "a", 2, 60).allowed and second.check("p", "a", 2, 60).allowed
    assert not first.check("p", "a", 2, 60).allowed
    keys = [k for k in client.keys("momo:ratekey:*")]
    assert keys and all(0 < client.ttl(k) <= 7200 for k in keys)
    assert all(client.ttl(k) > 0 for k in client.keys("momo:rate:*"))
    totals = RedisCounters(client).increment_many({"x": (3, 60), "y": (1, 60)})
    assert totals == {"x": 3, "y": 1}
    assert 0 < client.ttl("momo:rate:x") <= 60


class _SharedCounters(MemoryCounters):
    """One store standing in for Redis: seen by every 'worker', counting round trips."""

    shared = True

    def __init__(self) -> None:
        super().__init__()
        self.round_trips = 0
        self.failing = 0

    def increment(self, name: str, ttl: int, amount: int = 1) -> int:
        self.round_trips += 1
        return super().increment(name, ttl, amount)

    def increment_many(self, amounts: Mapping[str, tuple[int, int]]) -> dict[str, int]:
        if self.failing:
            self.failing -= 1
            raise ConnectionError("Redis is restarting")
        self.round_trips += 1
        return {
            name: MemoryCounters.increment(self, name, ttl, n) for name, (n, ttl) in amounts.items()
        }

    def count(self, name_part: str) -> int:
        return sum(n for name, n in self._counts.items() if name_part in name)


@pytest.fixture
def no_background_flush(monkeypatch: pytest.MonkeyPatch) -> None:
    """The flushing thread sleeps through the test: flushes happen when it says."""
    monkeypatch.setattr(ratelimit, "FLUSH_SECONDS", 3600.0)


@pytest.mark.usefixtures("no_background_flush")
def test_batched_request_counts_hold_the_limit_across_workers() -> None:
    store = _SharedCounters()
    clock = lambda: 1_000_000.0  # noqa: E731
    workers = [RateLimiter(store, 3600, clock), RateLimiter(store, 3600, clock)]
    allowed = 0
    for i in range(400):
        if workers[i % 2].check_batched("requests", "client", 100, 60, batch=10).allowed:
            allowed += 1
        if i % 20 == 19:  # a flush period passes every 20 requests
            for worker in workers:
                worker.flush()
    # A client spread over workers can overshoot by what it sends in one period.
    assert 100 <= allowed <= 100 + 20, allowed


@pytest.mark.usefixtures("no_background_flush")
def test_far_from_the_limit_requests_cost_one_round_trip_per_flush() -> None:
    busy = _SharedCounters()
    worker = RateLimiter(busy, 3600, lambda: 1_000_000.0)
    assert all(
        worker.check_batched("requests", "c", 10_000, 60, batch=10).allowed for _ in range(400)
    )
    assert busy.round_trips == 0, "counted here until the flush"
    worker.flush()
    assert busy.round_trips == 1 and busy.count("requests") == 400
    worker.flush()
    assert busy.round_trips == 1, "nothing new, nothing sent"


@pytest.mark.usefixtures("no_background_flush")
def test_counts_that_failed_to_flush_are_sent_with_the_next() -> None:
    store = _SharedCounters()
    worker = RateLimiter(store, 3600, lambda: 1_000_000.0)
    for _ in range(30):
        worker.check_batched("requests", "c", 10_000, 60, batch=10)
    store.failing = 1
    with pytest.raises(ConnectionError):
        worker.flush()
    for _ in range(5):
        worker.check_batched("requests", "c", 10_000, 60, batch=10)
    worker.flush()
    assert store.count("requests") == 35


def test_a_background_thread_shares_the_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "FLUSH_SECONDS", 0.02)
    store = _SharedCounters()
    worker = RateLimiter(store, 3600, lambda: 1_000_000.0)
    for _ in range(30):
        worker.check_batched("requests", "c", 10_000, 60, batch=10)
    deadline = time.monotonic() + 5
    while store.count("requests") < 30 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert store.count("requests") == 30


def test_batching_is_exact_when_counters_are_this_process_own() -> None:
    limiter = RateLimiter(MemoryCounters(), 3600, lambda: 1_000_000.0)
    decisions = [limiter.check_batched("requests", "c", 5, 60, batch=10) for _ in range(7)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False] * 2


def test_the_flushing_thread_ends_with_its_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "FLUSH_SECONDS", 0.01)
    worker = RateLimiter(_SharedCounters(), 3600, lambda: 1_000_000.0)
    worker.check_batched("requests", "c", 10_000, 60, batch=10)
    assert worker._flusher is not None
    thread = worker._flusher[1]
    assert thread.is_alive()
    del worker
    gc.collect()
    thread.join(timeout=5)
    assert not thread.is_alive(), "a thread for every limiter ever built"
