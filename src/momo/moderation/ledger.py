"""Each account's sanctions, kept on the account row sealed under the moderation key.

The item side of a sanction (the public log) never names the account; the
account side (this ledger) is readable only by the moderation machinery. So a
sanction reaches its person without any stored value linking their items.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, select, update

from momo.identity.tables import accounts
from momo.privacy.seal import Sealer

KIND = "sanction-ledger"


class SanctionLedger:
    def __init__(self, sealer: Sealer) -> None:
        self._sealer = sealer

    def read(self, conn: Connection, account_id: str) -> list[str]:
        blob = conn.scalar(select(accounts.c.sanction_ledger).where(accounts.c.id == account_id))
        if not blob:
            return []
        return list(json.loads(self._sealer.open(bytes(blob), KIND, account_id)))

    def append(self, conn: Connection, account_id: str, action_id: str) -> None:
        ids = [*self.read(conn, account_id), action_id]
        sealed = self._sealer.seal(json.dumps(ids), KIND, account_id)
        conn.execute(
            update(accounts).where(accounts.c.id == account_id).values(sanction_ledger=sealed)
        )
