"""Questions about a database asked before Momo starts using it."""

from __future__ import annotations

from sqlalchemy import inspect, text

from momo.storage.database import Database


def holds_accounts(db: Database) -> bool:
    """Whether the database already has accounts (whose keys the secrets file holds)."""
    if "accounts" not in inspect(db.engine).get_table_names():
        return False
    with db.read() as conn:
        return conn.execute(text("SELECT 1 FROM accounts LIMIT 1")).first() is not None
