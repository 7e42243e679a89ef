"""The moderator queue and moderator actions.

Moderators see content, thread context with voice tags and report reasons,
never an account, and no figure about one. A sanction reaches the hidden
author by opening the item's sealed author reference inside the server, which
also picks the consequence (``rules.next_step``) from the account's standing.
A moderator who acts on two items of one person sees exactly what they would
see for two people: ``tests/moderation/test_no_oracle.py`` performs that attack.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from momo.content import text
from momo.content.tables import comments, notes
from momo.errors import Forbidden, InvalidInput, NotFound
from momo.identity.accounts import Viewer
from momo.identity.standing import SanctionRecord, StandingService
from momo.identity.voices import voice_label
from momo.moderation.rules import ACTIONS, IN_EFFECT, REASONS, SANCTIONS, SURGE, next_step
from momo.moderation.tables import actions, reports
from momo.moderation.targets import Target, load_target
from momo.moderation.views import ContextLine, QueueItem
from momo.privacy.coarse_time import CoarseTime
from momo.privacy.seal import Sealer
from momo.storage.database import Database

MAX_SLOW_MODE = 24 * 3600
ACTOR_KIND = "moderator"
AUTHOR_KIND = "sanctioned"  # the account a sanction is against, sealed on the action


def require_moderator(viewer: Viewer, now: float) -> None:
    """A moderator in good standing: a muted or banned moderator has no powers while
    the sanction lasts, so nobody can use them to undo their own."""
    if not viewer.is_moderator:
        raise Forbidden("only moderators can do this")
    if viewer.banned or viewer.muted_until > now:
        raise Forbidden("moderator powers are suspended while your account is sanctioned")


class ModerationService:
    def __init__(
        self,
        db: Database,
        sealer: Sealer,
        standing: StandingService,
        time: CoarseTime,
        persona_name: str,
        changed: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._sealer = sealer
        self._standing = standing
        self._time = time
        self._persona_name = persona_name
        self._changed = changed

    # -- the queue ----------------------------------------------------------
    def queue(self, moderator: Viewer, locale: str = "en") -> list[QueueItem]:
        require_moderator(moderator, self._time.now())
        with self._db.read() as conn:
            open_reports = conn.execute(select(reports).where(reports.c.status == "open")).all()
            alerts = conn.execute(
                select(actions.c.target_type, actions.c.target_id, actions.c.created_bucket)
                .join(notes, notes.c.id == actions.c.note_id)
                .where(actions.c.kind == "damp", notes.c.damped.is_(True))
            ).all()
            grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
            for row in open_reports:
                grouped[(row.target_type, row.target_id)].append(row)
            for alert in alerts:
                grouped.setdefault((alert.target_type, alert.target_id), [])
            surged = {(a.target_type, a.target_id): a.created_bucket for a in alerts}
            items = [
                self._queue_item(conn, key, rows, surged.get(key), locale)
                for key, rows in grouped.items()
            ]
        present = [item for item in items if item is not None]
        return sorted(present, key=lambda i: (i.severity, -i.weight, i.reported))

    def _queue_item(
        self,
        conn: Connection,
        key: tuple[str, str],
        rows: list[Any],
        surge_bucket: int | None,
        locale: str,
    ) -> QueueItem | None:
        try:
            target = load_target(conn, *key)
        except NotFound:
            return None
        reasons = Counter(row.reason for row in rows)
        severity = min((REASONS[r] for r in reasons), default=REASONS["other"])
        if surge_bucket is not None:
            severity = min(severity, REASONS["harassment"])  # a pile-on is harassment-grade
        first = min([row.created_bucket for row in rows] + ([surge_bucket] if surge_bucket else []))
        title = conn.scalar(select(notes.c.title).where(notes.c.id == target.note_id)) or ""
        return QueueItem(
            target_type=target.type,
            target_id=target.id,
            note_id=target.note_id,
            note_title=title,
            content=target.text,
            status=target.status,
            reasons=dict(reasons) | ({SURGE: 1} if surge_bucket is not None else {}),
            details=[row.detail for row in rows if row.detail][:20],
            weight=round(sum(row.weight for row in rows), 2),
            reported=self._time.describe(first, locale)[0],
            severity=severity,
            context=self._context(conn, target),
            surge=surge_bucket is not None,
        )

    def _context(self, conn: Connection, target: Target) -> list[ContextLine]:
        """The public comments around the target, each under its voice tag (a comment
        still waiting for its bucket to end is not shown here either)."""
        rows = conn.execute(
            select(comments.c.id, comments.c.voice, comments.c.body, comments.c.status)
            .where(
                comments.c.note_id == target.note_id,
                comments.c.created_bucket < self._time.public_before(comment=True),
            )
            .order_by(
                comments.c.created_bucket, comments.c.position, comments.c.voice, comments.c.id
            )
        ).all()
        index = next((i for i, r in enumerate(rows) if r.id == target.id), 0)
        window = rows[max(0, index - 3) : index + 4] if target.type == "comment" else rows[:6]
        return [
            ContextLine(
                voice=voice_label(r.voice, self._persona_name, "en"),
                text=r.body if r.status == "visible" else "[removed]",
                is_target=r.id == target.id,
            )
            for r in window
        ]

    def _author(self, target: Target) -> str:
        return self._sealer.open(target.sealed_author, target.type, target.id)

    # -- acting ---------------------------------------------------------------
    def act(
        self,
        moderator: Viewer,
        target_type: str,
        target_id: str,
        kind: str,
        rule: str,
        *,
        seconds: int | None = None,
    ) -> str:
        require_moderator(moderator, self._time.now())
        if kind not in ACTIONS:
            raise InvalidInput(
                "action must be one of: %(actions)s", field="action", actions=", ".join(ACTIONS)
            )
        if rule not in REASONS and rule != SURGE:
            raise InvalidInput(
                "rule must be one of: %(rules)s", field="rule", rules=", ".join(REASONS)
            )
        if kind == "slow_mode" and not (seconds is not None and 0 <= seconds <= MAX_SLOW_MODE):
            raise InvalidInput("slow mode needs seconds (0 turns it off)", field="seconds")
        if not text.is_public_id(target_id):
            raise NotFound("no such %(kind)s", kind=target_type)
        action_id = text.new_public_id()
        now = self._time.now()
        with self._db.write() as conn:
            target = load_target(conn, target_type, target_id)
            author = self._author(target)
            if author == moderator.account_id:
                raise Forbidden("you cannot act on your own content; another moderator will")
            self._apply(conn, target, kind, seconds)
            first_report = conn.scalar(
                select(func.min(reports.c.created_bucket)).where(
                    reports.c.target_type == target.type,
                    reports.c.target_id == target.id,
                    reports.c.status == "open",
                )
            )
            conn.execute(
                update(reports)
                .where(
                    reports.c.target_type == target.type,
                    reports.c.target_id == target.id,
                    reports.c.status == "open",
                )
                .values(status="dismissed" if kind == "dismiss" else "actioned")
            )
            conn.execute(
                insert(actions).values(
                    id=action_id,
                    kind=kind,
                    target_type=target.type,
                    target_id=target.id,
                    note_id=target.note_id,
                    rule=rule,
                    created_bucket=self._time.now_bucket(),
                    outcome=IN_EFFECT,
                    minutes_to_action=None
                    if first_report is None
                    else max(0, int((now - first_report) // 60)),
                    sealed_actor=self._sealer.seal(moderator.account_id, ACTOR_KIND, action_id),
                    sealed_author=self._sealer.seal(author, AUTHOR_KIND, action_id)
                    if kind in SANCTIONS
                    else None,
                )
            )
            if kind in SANCTIONS:
                self._strike(conn, author, action_id)
        self._changed()
        return action_id

    def _strike(self, conn: Connection, account_id: str, action_id: str) -> None:
        """The server's escalation: the step follows from the sealed standing alone."""
        standing = self._standing.read(account_id, conn)
        step, days = next_step(len(standing.in_effect))
        until = None if days is None else self._time.now_bucket() + days * 86400
        self._standing.add_sanction(conn, account_id, SanctionRecord(action_id, step, until))

    def _apply(self, conn: Connection, target: Target, kind: str, seconds: int | None) -> None:
        table = notes if target.type == "note" else comments
        if kind == "remove":
            conn.execute(update(table).where(table.c.id == target.id).values(status="removed"))
        elif kind == "restore":
            conn.execute(update(table).where(table.c.id == target.id).values(status="visible"))
        elif kind in ("lock", "unlock"):
            conn.execute(
                update(notes).where(notes.c.id == target.note_id).values(locked=kind == "lock")
            )
        elif kind == "slow_mode":
            conn.execute(
                update(notes).where(notes.c.id == target.note_id).values(slow_mode_seconds=seconds)
            )
        elif kind == "undamp":
            conn.execute(update(notes).where(notes.c.id == target.note_id).values(damped=False))
