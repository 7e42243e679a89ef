"""The first release's vault blob, read once at sign-in and moved into the log.

That blob was AES-GCM under the vault key with the account id as associated
data. Only the person's own sign-in yields the key, so the move can happen
only then; until it does, the blob sits unchanged and is never rewritten.
"""

from __future__ import annotations

import json

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection

from momo.identity.vault import Vault


def open_blob(vault_key: bytes, account_id: str, blob: bytes) -> dict[str, list[str]]:
    plain = AESGCM(vault_key).decrypt(blob[:12], blob[12:], account_id.encode())
    payload = json.loads(plain)
    return {kind: list(payload.get(kind, [])) for kind in ("notes", "comments", "bookmarks")}


def move_into_log(
    conn: Connection, vault: Vault, vault_key: bytes, account_id: str, blob: bytes
) -> None:
    try:
        index = open_blob(vault_key, account_id, bytes(blob))
    except (InvalidTag, ValueError):
        return  # unreadable: nothing can be recovered from it, so it is simply cleared
    for plural, ids in index.items():
        for item_id in ids:
            vault.append(conn, vault_key, "+", plural[:-1], item_id)
