"""The public moderation log and the monthly transparency figures."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime

from sqlalchemy import select, tuple_

from momo.errors import NotFound
from momo.feed import cursor as cursors
from momo.moderation.rules import OVERTURNED
from momo.moderation.tables import actions, appeals, reports
from momo.moderation.targets import load_target
from momo.moderation.views import LogEntry, ModLog, MonthFigures, Transparency
from momo.privacy.coarse_time import CoarseTime
from momo.storage.database import Database

PAGE = 50
EXCERPT = 80


def _month(bucket_start: int) -> str:
    return datetime.fromtimestamp(bucket_start, UTC).strftime("%Y-%m")


class ModerationLog:
    def __init__(self, db: Database, time: CoarseTime) -> None:
        self._db = db
        self._time = time

    def entries(self, cursor: str | None, locale: str = "en") -> ModLog:
        after = cursors.decode(cursor)
        query = select(actions).order_by(actions.c.created_bucket.desc(), actions.c.id.desc())
        if after is not None:
            query = query.where(
                tuple_(actions.c.created_bucket, actions.c.id) < tuple_(int(after[0]), after[1])
            )
        with self._db.read() as conn:
            rows = conn.execute(query.limit(PAGE + 1)).all()
            entries = []
            for row in rows[:PAGE]:
                try:
                    target = load_target(conn, row.target_type, row.target_id)
                    visible = target.status == "visible"
                    excerpt = target.text[:EXCERPT] if visible else "[removed]"
                except NotFound:
                    visible, excerpt = False, "[deleted]"
                entries.append(
                    LogEntry(
                        id=row.id,
                        time=self._time.describe(row.created_bucket, locale)[0],
                        kind=row.kind,
                        target_type=row.target_type,
                        target_id=row.target_id if visible else None,
                        excerpt=excerpt,
                        rule=row.rule,
                        outcome=row.outcome,
                        actor="moderator" if row.sealed_actor is not None else "automatic",
                    )
                )
        more = len(rows) > PAGE
        last = rows[PAGE - 1] if more else None
        return ModLog(
            entries=entries,
            next_cursor=cursors.encode(last.created_bucket, last.id) if last else None,
        )

    def transparency(self) -> Transparency:
        with self._db.read() as conn:
            report_rows = conn.execute(select(reports.c.reason, reports.c.created_bucket)).all()
            action_rows = conn.execute(
                select(actions.c.kind, actions.c.created_bucket, actions.c.minutes_to_action)
            ).all()
            appeal_rows = conn.execute(select(appeals.c.status, appeals.c.created_bucket)).all()
        by_reason: dict[str, Counter[str]] = defaultdict(Counter)
        by_kind: dict[str, Counter[str]] = defaultdict(Counter)
        minutes: dict[str, list[int]] = defaultdict(list)
        appeal_counts: dict[str, Counter[str]] = defaultdict(Counter)
        for reason, created in report_rows:
            by_reason[_month(created)][reason] += 1
        for kind, created, delay in action_rows:
            by_kind[_month(created)][kind] += 1
            if delay is not None:
                minutes[_month(created)].append(delay)
        for status, created in appeal_rows:
            appeal_counts[_month(created)][status] += 1
        months = sorted(set(by_reason) | set(by_kind) | set(appeal_counts), reverse=True)
        figures = []
        for month in months:
            total = sum(appeal_counts[month].values())
            decided = total - appeal_counts[month]["pending"]
            overturned = appeal_counts[month][OVERTURNED]
            figures.append(
                MonthFigures(
                    month=month,
                    reports_by_reason=dict(by_reason[month]),
                    actions_by_kind=dict(by_kind[month]),
                    appeals=total,
                    overturned=overturned,
                    overturn_rate=round(overturned / decided, 3) if decided else None,
                    median_hours_to_action=round(statistics.median(minutes[month]) / 60, 2)
                    if minutes[month]
                    else None,
                )
            )
        return Transparency(months=figures)
