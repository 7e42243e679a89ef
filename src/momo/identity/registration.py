"""Who may open an account: the operator's registration policy and sign-up limits."""

from __future__ import annotations

from momo.config import RegistrationPolicy, Settings
from momo.errors import Forbidden, TooManyRequests
from momo.identity.accounts import AccountService, NewAccount
from momo.privacy.ratelimit import RateLimiter

SIGNUPS_PER_HOUR = 10


class Registration:
    def __init__(self, accounts: AccountService, settings: Settings, limiter: RateLimiter) -> None:
        self._accounts = accounts
        self._settings = settings
        self._limiter = limiter

    def register(self, client_subject: str) -> NewAccount:
        policy = self._settings.registration
        if policy is RegistrationPolicy.closed:
            raise Forbidden("registration is closed on this server")
        if policy is RegistrationPolicy.invite:
            raise Forbidden("this server takes new members by invitation only")
        decision = self._limiter.check("signup", client_subject, SIGNUPS_PER_HOUR, 3600)
        if not decision.allowed:
            raise TooManyRequests(
                f"too many new accounts from here; try again in {decision.retry_after} seconds",
                decision.retry_after,
            )
        return self._accounts.create()
