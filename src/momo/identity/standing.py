"""An account's standing: the sanctions it received, which were lifted, and so
whether it is muted or banned right now.

The first release kept ``muted_until``, ``banned`` and a sealed ledger on the
account row. ``muted_until`` equalled the ``until`` of the action that muted,
the ledger's length gave the count, and rewriting the row beside a moderation
action tied the account to the item acted on. Standing is now an append-only
log like the vault:

* entry ``n`` of an account is one row keyed ``HMAC(seal key, account, n)``,
  holding the entry sealed under the seal key and padded to a fixed size;
* a sanction and its lifting are separate rows; nothing is rewritten;
* only the server, holding the secrets file, can find or open them.

Which step a new sanction brings (warning, mute, ban) is moderation's policy;
this module only records and reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError

from momo.identity.tables import standing_entries
from momo.keyring import Keyring
from momo.privacy.seal import Sealer
from momo.storage.database import Database

ENTRY_BYTES = 96
PROBE = 8
STEPS = ("warning", "mute", "ban")


@dataclass(frozen=True)
class SanctionRecord:
    action_id: str
    step: str
    until: int | None  # the end of a mute, as a bucket start


@dataclass
class Standing:
    sanctions: list[SanctionRecord] = field(default_factory=list)
    lifted: set[str] = field(default_factory=set)

    @property
    def in_effect(self) -> list[SanctionRecord]:
        return [s for s in self.sanctions if s.action_id not in self.lifted]

    @property
    def muted_until(self) -> int:
        return max((s.until or 0 for s in self.in_effect if s.step == "mute"), default=0)

    @property
    def banned(self) -> bool:
        return any(s.step == "ban" for s in self.in_effect)

    def step_of(self, action_id: str) -> SanctionRecord | None:
        return next((s for s in self.sanctions if s.action_id == action_id), None)


# Built once: every signed-in request reads the standing.
_ENTRIES = select(standing_entries.c.slot, standing_entries.c.sealed).where(
    standing_entries.c.slot.in_(bindparam("slots", expanding=True))
)


class StandingService:
    def __init__(self, db: Database, keys: Keyring, sealer: Sealer) -> None:
        self._db = db
        self._keys = keys
        self._sealer = sealer

    def read(self, account_id: str, conn: Connection | None = None) -> Standing:
        if conn is None:
            with self._db.read() as own:
                return self._read(own, account_id)[0]
        return self._read(conn, account_id)[0]

    def add_sanction(self, conn: Connection, account_id: str, record: SanctionRecord) -> None:
        if record.step not in STEPS:
            raise ValueError(f"unknown sanction step {record.step!r}")
        self._append(conn, account_id, ["s", record.action_id, record.step, record.until])

    def lift(self, conn: Connection, account_id: str, action_id: str) -> None:
        self._append(conn, account_id, ["l", action_id, "", None])

    def erase(self, conn: Connection, account_id: str) -> None:
        """Delete every entry of an account (the account is being deleted)."""
        count = self._read(conn, account_id)[1]
        slots = [self._slot(account_id, n) for n in range(count)]
        conn.execute(delete(standing_entries).where(standing_entries.c.slot.in_(slots)))

    def _slot(self, account_id: str, n: int) -> str:
        return self._keys.tag("seal", "standing-slot", account_id, str(n), length=32)

    def _read(self, conn: Connection, account_id: str) -> tuple[Standing, int]:
        standing = Standing()
        n = 0
        while True:
            slots = {self._slot(account_id, i): i for i in range(n, n + PROBE)}
            rows = conn.execute(_ENTRIES, {"slots": list(slots)}).all()
            for position, sealed in sorted((slots[r.slot], bytes(r.sealed)) for r in rows):
                if position != n:
                    return standing, n
                kind, action_id, step, until = json.loads(
                    self._sealer.open(sealed, "standing", self._slot(account_id, position))
                )
                if kind == "s":
                    standing.sanctions.append(SanctionRecord(action_id, step, until))
                else:
                    standing.lifted.add(action_id)
                n += 1
            if len(rows) < PROBE:
                return standing, n

    def _append(self, conn: Connection, account_id: str, entry: list[object]) -> None:
        plain = json.dumps(entry, separators=(",", ":"))
        if len(plain) > ENTRY_BYTES:
            raise ValueError("standing entry too long")
        padded = plain + " " * (ENTRY_BYTES - len(plain))
        n = self._read(conn, account_id)[1]
        for _ in range(20):
            slot = self._slot(account_id, n)
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(standing_entries).values(
                            slot=slot, sealed=self._sealer.seal(padded, "standing", slot)
                        )
                    )
                return
            except IntegrityError:  # a concurrent sanction took slot n
                n += 1
        raise RuntimeError("could not find a free standing slot")
