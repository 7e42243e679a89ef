import os

import pytest
import redis

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


class _SharedCounters(MemoryCounters):
    """One store standing in for Redis: seen by every 'worker', counting round trips."""

    shared = True

    def __init__(self) -> None:
        super().__init__()
        self.round_trips = 0

    def increment(self, name: str, ttl: int, amount: int = 1) -> int:
        self.round_trips += 1
        return super().increment(name, ttl, amount)


def test_batched_request_counts_hold_the_limit_across_workers() -> None:
    store = _SharedCounters()
    clock = lambda: 1_000_000.0  # noqa: E731
    workers = [RateLimiter(store, 3600, clock), RateLimiter(store, 3600, clock)]
    allowed = 0
    for i in range(400):
        if workers[i % 2].check_batched("requests", "client", 100, 60, batch=10).allowed:
            allowed += 1
    assert 100 <= allowed <= 100 + 2 * 10, allowed
    busy = _SharedCounters()
    worker = RateLimiter(busy, 3600, clock)
    assert all(
        worker.check_batched("requests", "c", 10_000, 60, batch=10).allowed for _ in range(400)
    )
    assert busy.round_trips <= 400 / 10 + 1, "far from the limit, one round trip in ten"


def test_batching_is_exact_when_counters_are_this_process_own() -> None:
    limiter = RateLimiter(MemoryCounters(), 3600, lambda: 1_000_000.0)
    decisions = [limiter.check_batched("requests", "c", 5, 60, batch=10) for _ in range(7)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False] * 2
