"""The server's secrets, kept in a file beside the database and never inside it.

A database dump without this file cannot open sealed author references, cannot
recompute voice or like tags, and cannot test guesses of account keys.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

KEY_NAMES = ("seal", "voice", "reaction", "account_pepper", "session")


class SecretsFileError(RuntimeError):
    """The secrets file is missing a key, malformed, or readable by others."""


@dataclass(frozen=True)
class Keyring:
    seal: bytes
    voice: bytes
    reaction: bytes
    account_pepper: bytes
    session: bytes

    @classmethod
    def generate(cls) -> Keyring:
        return cls(**{name: secrets.token_bytes(32) for name in KEY_NAMES})

    def tag(self, key_name: str, *parts: str | bytes, length: int = 16) -> str:
        """A keyed hash of ``parts``: equal inputs give equal tags, nothing else can."""
        key = getattr(self, key_name)
        encoded = [part.encode() if isinstance(part, str) else part for part in parts]
        # Length-prefix every part so ("ab", "c") and ("a", "bc") differ. One-shot
        # ``hmac.digest``: this runs for every like, voice and rate-limit check.
        message = b"".join(len(data).to_bytes(4, "big") + data for data in encoded)
        return hmac.digest(key, message, "sha256").hex()[: length * 2]


class SecretsFileMissing(SecretsFileError):
    """The secrets file is gone while the database still holds what it protects."""


def load_or_create(path: Path, *, may_create: bool = True) -> Keyring:
    """Read the secrets file, creating it (mode 0600) on first start.

    A new file means new keys: every seal, voice and like tag, and every account
    key's hash, made under the old ones stops working. So the caller passes
    ``may_create=False`` when the database already holds accounts.
    """
    if not path.exists():
        if not may_create:
            raise SecretsFileMissing(
                f"{path} is missing but the database already holds accounts. Restore the "
                "secrets file from your backup (see docs/operating.md, 'Backups'). Starting "
                "with new keys would lock every account out and unseal nothing."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        keyring = Keyring.generate()
        payload = {name: base64.b64encode(getattr(keyring, name)).decode() for name in KEY_NAMES}
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return _read(path)  # another process won the race: use its keys
        with os.fdopen(fd, "w") as handle:
            json.dump(payload, handle, indent=2)
        return keyring
    return _read(path)


def _read(path: Path) -> Keyring:
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise SecretsFileError(f"{path} is readable by others (mode {mode:o}); run chmod 600")
    try:
        payload = json.loads(path.read_text())
        values = {name: base64.b64decode(payload[name]) for name in KEY_NAMES}
    except (ValueError, KeyError, TypeError) as error:
        raise SecretsFileError(f"{path} is not a valid Momo secrets file: {error}") from error
    if any(len(value) < 32 for value in values.values()):
        raise SecretsFileError(f"{path} holds a key shorter than 256 bits")
    return Keyring(**values)
