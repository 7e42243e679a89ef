"""Who may open an account: the operator's registration policy and sign-up limits.

- ``open``: anyone, after a proof-of-work (``MOMO_POW_DIFFICULTY`` bits; 0 turns it off).
- ``invite``: with a code issued by a settled member.
- ``closed``: nobody.

Every new account starts in probation. A banned person can come back only by
paying a fresh proof-of-work (or finding a new invite) and sitting out a new
probation: the cost that makes ban evasion and sock puppets expensive.
"""

from __future__ import annotations

from momo.config import RegistrationPolicy, Settings
from momo.errors import Forbidden, InvalidInput, TooManyRequests
from momo.identity.accounts import AccountService, NewAccount
from momo.identity.invites import InviteService
from momo.identity.proof_of_work import Challenge, InvalidProof, ProofOfWork
from momo.privacy.ratelimit import RateLimiter


class Registration:
    def __init__(
        self,
        accounts: AccountService,
        settings: Settings,
        limiter: RateLimiter,
        pow_: ProofOfWork,
        invites: InviteService,
    ) -> None:
        self._accounts = accounts
        self._settings = settings
        self._limiter = limiter
        self._pow = pow_
        self._invites = invites

    @property
    def policy(self) -> RegistrationPolicy:
        return self._settings.registration

    def challenge(self) -> Challenge:
        return self._pow.issue()

    def register(
        self,
        client_subject: str,
        *,
        challenge: str | None = None,
        nonce: str | None = None,
        invite_code: str | None = None,
    ) -> NewAccount:
        policy = self.policy
        if policy is RegistrationPolicy.closed:
            raise Forbidden("registration is closed on this server")
        limit = self._settings.signups_per_hour
        decision = self._limiter.check("signup", client_subject, limit, 3600)
        if not decision.allowed:
            raise TooManyRequests(
                "too many new accounts from here; try again in %(seconds)s seconds",
                decision.retry_after,
                seconds=decision.retry_after,
            )
        # An invite from a settled member also opens the way on an open server,
        # without the puzzle (for browsers without JavaScript).
        if policy is RegistrationPolicy.invite or invite_code:
            code = invite_code or ""
            return self._accounts.create(
                before_insert=lambda conn: self._invites.redeem(conn, code)
            )
        if self._pow.difficulty > 0:
            if challenge and not nonce:  # the browser form, sent without JavaScript
                raise InvalidInput(
                    "the sign-up puzzle was not solved: your browser solves it with "
                    "JavaScript, which is off for this page. Turn it on for this site, ask a "
                    "member for an invite, or run `momo client signup`",
                    field="pow",
                )
            if not challenge or nonce is None:
                raise InvalidInput(
                    "open sign-up needs a proof-of-work: GET /api/pow, solve it, and send "
                    '{"pow": {"challenge": …, "nonce": …}}',
                    field="pow",
                )
            try:
                self._pow.verify(challenge, nonce)
            except InvalidProof as error:
                raise InvalidInput(str(error), field="pow") from error
        return self._accounts.create()
