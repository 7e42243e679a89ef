"""Reports: anyone signed in can flag a note or comment, once per item."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from momo.content import text
from momo.content.policy import PostingPolicy
from momo.errors import Conflict, InvalidInput, NotFound
from momo.identity.accounts import Viewer
from momo.keyring import Keyring
from momo.moderation.rules import REASONS
from momo.moderation.surge import SurgeDetector
from momo.moderation.tables import reports
from momo.moderation.targets import load_target
from momo.privacy.coarse_time import CoarseTime
from momo.storage.database import Database

DETAIL_MAX = 1000
PROBATION_WEIGHT = 0.5


class ReportService:
    def __init__(
        self,
        db: Database,
        keys: Keyring,
        policy: PostingPolicy,
        surge: SurgeDetector,
        time: CoarseTime,
        changed: Callable[[], None] = lambda: None,
    ) -> None:
        self._changed = changed  # a report can damp a thread, which readers see
        self._db = db
        self._keys = keys
        self._policy = policy
        self._surge = surge
        self._time = time

    def report(
        self, viewer: Viewer, target_type: str, target_id: str, reason: str, detail: str = ""
    ) -> str:
        if reason not in REASONS:
            raise InvalidInput(
                "reason must be one of: %(reasons)s", field="reason", reasons=", ".join(REASONS)
            )
        detail = text.clean(detail)
        if len(detail) > DETAIL_MAX:
            raise InvalidInput(
                "detail is at most %(max)s characters", field="detail", max=DETAIL_MAX
            )
        if not text.is_public_id(target_id):
            raise NotFound("no such %(kind)s", kind=target_type)
        self._policy.check(viewer, "report")
        report_id = text.new_public_id()
        # One report per person and item, without a value that is stable across items.
        tag = self._keys.tag("reaction", "report", viewer.account_id, target_type, target_id)
        weight = PROBATION_WEIGHT if self._policy.in_probation(viewer) else 1.0
        try:
            with self._db.write() as conn:
                target = load_target(conn, target_type, target_id)
                if target.status != "visible":
                    raise NotFound("no such %(kind)s", kind=target_type)
                exists = conn.scalar(
                    select(reports.c.id).where(
                        reports.c.target_type == target_type,
                        reports.c.target_id == target_id,
                        reports.c.tag == tag,
                    )
                )
                if exists:
                    raise Conflict("you have already reported this")
                conn.execute(
                    insert(reports).values(
                        id=report_id,
                        target_type=target_type,
                        target_id=target_id,
                        note_id=target.note_id,
                        reason=reason,
                        detail=detail,
                        weight=weight,
                        tag=tag,
                        created_bucket=self._time.now_bucket(),
                    )
                )
                damped = self._surge.after_report(conn, target.note_id, target_type, target_id)
        except IntegrityError as error:  # a concurrent double report
            raise Conflict("you have already reported this") from error
        if damped:
            self._changed()
        return report_id
