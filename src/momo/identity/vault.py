"""Each account's private index of its own notes, comments and bookmarks.

Design: the index is encrypted under a key derived from the account key
(``account_keys.vault_key``). The server learns that key only when the person
signs in, keeps it wrapped under the session cookie's token, and never writes
it in the clear. A database dump, even with the secrets file, cannot list an
account's posts; the person can, whenever signed in. The blob is padded so its
length says little about how much someone has posted.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PAD_TO = 512


class VaultUnreadable(ValueError):
    pass


@dataclass
class VaultIndex:
    notes: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)

    def to_json(self) -> bytes:
        return json.dumps(
            {"notes": self.notes, "comments": self.comments, "bookmarks": self.bookmarks},
            separators=(",", ":"),
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> VaultIndex:
        payload = json.loads(data)
        return cls(
            notes=list(payload.get("notes", [])),
            comments=list(payload.get("comments", [])),
            bookmarks=list(payload.get("bookmarks", [])),
        )


def seal_vault(key: bytes, account_id: str, index: VaultIndex) -> bytes:
    plain = index.to_json()
    padded = plain + b" " * (-len(plain) % PAD_TO)
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, padded, account_id.encode())


def open_vault(key: bytes, account_id: str, blob: bytes | None) -> VaultIndex:
    if not blob:
        return VaultIndex()
    try:
        plain = AESGCM(key).decrypt(blob[:12], blob[12:], account_id.encode())
    except (InvalidTag, ValueError) as error:
        raise VaultUnreadable("the vault does not open with this key") from error
    return VaultIndex.from_json(plain)
