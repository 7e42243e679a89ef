"""Pile-on damping.

A surge is many distinct voices piling onto one note or one comment within a
short window, well above that thread's own baseline: replies, reports, likes
on replies, or hugs. A busy thread that has
always been busy is not a surge; a quiet thread that suddenly draws a crowd is.
When one is found the thread is damped: slow mode turns on, new replies are
collapsed behind "show more", the note leaves Discover, the composer shows a
friction prompt, and the moderator queue is alerted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, bindparam, func, insert, select, update

from momo.config import Settings
from momo.content import text
from momo.content.tables import comments, notes
from momo.moderation.rules import SURGE
from momo.moderation.tables import actions, reports
from momo.privacy.coarse_time import CoarseTime
from momo.privacy.ratelimit import RateLimiter


@dataclass(frozen=True)
class Activity:
    replies: int
    voices: int
    baseline: float


def _activity(scope: ColumnElement[bool]) -> Select[Any]:
    """Replies and distinct voices in the window, replies before it, and the note's
    age, in one statement: it runs inside every comment's write transaction."""
    recent = comments.c.created_bucket >= bindparam("since")
    return select(
        func.count().filter(recent),
        func.count(func.distinct(comments.c.voice)).filter(recent),
        func.count().filter(comments.c.created_bucket < bindparam("since")),
        select(notes.c.created_bucket).where(notes.c.id == bindparam("note_id")).scalar_subquery(),
    ).where(scope)


_NOTE_ACTIVITY = _activity(comments.c.note_id == bindparam("note_id"))
_REPLY_ACTIVITY = _activity(
    (comments.c.note_id == bindparam("note_id")) & (comments.c.parent_id == bindparam("parent_id"))
)


class SurgeDetector:
    def __init__(self, settings: Settings, time: CoarseTime, limiter: RateLimiter) -> None:
        self._settings = settings
        self._time = time
        self._limiter = limiter

    @property
    def window(self) -> int:
        return self._settings.surge_window_seconds

    def recent_voices(self, conn: Connection, note_id: str) -> int:
        since = self._time.now() - self.window
        return int(
            conn.scalar(
                select(func.count(func.distinct(comments.c.voice))).where(
                    comments.c.note_id == note_id, comments.c.created_bucket >= since
                )
            )
            or 0
        )

    def activity(self, conn: Connection, note_id: str, parent_id: str | None = None) -> Activity:
        since = self._time.now() - self.window
        statement = _NOTE_ACTIVITY if parent_id is None else _REPLY_ACTIVITY
        row = conn.execute(
            statement, {"note_id": note_id, "parent_id": parent_id, "since": since}
        ).one()
        created = row[3] or since
        windows_before = max(1.0, (since - created) / self.window)
        return Activity(int(row[0]), int(row[1]), int(row[2]) / windows_before)

    def is_surge(self, activity: Activity) -> bool:
        return (
            activity.voices >= self._settings.surge_min_voices
            and activity.replies >= self._settings.surge_ratio * max(activity.baseline, 1.0)
        )

    def after_comment(self, conn: Connection, note_id: str, parent_id: str | None) -> bool:
        """Called inside the comment's transaction. Returns True when it damped the thread."""
        surging = self.is_surge(self.activity(conn, note_id)) or (
            parent_id is not None and self.is_surge(self.activity(conn, note_id, parent_id))
        )
        if surging:
            target = ("comment", parent_id) if parent_id else ("note", note_id)
            return self.damp(conn, note_id, *target)
        return False

    def after_reply_like(self, conn: Connection, comment_id: str, account_id: str) -> bool:
        """Likes piling onto the replies of one thread. Likes carry no stored time, so
        they are counted as distinct likers per window in the rotating, never-persisted
        counters of the rate limiter (memory, or Redis with a TTL)."""
        row = conn.execute(
            select(comments.c.note_id, comments.c.parent_id).where(comments.c.id == comment_id)
        ).first()
        if row is None or row.parent_id is None:
            return False  # only likes on replies count: the cheering of a pile-on
        count = self._limiter.count_distinct(f"reply-likes:{row.note_id}", account_id, self.window)
        if count is not None and count >= self._settings.surge_reply_likes:
            return self.damp(conn, row.note_id, "comment", row.parent_id)
        return False

    def after_hug(self, conn: Connection, note_id: str, account_id: str) -> bool:
        """Hugs are kind, but a crowd arriving at once is still a crowd: distinct
        huggers per window, counted like reply likes, damp the note."""
        count = self._limiter.count_distinct(f"hugs:{note_id}", account_id, self.window)
        if count is not None and count >= self._settings.surge_reply_likes:
            return self.damp(conn, note_id, "note", note_id)
        return False

    def after_report(
        self, conn: Connection, note_id: str, target_type: str, target_id: str
    ) -> bool:
        since = self._time.now() - self.window
        reporters = conn.scalar(
            select(func.count()).where(
                reports.c.target_type == target_type,
                reports.c.target_id == target_id,
                reports.c.created_bucket >= since,
            )
        )
        if int(reporters or 0) >= self._settings.report_surge_min:
            return self.damp(conn, note_id, target_type, target_id)
        return False

    def damp(self, conn: Connection, note_id: str, target_type: str, target_id: str) -> bool:
        state = conn.execute(
            select(notes.c.damped, notes.c.slow_mode_seconds).where(notes.c.id == note_id)
        ).first()
        if state is None or state.damped:
            return False
        conn.execute(
            update(notes)
            .where(notes.c.id == note_id)
            .values(
                damped=True,
                slow_mode_seconds=max(
                    state.slow_mode_seconds, self._settings.surge_slow_mode_seconds
                ),
            )
        )
        # The automatic action is the moderator queue's alert and the public log's entry.
        conn.execute(
            insert(actions).values(
                id=text.new_public_id(),
                kind="damp",
                target_type=target_type,
                target_id=target_id,
                note_id=note_id,
                rule=SURGE,
                created_bucket=self._time.now_bucket(),
                outcome="in_effect",
            )
        )
        return True
