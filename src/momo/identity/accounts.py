"""Sign-up, sign-in, sessions and account deletion."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, bindparam, delete, insert, select, update

from momo.config import Settings
from momo.errors import Forbidden, InvalidInput, NotSignedIn
from momo.identity import account_keys, legacy_vault
from momo.identity.standing import StandingService
from momo.identity.tables import accounts, sessions
from momo.identity.vault import Vault, VaultIndex
from momo.keyring import Keyring
from momo.privacy.coarse_time import Clock, bucket
from momo.storage.database import Database

ROLES = ("member", "moderator", "admin")


@dataclass(frozen=True)
class Viewer:
    """A signed-in person, as the server sees them for the length of one request."""

    account_id: str
    role: str
    vault_key: bytes
    token: str
    probation_until: int
    muted_until: int
    banned: bool

    @property
    def is_moderator(self) -> bool:
        return self.role in ("moderator", "admin")


@dataclass(frozen=True)
class NewAccount:
    account_id: str
    account_key: str


# Built once: every signed-in request runs it.
_SESSION = (
    select(
        sessions.c.wrapped_vault_key,
        sessions.c.expires_at,
        accounts.c.id,
        accounts.c.role,
        accounts.c.probation_until,
    )
    .join(accounts, accounts.c.id == sessions.c.account_id)
    .where(sessions.c.token_hash == bindparam("token_hash"))
)


class AccountService:
    def __init__(
        self,
        db: Database,
        keys: Keyring,
        settings: Settings,
        clock: Clock,
        vault: Vault,
        standing: StandingService,
    ) -> None:
        self._db = db
        self._keys = keys
        self._settings = settings
        self._clock = clock
        self._vault = vault
        self.standing = standing

    # -- accounts ---------------------------------------------------------
    def create(
        self,
        *,
        probation: bool = True,
        before_insert: Callable[[Connection], None] | None = None,
    ) -> NewAccount:
        """Open an account. ``before_insert`` runs in the same transaction (to spend
        an invite code, say), so a failed check leaves nothing behind."""
        key = account_keys.generate()
        normalized = account_keys.normalize(key)
        account_id = secrets.token_hex(16)
        now = self._clock()
        granularity = self._settings.time_granularity_seconds
        probation_until = (
            bucket(now + self._settings.probation_days * 86400, granularity) if probation else 0
        )
        with self._db.write() as conn:
            if before_insert is not None:
                before_insert(conn)
            conn.execute(
                insert(accounts).values(
                    id=account_id,
                    key_hash=account_keys.key_hash(self._keys.account_pepper, normalized),
                    role="member",
                    created_bucket=bucket(now, granularity),
                    probation_until=probation_until,
                )
            )
        return NewAccount(account_id, key)

    def find_by_key(self, key: str) -> str | None:
        try:
            normalized = account_keys.normalize(key)
        except account_keys.MalformedAccountKey:
            return None
        digest = account_keys.key_hash(self._keys.account_pepper, normalized)
        with self._db.read() as conn:
            return conn.scalar(select(accounts.c.id).where(accounts.c.key_hash == digest))

    def set_role(self, key: str, role: str) -> None:
        if role not in ROLES:
            raise InvalidInput("role must be one of %(roles)s", roles=", ".join(ROLES))
        account_id = self.find_by_key(key)
        if account_id is None:
            raise InvalidInput("no account has that key")
        with self._db.write() as conn:
            conn.execute(update(accounts).where(accounts.c.id == account_id).values(role=role))

    def delete(
        self, viewer: Viewer, *, before_delete: Callable[[Connection], None] | None = None
    ) -> None:
        """Delete the account, its sessions, vault and standing. ``before_delete`` runs in
        the same transaction (to remove the person's items), so it is all or nothing."""
        with self._db.write() as conn:
            if before_delete is not None:
                before_delete(conn)
            self._vault.erase(conn, viewer.vault_key)
            self.standing.erase(conn, viewer.account_id)
            conn.execute(delete(sessions).where(sessions.c.account_id == viewer.account_id))
            conn.execute(delete(accounts).where(accounts.c.id == viewer.account_id))

    # -- sessions ---------------------------------------------------------
    def sign_in(self, key: str) -> str:
        """Check the key and open a session; returns the cookie token."""
        try:
            normalized = account_keys.normalize(key)
        except account_keys.MalformedAccountKey as error:
            raise InvalidInput(str(error), field="account_key") from error
        digest = account_keys.key_hash(self._keys.account_pepper, normalized)
        token = secrets.token_urlsafe(32)
        now = self._clock()
        vault_key = account_keys.vault_key(normalized)
        with self._db.write() as conn:
            account = conn.execute(
                select(accounts.c.id, accounts.c.vault).where(accounts.c.key_hash == digest)
            ).first()
            if account is None:
                raise NotSignedIn("no account has that key")
            account_id = account.id
            if account.vault is not None:
                legacy_vault.move_into_log(conn, self._vault, vault_key, account_id, account.vault)
                conn.execute(update(accounts).where(accounts.c.id == account_id).values(vault=None))
            conn.execute(delete(sessions).where(sessions.c.expires_at < int(now)))
            conn.execute(
                insert(sessions).values(
                    token_hash=self._token_hash(token),
                    account_id=account_id,
                    wrapped_vault_key=_wrap(token, account_id, vault_key),
                    expires_at=bucket(now + self._settings.session_days * 86400, 3600),
                )
            )
        return token

    def resolve(self, token: str | None) -> Viewer | None:
        if not token or len(token) > 100:
            return None
        with self._db.read() as conn:
            row = conn.execute(_SESSION, {"token_hash": self._token_hash(token)}).first()
            if row is None or row.expires_at < self._clock():
                return None
            standing = self.standing.read(row.id, conn)
        try:
            vault_key = _unwrap(token, row.id, row.wrapped_vault_key)
        except InvalidTag:
            return None
        return Viewer(
            account_id=row.id,
            role=row.role,
            vault_key=vault_key,
            token=token,
            probation_until=row.probation_until,
            muted_until=standing.muted_until,
            banned=standing.banned,
        )

    def sign_out(self, token: str) -> None:
        with self._db.write() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == self._token_hash(token)))

    def csrf_token(self, token: str) -> str:
        return hmac.new(self._keys.session, b"csrf:" + token.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, viewer: Viewer, submitted: str) -> None:
        """A form's token must be this session's; compared in constant time."""
        expected = self.csrf_token(viewer.token)
        if not hmac.compare_digest(submitted.encode(), expected.encode()):
            raise Forbidden("this form has expired; go back, reload and try again")

    def _token_hash(self, token: str) -> str:
        return hmac.new(self._keys.session, token.encode(), hashlib.sha256).hexdigest()

    # -- the vault ---------------------------------------------------------
    def read_vault(self, viewer: Viewer) -> VaultIndex:
        return self._vault.read(viewer.vault_key)

    def prepare_record(self, viewer: Viewer) -> None:
        """Call before the write transaction that will ``record``: keeps the vault's
        catch-up work out of the time the database's write lock is held."""
        self._vault.warm(viewer.vault_key)

    def record(self, conn: Connection, viewer: Viewer, op: str, kind: str, item_id: str) -> None:
        """Note in the person's vault, inside the caller's write transaction, that an
        item of theirs came ('+') or went ('-'). Appends one unlinkable row."""
        self._vault.append(conn, viewer.vault_key, op, kind, item_id)


def _wrapping_key(token: str, account_id: str) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"momo-session-v1", info=account_id.encode()
    ).derive(token.encode())
    return AESGCM(derived)


def _wrap(token: str, account_id: str, vault_key: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + _wrapping_key(token, account_id).encrypt(nonce, vault_key, b"vault-key")


def _unwrap(token: str, account_id: str, wrapped: bytes) -> bytes:
    return _wrapping_key(token, account_id).decrypt(wrapped[:12], wrapped[12:], b"vault-key")
