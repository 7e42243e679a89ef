"""Own content stays reachable through the vault, and only through it."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from momo.core import Momo
from momo.identity.tables import accounts, sessions
from momo.identity.vault import VaultIndex, VaultUnreadable, open_vault, seal_vault


def test_vault_round_trip_and_wrong_key() -> None:
    key = os.urandom(32)
    blob = seal_vault(key, "acct", VaultIndex(notes=["a"], comments=["b"], bookmarks=["c"]))
    assert open_vault(key, "acct", blob) == VaultIndex(["a"], ["b"], ["c"])
    assert (len(blob) - 12 - 16) % 512 == 0, "padded, so length says little"
    with pytest.raises(VaultUnreadable):
        open_vault(os.urandom(32), "acct", blob)
    with pytest.raises(VaultUnreadable):
        open_vault(key, "other-account", blob)


def test_vault_key_is_not_stored_and_only_a_session_opens_it(momo: Momo) -> None:
    created = momo.accounts.create()
    token = momo.accounts.sign_in(created.account_key)
    viewer = momo.accounts.resolve(token)
    assert viewer is not None
    note_id = momo.notes.create(viewer, "mine", "")
    assert momo.accounts.read_vault(viewer).notes == [note_id]
    with momo.db.read() as conn:
        stored = [bytes(v) for v in conn.execute(select(accounts.c.vault)).scalars()]
        stored += [bytes(v) for v in conn.execute(select(sessions.c.wrapped_vault_key)).scalars()]
    assert all(viewer.vault_key not in blob for blob in stored)
    assert all(note_id.encode() not in blob for blob in stored)
    # A session token that is not the cookie's cannot unwrap the key.
    assert momo.accounts.resolve(token[:-2] + "xx") is None
    momo.accounts.sign_out(token)
    assert momo.accounts.resolve(token) is None


def test_a_second_sign_in_sees_the_same_vault(momo: Momo) -> None:
    created = momo.accounts.create()
    first = momo.accounts.resolve(momo.accounts.sign_in(created.account_key))
    assert first is not None
    note_id = momo.notes.create(first, "mine", "")
    second = momo.accounts.resolve(momo.accounts.sign_in(created.account_key))
    assert second is not None
    assert [n.id for n in momo.notes.mine(second, "en")] == [note_id]
