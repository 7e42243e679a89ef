"""Who may post right now: sanctions and per-account rate limits.

Limits are counted per account through the rotating keyed hash in
``privacy.ratelimit``, so the counters cannot be tied to anyone once the key
rotates. Accounts in probation get tighter limits.
"""

from __future__ import annotations

from momo.errors import Forbidden, TooManyRequests
from momo.identity.accounts import Viewer
from momo.privacy.coarse_time import CoarseTime, bucket_iso
from momo.privacy.ratelimit import RateLimiter

# (limit, window seconds) for settled accounts, then for accounts in probation.
LIMITS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "note": ((20, 3600), (5, 3600)),
    "comment": ((120, 3600), (30, 3600)),
    "reaction": ((600, 3600), (200, 3600)),
    "report": ((60, 3600), (10, 3600)),
    "context": ((10, 3600), (2, 3600)),
    "rating": ((300, 3600), (100, 3600)),
}


class PostingPolicy:
    def __init__(self, limiter: RateLimiter, time: CoarseTime) -> None:
        self._limiter = limiter
        self._time = time

    def in_probation(self, viewer: Viewer) -> bool:
        return viewer.probation_until > self._time.now()

    def slow_mode(self, viewer: Viewer, note_id: str, seconds: int) -> None:
        """One comment per person per ``seconds`` in a thread under slow mode."""
        decision = self._limiter.check(f"slow:{note_id}", viewer.account_id, 1, seconds)
        if not decision.allowed:
            raise TooManyRequests(
                "this thread is in slow mode: one comment every %(seconds)s seconds "
                "(try again in %(wait)s s)",
                decision.retry_after,
                seconds=seconds,
                wait=decision.retry_after,
            )

    def check(self, viewer: Viewer, action: str) -> None:
        if viewer.banned:
            raise Forbidden(
                "this account is banned; /me/notices (GET /api/me/sanctions) says for which "
                "content and rule, and how to appeal"
            )
        if action != "reaction" and viewer.muted_until > self._time.now():
            until = bucket_iso(viewer.muted_until)
            raise Forbidden(
                "this account is muted until %(until)s; /me/notices (GET /api/me/sanctions) "
                "says for which content and rule, and how to appeal",
                until=until,
            )
        settled, probation = LIMITS[action]
        limit, window = probation if self.in_probation(viewer) else settled
        decision = self._limiter.check(action, viewer.account_id, limit, window)
        if not decision.allowed:
            raise TooManyRequests(
                "too many of these for now; try again in %(seconds)s seconds",
                decision.retry_after,
                seconds=decision.retry_after,
            )
