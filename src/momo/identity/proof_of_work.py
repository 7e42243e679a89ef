"""Proof-of-work for open registration: each new account costs some CPU time.

A challenge is ``random || expiry`` signed with a server key, so the server
keeps no state until a solution comes back; a solved challenge is then
remembered in the database until it expires, so it cannot be spent twice,
not even after a restart. The
work: find a nonce such that SHA-256(challenge ":" nonce) starts with
``difficulty`` zero bits. Browsers solve it with Web Crypto, scripts with
``solve()`` or ``momo client signup``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from momo.identity.tables import spent_challenges
from momo.privacy.coarse_time import CoarseTime, bucket
from momo.storage.database import Database

CHALLENGE_SECONDS = 600


@dataclass(frozen=True)
class Challenge:
    challenge: str
    difficulty: int


class InvalidProof(ValueError):
    pass


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def work(challenge: str, nonce: str) -> int:
    return leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest())


def solve(challenge: str, difficulty: int) -> str:
    counter = 0
    while work(challenge, str(counter)) < difficulty:
        counter += 1
    return str(counter)


class ProofOfWork:
    def __init__(
        self,
        key: bytes,
        difficulty: int,
        clock: Callable[[], float],
        remember: Callable[[str, int], bool],
    ) -> None:
        """``remember(token, ttl)`` returns False when the token was already seen."""
        self._key = key
        self.difficulty = difficulty
        self._clock = clock
        self._remember = remember

    def issue(self) -> Challenge:
        expires = int(self._clock()) + CHALLENGE_SECONDS
        body = f"{secrets.token_urlsafe(12)}.{expires}"
        return Challenge(f"{body}.{self._sign(body)}", self.difficulty)

    def verify(self, challenge: str, nonce: str) -> None:
        try:
            random_part, expires, signature = challenge.split(".")
            deadline = int(expires)
        except ValueError as error:
            raise InvalidProof("the challenge is malformed; ask for a new one") from error
        if not hmac.compare_digest(signature, self._sign(f"{random_part}.{expires}")):
            raise InvalidProof("the challenge was not issued by this server")
        if deadline < self._clock():
            raise InvalidProof("the challenge has expired; ask for a new one")
        if len(nonce) > 64 or work(challenge, nonce) < self.difficulty:
            raise InvalidProof("the proof-of-work does not meet the difficulty")
        if not self._remember(challenge, CHALLENGE_SECONDS):
            raise InvalidProof("this challenge was already used; ask for a new one")

    def _sign(self, body: str) -> str:
        digest = hmac.new(self._key, f"pow:{body}".encode(), hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class SpentChallenges:
    """Remembers spent challenges in the database until they expire, so neither a
    restart nor a second worker accepts one twice."""

    def __init__(self, db: Database, time: CoarseTime) -> None:
        self._db = db
        self._time = time

    def first_use(self, challenge: str, ttl: int) -> bool:
        digest = hashlib.sha256(challenge.encode()).hexdigest()
        size = self._time.granularity
        expires = bucket(self._time.now() + ttl, size) + size
        with self._db.write() as conn:
            conn.execute(
                delete(spent_challenges).where(
                    spent_challenges.c.expires_bucket < self._time.now_bucket()
                )
            )
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(spent_challenges).values(digest=digest, expires_bucket=expires)
                    )
            except IntegrityError:
                return False
        return True
