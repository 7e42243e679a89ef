"""Sealed author references.

A stored item names its author only as ``AES-256-GCM(seal_key, account_id)``
with a fresh random nonce, so two items by the same account carry unrelated
bytes. The item's own kind and id are bound in as associated data: a sealed
reference copied onto another item no longer opens.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class SealBroken(ValueError):
    """The sealed reference was tampered with, moved, or sealed under another key."""


class Sealer:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, account_id: str, kind: str, item_id: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, account_id.encode(), _context(kind, item_id))

    def open(self, sealed: bytes, kind: str, item_id: str) -> str:
        nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        try:
            return self._aead.decrypt(nonce, body, _context(kind, item_id)).decode()
        except (InvalidTag, ValueError) as error:
            raise SealBroken(f"sealed author of {kind} {item_id} does not open") from error


def _context(kind: str, item_id: str) -> bytes:
    return f"momo-author:{kind}:{item_id}".encode()
