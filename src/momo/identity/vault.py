"""Each account's private index of its own notes, comments and bookmarks.

The first release kept this index as one encrypted blob on the account row and
rewrote it with every post. Each rewrite left a WAL frame and a PostgreSQL row
version carrying the account's row beside the new item, which linked all of a
person's posts. So the index is now an append-only log:

* change number ``n`` of an account is one new row in ``vault_entries``, keyed
  ``HMAC(vault key, n)`` and holding the change sealed under the vault key,
  padded to a fixed size;
* the vault key comes from the person's account key. The server holds it only
  inside a signed-in session (wrapped under the cookie), so a database dump,
  even with the secrets file, cannot compute an account's keys or open a row;
* the server finds an account's rows by probing ``n = 0, 1, 2 …``. A removal
  (a deleted note, an undone bookmark) is a new row too, never an update.
  Entries are contiguous, so a write finds the next free ``n`` by a galloping
  search over slots, a handful of index lookups even for a history of
  thousands, without reading the history itself.

No row is ever rewritten, and no two rows share a value, so nothing written
beside an item ties it to the account or to the account's other items.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, bindparam, delete, insert, select

from momo.identity.tables import vault_entries
from momo.storage.database import Database, after_commit
from momo.storage.upsert import insert_ignoring_conflicts

ENTRY_BYTES = 96  # plaintext size of every entry, so all rows have one length
KINDS = ("note", "comment", "bookmark")
PROBE_FIRST = 16
CACHE_ACCOUNTS = 10_000
SEARCH_FANOUT = 32  # slots looked up per query while narrowing down where a log ends


class VaultUnreadable(ValueError):
    pass


@dataclass
class VaultIndex:
    notes: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)

    def apply(self, op: str, kind: str, item_id: str) -> None:
        items = getattr(self, kind + "s")
        if op == "+" and item_id not in items:
            items.append(item_id)
        elif op == "-" and item_id in items:
            items.remove(item_id)


def _cache_key(vault_key: bytes) -> bytes:
    return hashlib.sha256(b"vault-cache:" + vault_key).digest()


def slot(vault_key: bytes, n: int) -> str:
    return hmac.digest(vault_key, b"vault-slot:%d" % n, "sha256").hex()


def seal_entry(vault_key: bytes, n: int, op: str, kind: str, item_id: str) -> bytes:
    plain = json.dumps([op, kind, item_id], separators=(",", ":")).encode()
    if len(plain) > ENTRY_BYTES:
        raise ValueError("vault entry too long")
    nonce = os.urandom(12)
    padded = plain + b" " * (ENTRY_BYTES - len(plain))
    return nonce + AESGCM(vault_key).encrypt(nonce, padded, slot(vault_key, n).encode())


def open_entry(vault_key: bytes, n: int, sealed: bytes) -> tuple[str, str, str]:
    try:
        plain = AESGCM(vault_key).decrypt(sealed[:12], sealed[12:], slot(vault_key, n).encode())
    except (InvalidTag, ValueError) as error:
        raise VaultUnreadable("a vault entry does not open with this key") from error
    op, kind, item_id = json.loads(plain)
    return str(op), str(kind), str(item_id)


@dataclass
class _Known:
    """What this process has already read of one vault: entries 0 … count-1."""

    count: int = 0
    index: VaultIndex = field(default_factory=VaultIndex)


# Built once: it runs before every write (``warm``) and on a taken slot.
_TAKEN = select(vault_entries.c.slot).where(
    vault_entries.c.slot.in_(bindparam("slots", expanding=True))
)


@cache
def _adding(dialect: str) -> Any:
    """One entry unless its slot is taken; the slot comes back if it was added."""
    return insert_ignoring_conflicts(dialect, vault_entries).returning(vault_entries.c.slot)


class Vault:
    """Reads and appends vault entries. Entries are only ever added, so what this
    process has read stays true and only the entries after it need probing: one
    query per read for a person who has not posted elsewhere meanwhile."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        # Keyed by a hash of the vault key, in memory only, bounded.
        self._known: OrderedDict[bytes, _Known] = OrderedDict()
        # For vaults written to but not read: a position every committed entry
        # before which is known to exist (entries are never taken back).
        self._ends: OrderedDict[bytes, int] = OrderedDict()
        # Vaults each open write transaction has appended to (see ``append``).
        self._appending: weakref.WeakKeyDictionary[Any, set[bytes]] = weakref.WeakKeyDictionary()

    def read(self, vault_key: bytes) -> VaultIndex:
        with self._db.read() as conn:
            known = self._catch_up(conn, vault_key)
        index = known.index
        return VaultIndex(list(index.notes), list(index.comments), list(index.bookmarks))

    def warm(self, vault_key: bytes) -> None:
        """Find where the log ends outside any write transaction, so the append that
        follows looks up one slot instead of searching under the write lock. Once
        this process has committed an entry for the key it knows where to go next,
        and looks nothing up."""
        cache_key = _cache_key(vault_key)
        with self._lock:
            # Known from an earlier write of this process: try there, and search
            # only if another worker or device has written since (the slot is taken).
            if cache_key in self._known or cache_key in self._ends:
                return
        with self._db.read() as conn:
            self._remember_end(cache_key, self._find_end(conn, vault_key, self._end(cache_key)))

    def append(self, conn: Connection, vault_key: bytes, op: str, kind: str, item_id: str) -> None:
        """Add one entry inside the caller's write transaction."""
        if op not in ("+", "-") or kind not in KINDS:
            raise ValueError(f"bad vault entry {op!r} {kind!r}")
        # Only committed entries may be remembered: this transaction may still roll
        # back. Before its own first entry a transaction sees committed ones alone,
        # so that probe is remembered and the next append starts from there
        # instead of probing the whole history again; later probes use a copy.
        mine = self._appending.setdefault(conn.get_transaction(), set())
        first = vault_key not in mine
        mine.add(vault_key)
        cache_key = _cache_key(vault_key)
        with self._lock:
            read_before = cache_key in self._known
        if read_before:
            n = self._catch_up(conn, vault_key, remember=first).count
        else:
            # A vault this process has not read: try where it was last seen to end
            # (``warm`` looked just before), and search only if that slot is taken.
            n = self._end(cache_key)
        adding = _adding(conn.dialect.name)
        for _ in range(20):
            added = conn.execute(
                adding,
                {"slot": slot(vault_key, n), "sealed": seal_entry(vault_key, n, op, kind, item_id)},
            ).first()
            if added is not None:  # (rowcount is not reliable for this on every driver)
                after_commit(conn, functools.partial(self._remember_end, cache_key, n + 1))
                return
            # Taken: by an entry written since, here or at another worker.
            n = self._find_end(conn, vault_key, n + 1)
            if first and not read_before:
                self._remember_end(cache_key, n)
        raise RuntimeError("could not find a free vault slot")

    def append_many(
        self,
        conn: Connection,
        vault_key: bytes,
        entries: Sequence[tuple[str, str, str]],
        start: int | None = None,
    ) -> int:
        """Bulk path for imports and benchmarks, where the caller is the vault's only
        writer: add entries from ``start`` (probed when not given) in one statement.
        Returns the next free position."""
        n = self._find_end(conn, vault_key, 0) if start is None else start
        rows = [
            {"slot": slot(vault_key, n + i), "sealed": seal_entry(vault_key, n + i, *entry)}
            for i, entry in enumerate(entries)
        ]
        if rows:
            conn.execute(insert(vault_entries), rows)
        return n + len(rows)

    def erase(self, conn: Connection, vault_key: bytes) -> None:
        """Delete every entry of a vault (the account is being deleted)."""
        count = self._find_end(conn, vault_key, 0)
        cache_key = _cache_key(vault_key)
        with self._lock:
            self._known.pop(cache_key, None)
            self._ends.pop(cache_key, None)
        slots = [slot(vault_key, n) for n in range(count)]
        for start in range(0, len(slots), 500):
            conn.execute(
                delete(vault_entries).where(vault_entries.c.slot.in_(slots[start : start + 500]))
            )

    def _end(self, cache_key: bytes) -> int:
        with self._lock:
            known = self._known.get(cache_key)
            return max(known.count if known else 0, self._ends.get(cache_key, 0))

    def _remember_end(self, cache_key: bytes, n: int) -> None:
        with self._lock:
            self._ends[cache_key] = max(n, self._ends.pop(cache_key, 0))
            while len(self._ends) > CACHE_ACCOUNTS:
                self._ends.popitem(last=False)

    def _find_end(self, conn: Connection, vault_key: bytes, start: int) -> int:
        """The first free position, given that every one before ``start`` is taken.

        Taken positions form a prefix, so this gallops (``start``, ``+1``, ``+2``,
        ``+4`` … in one query) and then narrows the gap ``SEARCH_FANOUT`` ways per
        query: four or five indexed lookups for a history of 30,000 entries, where
        reading the history would decrypt every one of them."""
        # Usually ``start`` is the end or one short of it (this process's own last
        # entry): two slots settle that, before any galloping.
        taken = self._taken(conn, vault_key, [start, start + 1])
        if start + 1 in taken:
            start += 2
            probes = [start, *(start + 2**i for i in range(40))]
            taken = self._taken(conn, vault_key, probes)
        else:
            probes = [start, start + 1]
        low = max((p + 1 for p in probes if p in taken), default=start)
        high = min(p for p in probes if p not in taken)
        # Invariant: every position below ``low`` is taken, ``high`` is free.
        while low < high:
            step = max(1, (high - low) // SEARCH_FANOUT)
            points = list(range(low, high, step))
            taken = self._taken(conn, vault_key, points)
            high = min((p for p in points if p not in taken), default=high)
            low = max((p + 1 for p in points if p in taken), default=low)
        return low

    def _taken(self, conn: Connection, vault_key: bytes, positions: Sequence[int]) -> set[int]:
        slots = {slot(vault_key, n): n for n in positions}
        found = conn.scalars(_TAKEN, {"slots": list(slots)})
        return {slots[s] for s in found}

    def _catch_up(self, conn: Connection, vault_key: bytes, *, remember: bool = True) -> _Known:
        cache_key = _cache_key(vault_key)
        with self._lock:
            known = self._known.pop(cache_key, None) or _Known()
            self._known[cache_key] = known
            while len(self._known) > CACHE_ACCOUNTS:
                self._known.popitem(last=False)
            if not remember:
                known = _Known(known.count)
        batch = PROBE_FIRST
        while True:
            start = known.count
            slots = {slot(vault_key, n): n for n in range(start, start + batch)}
            rows = dict(
                conn.execute(
                    select(vault_entries.c.slot, vault_entries.c.sealed).where(
                        vault_entries.c.slot.in_(list(slots))
                    )
                ).all()
            )
            found = sorted((slots[s], bytes(v)) for s, v in rows.items())
            with self._lock:
                for n, sealed in found:
                    if n != known.count:
                        break  # a gap: entries are contiguous, so the log ends here
                    known.index.apply(*open_entry(vault_key, n, sealed))
                    known.count += 1
            if len(found) < batch or known.count < start + batch:
                return known
            batch *= 4  # a long history: probe in ever larger strides
