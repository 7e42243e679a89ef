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
