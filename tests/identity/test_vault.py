"""Own content stays reachable through the vault log, and only through it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select, update

from momo.core import Momo
from momo.identity import account_keys
from momo.identity.tables import accounts, sessions, vault_entries
from momo.identity.vault import Vault, VaultUnreadable, open_entry, seal_entry, slot


def test_entries_round_trip_only_under_their_key_and_slot() -> None:
    key = os.urandom(32)
    sealed = seal_entry(key, 3, "+", "note", "abc123")
    assert open_entry(key, 3, sealed) == ("+", "note", "abc123")
    assert len(sealed) == len(seal_entry(key, 4, "-", "bookmark", "x")), "one size for all"
    with pytest.raises(VaultUnreadable):
        open_entry(os.urandom(32), 3, sealed)
    with pytest.raises(VaultUnreadable):
        open_entry(key, 4, sealed)  # moved to another slot, it no longer opens
    assert slot(key, 0) != slot(key, 1) != slot(os.urandom(32), 0)


def test_vault_key_is_not_stored_and_only_a_session_opens_it(momo: Momo) -> None:
    created = momo.accounts.create()
    token = momo.accounts.sign_in(created.account_key)
    viewer = momo.accounts.resolve(token)
    assert viewer is not None
    note_id = momo.notes.create(viewer, "mine", "")
    assert momo.accounts.read_vault(viewer).notes == [note_id]
    with momo.db.read() as conn:
        stored = [bytes(v) for v in conn.execute(select(vault_entries.c.sealed)).scalars()]
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


def test_removals_are_appended_and_a_fresh_process_replays_the_log(
    momo: Momo, settings: object, clock: object
) -> None:
    created = momo.accounts.create(probation=False)
    viewer = momo.accounts.resolve(momo.accounts.sign_in(created.account_key))
    assert viewer is not None
    kept = [momo.notes.create(viewer, f"n{i}", "") for i in range(17)]  # past one probe batch
    gone = momo.notes.create(viewer, "gone", "")
    momo.notes.delete(viewer, gone)
    with momo.db.read() as conn:
        rows = conn.execute(select(vault_entries.c.slot)).scalars().all()
    assert len(rows) == 19, "every change is a new row; none is rewritten"
    # Another worker (a new process) knows nothing cached and rebuilds the same index.
    other = Momo(momo.settings, clock=momo.time.clock)
    try:
        again = other.accounts.resolve(viewer.token)
        assert again is not None
        assert sorted(other.accounts.read_vault(again).notes) == sorted(kept)
    finally:
        other.close()


def test_a_first_release_vault_moves_into_the_log_at_sign_in(momo: Momo) -> None:
    created = momo.accounts.create()
    key = account_keys.vault_key(account_keys.normalize(created.account_key))
    payload = json.dumps({"notes": ["n1"], "comments": ["c1"], "bookmarks": ["b1"]}).encode()
    nonce = os.urandom(12)
    blob = nonce + AESGCM(key).encrypt(nonce, payload.ljust(512), created.account_id.encode())
    with momo.db.write() as conn:
        conn.execute(update(accounts).where(accounts.c.id == created.account_id).values(vault=blob))
    viewer = momo.accounts.resolve(momo.accounts.sign_in(created.account_key))
    assert viewer is not None
    index = momo.accounts.read_vault(viewer)
    assert (index.notes, index.comments, index.bookmarks) == (["n1"], ["c1"], ["b1"])
    with momo.db.read() as conn:
        assert conn.scalar(select(accounts.c.vault)) is None


class _Abort(Exception):
    pass


def test_a_rolled_back_append_leaves_no_gap_and_later_appends_probe_little(momo: Momo) -> None:
    """Appends remember what was committed before them; nothing a rolled-back
    transaction wrote may be remembered, or the next entry would leave a gap."""
    from sqlalchemy import event

    vault = Vault(momo.db)
    key = os.urandom(32)
    with momo.db.write() as conn:
        vault.append(conn, key, "+", "note", "first")
    with pytest.raises(_Abort), momo.db.write() as conn:
        vault.append(conn, key, "+", "note", "gone-1")
        vault.append(conn, key, "+", "note", "gone-2")
        raise _Abort
    for i in range(30):
        with momo.db.write() as conn:
            vault.append(conn, key, "+", "comment", f"c{i}")
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(momo.db.engine, "before_cursor_execute", count)
    try:
        with momo.db.write() as conn:
            vault.append(conn, key, "+", "note", "last")
    finally:
        event.remove(momo.db.engine, "before_cursor_execute", count)
    probes = [s for s in statements if "vault_entries" in s and s.lstrip().startswith("SELECT")]
    assert len(probes) <= 1, "a known history is not probed again from the start"
    index = Vault(momo.db).read(key)  # a fresh process: everything from the table
    assert index.notes == ["first", "last"]
    assert index.comments == [f"c{i}" for i in range(30)]


def _vault_lookups(momo: Momo, work: Callable[[], object]) -> list[str]:
    from sqlalchemy import event

    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(momo.db.engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        event.remove(momo.db.engine, "before_cursor_execute", count)
    return [s for s in statements if "vault_entries" in s and s.lstrip().startswith("SELECT")]


def test_a_process_that_wrote_last_writes_again_without_looking(momo: Momo) -> None:
    """A person's next write goes where this process's last committed entry
    ended: no lookup before it (a round trip of every write), and a rolled-back
    entry is not counted, or the next would leave a gap that hides the rest."""
    vault = Vault(momo.db)
    key = os.urandom(32)

    def write(item: str, *, abort: bool = False) -> None:
        vault.warm(key)
        with momo.db.write() as conn:
            vault.append(conn, key, "+", "note", item)
            if abort:
                raise _Abort

    write("first")
    assert _vault_lookups(momo, lambda: write("second")) == []
    with pytest.raises(_Abort):
        write("gone", abort=True)
    assert _vault_lookups(momo, lambda: write("third")) == []
    assert Vault(momo.db).read(key).notes == ["first", "second", "third"]


def test_an_append_that_loses_a_race_for_its_slot_takes_the_next(momo: Momo) -> None:
    """Two workers may probe the same free slot; the loser's insert must not fail or
    overwrite, but land in the next slot (on both databases, inside one transaction)."""
    key = os.urandom(32)
    worker_a, worker_b = Vault(momo.db), Vault(momo.db)
    with momo.db.write() as conn:
        worker_a.append(conn, key, "+", "note", "a1")
    worker_a.warm(key)  # A believes the log has one entry
    with momo.db.write() as conn:
        worker_b.append(conn, key, "+", "note", "b1")  # B takes slot 1 meanwhile
    # A now tries slot 1, its last view of the end: taken, so it must move on.
    with momo.db.write() as conn:
        worker_a.append(conn, key, "+", "comment", "a2")
    assert Vault(momo.db).read(key).notes == ["a1", "b1"]
    assert Vault(momo.db).read(key).comments == ["a2"]


def test_a_write_to_a_long_history_looks_up_a_few_slots_and_decrypts_none(momo: Momo) -> None:
    """A worker that has never seen an account must not read its whole history to
    write one entry: at a million notes that took close to a minute per cold write."""
    from sqlalchemy import event

    key = os.urandom(32)
    with momo.db.write() as conn:
        Vault(momo.db).append_many(conn, key, [("+", "comment", f"c{i}") for i in range(5000)], 0)
    cold = Vault(momo.db)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(momo.db.engine, "before_cursor_execute", count)
    try:
        cold.warm(key)
        with momo.db.write() as conn:
            cold.append(conn, key, "+", "note", "new")
    finally:
        event.remove(momo.db.engine, "before_cursor_execute", count)
    lookups = [s for s in statements if "vault_entries" in s and s.lstrip().startswith("SELECT")]
    assert len(lookups) <= 6
    assert not any("sealed" in s for s in lookups), "no entry is read to find the end"
    index = Vault(momo.db).read(key)
    assert index.notes == ["new"] and len(index.comments) == 5000


@pytest.mark.parametrize("length", [0, 1, 2, 3, 31, 32, 33, 100, 1023, 1024, 1025, 3001])
def test_the_end_of_a_log_is_found_exactly_from_any_known_start(momo: Momo, length: int) -> None:
    key = os.urandom(32)
    vault = Vault(momo.db)
    with momo.db.write() as conn:
        vault.append_many(conn, key, [("+", "note", f"n{i}") for i in range(length)], 0)
    with momo.db.read() as conn:
        for start in {0, length // 3, max(0, length - 1), length}:
            assert vault._find_end(conn, key, start) == length
