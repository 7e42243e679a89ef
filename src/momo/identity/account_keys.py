"""Account keys: the only credential, shown once, stored only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Crockford base32: no I, L, O or U, so a key read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
KEY_BYTES = 20  # 160 bits
KEY_CHARS = 32
PREFIX = "mo"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


class MalformedAccountKey(ValueError):
    pass


def generate() -> str:
    value = int.from_bytes(secrets.token_bytes(KEY_BYTES), "big")
    chars = []
    for _ in range(KEY_CHARS):
        value, index = divmod(value, 32)
        chars.append(ALPHABET[index])
    body = "".join(chars)
    groups = [body[i : i + 4] for i in range(0, KEY_CHARS, 4)]
    return "-".join([PREFIX, *groups])


def normalize(key: str) -> str:
    """Canonical form of a key as typed: case, spaces, dashes and look-alikes forgiven."""
    cleaned = re.sub(r"[\s\-_]", "", key).upper()
    if cleaned.startswith(PREFIX.upper()):
        cleaned = cleaned[len(PREFIX) :]
    cleaned = cleaned.translate(_CONFUSABLE)
    if len(cleaned) != KEY_CHARS or any(char not in ALPHABET for char in cleaned):
        raise MalformedAccountKey("an account key looks like mo-XXXX-XXXX-… with 32 characters")
    return cleaned


def key_hash(pepper: bytes, normalized: str) -> str:
    return hmac.new(pepper, normalized.encode(), hashlib.sha256).hexdigest()


def vault_key(normalized: str) -> bytes:
    """The vault key depends on the account key alone: no server secret opens a vault."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"momo-vault-v1", info=b"vault").derive(
        normalized.encode()
    )
