from hypothesis import given
from hypothesis import strategies as st

from momo.privacy.coarse_time import CoarseTime, bucket, bucket_iso, relative


@given(st.floats(min_value=0, max_value=4e9), st.sampled_from([60, 300, 900, 3600]))
def test_bucket_is_the_start_of_its_granule(moment: float, granularity: int) -> None:
    start = bucket(moment, granularity)
    assert start % granularity == 0
    assert start <= moment < start + granularity


def test_iso_form_never_shows_seconds() -> None:
    assert bucket_iso(bucket(1_790_000_123, 300)) == "2026-09-21T14:15Z"


def test_relative_time_in_both_languages() -> None:
    now = 1_790_000_000
    assert relative(bucket(now, 300), now, 300, "zh-CN") == "刚刚"
    assert relative(bucket(now, 300), now, 300, "en") == "just now"
    assert relative(now - 2 * 3600, now, 300, "zh-CN") == "2小时前"  # CLDR wording, via Babel
    assert relative(now - 3 * 86400, now, 300, "en") == "3 days ago"
    assert relative(now - 3600, now, 300, "en") == "1 hour ago"


def test_publish_jitter_delays_within_bounds() -> None:
    now = 1_790_000_000.0
    time = CoarseTime(300, 3600, lambda: now)
    buckets = {time.publish_bucket() for _ in range(200)}
    assert len(buckets) > 1, "jitter should spread publication over several buckets"
    assert all(bucket(now, 300) <= b <= bucket(now + 3600, 300) for b in buckets)
    assert CoarseTime(300, 0, lambda: now).publish_bucket() == bucket(now, 300)


def test_ages_a_few_seconds_apart_read_the_same_and_units_still_change() -> None:
    now = 1_790_000_000
    # The wording is cached by the minute; seconds inside one minute never show.
    assert relative(now - 7200 - 20, now, 300, "en") == relative(now - 7200 + 20, now, 300, "en")
    assert relative(now - 5 * 60, now, 300, "en") == "5 minutes ago"
    assert relative(now - 6 * 60, now, 300, "zh-CN") == "6分钟前"
    assert relative(now - 2 * 86400, now, 300, "en") == "2 days ago"
