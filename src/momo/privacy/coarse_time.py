"""Time as the public may see it: bucketed, and spoken relatively.

Exact timestamps let an observer correlate a post with someone's offline
activity or with traffic they watched, so nothing finer than a bucket
(default five minutes) is stored or shown.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime

from momo.translation import relative_age, translate

Clock = Callable[[], float]


def system_clock() -> float:
    return time.time()


def bucket(moment: float, granularity_seconds: int) -> int:
    return int(moment) - int(moment) % granularity_seconds


def bucket_iso(bucket_start: int) -> str:
    """ISO-8601 of a bucket's start, to the minute (never seconds)."""
    return datetime.fromtimestamp(bucket_start, UTC).strftime("%Y-%m-%dT%H:%MZ")


def clock_time(moment: int) -> str:
    """'14:05 UTC': when something will happen, for the person waiting for it."""
    return datetime.fromtimestamp(moment, UTC).strftime("%H:%M UTC")


def coarse_date(bucket_start: int) -> str:
    return datetime.fromtimestamp(bucket_start, UTC).strftime("%Y-%m-%d")


def relative(bucket_start: int, now: float, granularity_seconds: int, locale: str) -> str:
    """'刚刚' / 'just now' inside the current bucket, else '3小时前' / '3 hours ago'."""
    age = max(0.0, now - bucket_start)
    if age < granularity_seconds or age < 60:
        return translate(locale, "just now")
    return relative_age(age, locale)


class CoarseTime:
    """The server's only notion of 'now' for anything it stores or shows.

    Publication is batched: an item written during a bucket is stored with that
    bucket's start and becomes public only when the bucket has ended, together
    with everything else written in it. Someone polling therefore learns the
    bucket and nothing finer. Comments may use a shorter bucket than notes so a
    live conversation still flows.
    """

    def __init__(
        self,
        granularity_seconds: int,
        jitter_seconds: int,
        clock: Clock,
        comment_granularity_seconds: int | None = None,
    ) -> None:
        self.granularity = granularity_seconds
        self.comment_granularity = comment_granularity_seconds or granularity_seconds
        self.jitter = jitter_seconds
        self.clock = clock

    def now(self) -> float:
        return self.clock()

    def now_bucket(self) -> int:
        return bucket(self.clock(), self.granularity)

    def publish_bucket(self, *, comment: bool = False) -> int:
        """The bucket a new item joins: now's, or a later one by a random jitter.
        The item becomes public when that bucket ends."""
        delay = secrets.randbelow(self.jitter + 1) if self.jitter else 0
        return bucket(self.clock() + delay, self._granularity(comment))

    def public_before(self, *, comment: bool = False) -> int:
        """Items stored with a bucket start below this are public: their bucket has ended."""
        return bucket(self.clock(), self._granularity(comment))

    def release_key(self) -> str:
        """Changes exactly when something may go public (a note or comment bucket
        ends): a page cached under it can never show a release late or early."""
        return f"{self.public_before()}:{self.public_before(comment=True)}"

    def release_window(self, *, comment: bool = False) -> tuple[int, int]:
        """Earliest and latest moment an item written now goes public (the jitter
        picks a moment in between), to tell the writer when to expect it."""
        size = self._granularity(comment)
        return bucket(self.clock(), size) + size, bucket(self.clock() + self.jitter, size) + size

    def _granularity(self, comment: bool) -> int:
        return self.comment_granularity if comment else self.granularity

    def describe(self, bucket_start: int, locale: str) -> tuple[str, str]:
        return bucket_iso(bucket_start), relative(
            bucket_start, self.clock(), self.granularity, locale
        )
