"""Invite codes for ``MOMO_REGISTRATION=invite``: issued by settled accounts, used once."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import Connection, insert, update

from momo.errors import Forbidden, InvalidInput, TooManyRequests
from momo.identity.accounts import Viewer
from momo.identity.tables import invites
from momo.privacy.coarse_time import CoarseTime
from momo.privacy.ratelimit import RateLimiter
from momo.storage.database import Database

INVITES_PER_DAY = 5


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


class InviteService:
    def __init__(self, db: Database, limiter: RateLimiter, time: CoarseTime) -> None:
        self._db = db
        self._limiter = limiter
        self._time = time

    def issue(self, viewer: Viewer) -> str:
        if viewer.probation_until > self._time.now():
            raise Forbidden("accounts in probation cannot invite yet")
        if viewer.banned or viewer.muted_until > self._time.now():
            raise Forbidden("sanctioned accounts cannot invite")
        decision = self._limiter.check("invite", viewer.account_id, INVITES_PER_DAY, 86400)
        if not decision.allowed:
            raise TooManyRequests("you have issued enough invites for today", decision.retry_after)
        code = "inv-" + secrets.token_urlsafe(12)
        with self._db.write() as conn:
            conn.execute(
                insert(invites).values(
                    code_hash=_hash(code), created_bucket=self._time.now_bucket()
                )
            )
        return code

    def redeem(self, conn: Connection, code: str) -> None:
        """Spend a code inside the sign-up transaction; refuse unknown or used codes."""
        if not code or len(code) > 100:
            raise InvalidInput("an invite code is required", field="invite_code")
        used = conn.execute(
            update(invites)
            .where(invites.c.code_hash == _hash(code), invites.c.used == 0)
            .values(used=1)
        )
        if used.rowcount != 1:
            raise Forbidden("this invite code is unknown or already used")
