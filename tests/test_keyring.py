"""Privacy rule 4: secrets live in a 0600 file outside the database, never inside it."""

from __future__ import annotations

import base64
import json
import os

import pytest
from sqlalchemy import select

from momo.core import Momo
from momo.keyring import KEY_NAMES, SecretsFileError, load_or_create
from momo.storage.metadata import metadata


def test_secrets_file_is_private_and_stable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "secrets.json"
    first = load_or_create(path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert load_or_create(path) == first


def test_loose_permissions_and_garbage_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "secrets.json"
    load_or_create(path)
    os.chmod(path, 0o644)
    with pytest.raises(SecretsFileError, match="readable by others"):
        load_or_create(path)
    os.chmod(path, 0o600)
    path.write_text("{not json")
    with pytest.raises(SecretsFileError):
        load_or_create(path)


def test_no_secret_or_account_key_reaches_the_database(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import new_client, sign_up

    client = new_client(app)
    key = sign_up(client)
    client.post("/api/notes", json={"title": "x", "body": "y"})
    payload = json.loads(momo.settings.secrets_file.read_text())
    secrets = [base64.b64decode(payload[name]) for name in KEY_NAMES]
    normalized = key.replace("-", "")[2:]
    with momo.db.read() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    raw = (
                        bytes(value)
                        if isinstance(value, bytes | memoryview)
                        else str(value).encode()
                    )
                    for secret in secrets:
                        assert secret not in raw
                        assert secret.hex().encode() not in raw
                    assert key.encode() not in raw and normalized.encode() not in raw


def test_tags_keep_their_known_value_so_stored_voices_and_likes_still_match() -> None:
    """Every stored voice and like tag was made by this function: a change to how it
    hashes would orphan them all. The value was computed with the original
    incremental HMAC (length-prefixed parts)."""
    from momo.keyring import Keyring

    key = bytes(range(32))
    ring = Keyring(seal=key, voice=key, reaction=key, account_pepper=key, session=key)
    assert ring.tag("reaction", "like", "acct-1", b"note-9") == "dda3cb1ba6e824932cf432b178d08a6c"
    assert ring.tag("reaction", "ab", "c") != ring.tag("reaction", "a", "bc")
