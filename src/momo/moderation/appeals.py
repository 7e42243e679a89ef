"""What a sanctioned person sees, their appeal, and a second moderator's decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, insert, select, update

from momo.content import text
from momo.content.tables import comments, notes
from momo.errors import Conflict, Forbidden, InvalidInput, NotFound
from momo.identity.accounts import Viewer
from momo.identity.standing import StandingService
from momo.moderation.actions import ACTOR_KIND, AUTHOR_KIND, require_moderator
from momo.moderation.rules import IN_EFFECT, OVERTURNED, SANCTIONS, UPHELD
from momo.moderation.tables import actions, appeals
from momo.moderation.targets import shown_target
from momo.moderation.views import AppealView, Sanction
from momo.privacy.coarse_time import CoarseTime
from momo.privacy.seal import Sealer
from momo.storage.database import Database

APPEAL_MAX = 2000


class AppealService:
    def __init__(
        self,
        db: Database,
        sealer: Sealer,
        standing: StandingService,
        time: CoarseTime,
        changed: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._sealer = sealer
        self._standing = standing
        self._time = time
        self._changed = changed

    def sanctions(self, viewer: Viewer, locale: str = "en") -> list[Sanction]:
        """Exactly which content, which rule and for how long: for the person only."""
        with self._db.read() as conn:
            standing = self._standing.read(viewer.account_id, conn)
            ids = [record.action_id for record in standing.sanctions]
            if not ids:
                return []
            rows = conn.execute(select(actions).where(actions.c.id.in_(ids))).all()
            appealed = dict(
                conn.execute(
                    select(appeals.c.action_id, appeals.c.status).where(
                        appeals.c.action_id.in_(ids)
                    )
                ).all()
            )
            result = []
            for row in sorted(rows, key=lambda r: (r.created_bucket, r.id), reverse=True):
                target = shown_target(conn, row.target_type, row.target_id)
                record = standing.step_of(row.id)
                assert record is not None
                result.append(
                    Sanction(
                        action_id=row.id,
                        kind=row.kind,
                        step=record.step,
                        rule=row.rule,
                        target_type=row.target_type,
                        target_id=row.target_id,
                        content=target.text,
                        time=self._time.describe(row.created_bucket, locale)[0],
                        until=None
                        if record.until is None
                        else self._time.describe(record.until, locale)[0],
                        outcome=row.outcome,
                        appeal=appealed.get(row.id),
                        can_appeal=row.id not in appealed and row.outcome == IN_EFFECT,
                    )
                )
        return result

    def appeal(self, viewer: Viewer, action_id: str, body: str) -> str:
        body = text.clean(body)
        if not body:
            raise InvalidInput("say why the decision was wrong", field="text")
        if len(body) > APPEAL_MAX:
            raise InvalidInput(
                "an appeal is at most %(max)s characters", field="text", max=APPEAL_MAX
            )
        appeal_id = text.new_public_id()
        with self._db.write() as conn:
            if self._standing.read(viewer.account_id, conn).step_of(action_id) is None:
                raise Forbidden("only the sanctioned account can appeal this decision")
            action = conn.execute(select(actions).where(actions.c.id == action_id)).first()
            if action is None or action.kind not in SANCTIONS or action.outcome != IN_EFFECT:
                raise Conflict("this decision can no longer be appealed")
            if conn.scalar(select(appeals.c.id).where(appeals.c.action_id == action_id)):
                raise Conflict("each decision can be appealed once")
            conn.execute(
                insert(appeals).values(
                    id=appeal_id,
                    action_id=action_id,
                    text=body,
                    created_bucket=self._time.now_bucket(),
                )
            )
        return appeal_id

    def pending(self, moderator: Viewer, locale: str = "en") -> list[AppealView]:
        require_moderator(moderator, self._time.now())
        with self._db.read() as conn:
            rows = conn.execute(
                select(
                    appeals,
                    actions.c.kind,
                    actions.c.rule,
                    actions.c.target_type,
                    actions.c.target_id,
                    actions.c.sealed_actor,
                    actions.c.sealed_author,
                )
                .join(actions, actions.c.id == appeals.c.action_id)
                .where(appeals.c.status == "pending")
                .order_by(appeals.c.created_bucket, appeals.c.id)
            ).all()
            return [
                AppealView(
                    id=row.id,
                    action_id=row.action_id,
                    kind=row.kind,
                    rule=row.rule,
                    target_type=row.target_type,
                    target_id=row.target_id,
                    content=shown_target(conn, row.target_type, row.target_id).text,
                    text=row.text,
                    time=self._time.describe(row.created_bucket, locale)[0],
                    status=row.status,
                    you_acted=self._acted(row.sealed_actor, row.action_id, moderator)
                    or self._own_case(conn, row, moderator),
                )
                for row in rows
            ]

    def decide(self, moderator: Viewer, appeal_id: str, outcome: str) -> None:
        require_moderator(moderator, self._time.now())
        if outcome not in (UPHELD, OVERTURNED):
            raise InvalidInput("outcome must be 'upheld' or 'overturned'", field="outcome")
        with self._db.write() as conn:
            appeal = conn.execute(select(appeals).where(appeals.c.id == appeal_id)).first()
            if appeal is None:
                raise NotFound("no such appeal")
            if appeal.status != "pending":
                raise Conflict("this appeal has already been decided")
            action = conn.execute(select(actions).where(actions.c.id == appeal.action_id)).one()
            if self._acted(action.sealed_actor, action.id, moderator):
                raise Forbidden("a different moderator must decide an appeal of your own action")
            if self._own_case(conn, action, moderator):
                raise Forbidden("nobody decides an appeal about their own content")
            if outcome == OVERTURNED:
                self._undo(conn, action)
            conn.execute(update(actions).where(actions.c.id == action.id).values(outcome=outcome))
            conn.execute(
                update(appeals)
                .where(appeals.c.id == appeal_id)
                .values(status=outcome, decided_bucket=self._time.now_bucket())
            )
        self._changed()

    def _own_case(self, conn: Connection, action: Any, moderator: Viewer) -> bool:
        return self._author(conn, action) == moderator.account_id

    def _author(self, conn: Connection, action: Any) -> str | None:
        """Who the action was against: sealed on the action itself, so it survives the
        author deleting the content; older actions fall back to the content's seal.
        ``action`` is an actions row, or an appeals row joined with its action."""
        action_id = getattr(action, "action_id", None) or action.id
        if action.sealed_author is not None:
            return self._sealer.open(bytes(action.sealed_author), AUTHOR_KIND, action_id)
        target = shown_target(conn, action.target_type, action.target_id)
        if not target.sealed_author:
            return None
        return self._sealer.open(target.sealed_author, target.type, target.id)

    def _acted(self, sealed_actor: bytes | None, action_id: str, moderator: Viewer) -> bool:
        if sealed_actor is None:
            return False
        return self._sealer.open(bytes(sealed_actor), ACTOR_KIND, action_id) == moderator.account_id

    def _undo(self, conn: Connection, action: Any) -> None:
        """Overturning restores removed content (if its author has not deleted it) and
        lifts the strike, which may end a mute or ban that it brought."""
        target = shown_target(conn, action.target_type, action.target_id)
        if action.kind == "remove" and target.status == "removed":
            table = notes if target.type == "note" else comments
            conn.execute(update(table).where(table.c.id == target.id).values(status="visible"))
        account = self._author(conn, action)
        if account is not None:
            self._standing.lift(conn, account, action.id)
