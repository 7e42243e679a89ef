"""forensic unlinkability: append-only vault and standing, media in the database,
batched publication, no insertion order

Revision ID: 0003
Revises: 0002

* ``vault_entries`` and ``standing_entries`` replace the per-account blobs that
  every post or sanction rewrote. Vault blobs can only be opened with the
  person's key, so they move at that person's next sign-in. Sanction ledgers
  open with the server's seal key and move here, so this step needs the keyring
  when any account was ever sanctioned.
* ``media`` holds images; files in ``data/media`` move at the next start.
* ``published`` marks notes and comments whose bucket has ended (all existing ones).
* On SQLite every table is rebuilt ``WITHOUT ROWID``, rows copied in key order,
  so the file no longer keeps the order in which rows were written.

Downgrading restores the old columns empty (sanctions are lost) and keeps the
tables ``WITHOUT ROWID``, which the older code reads unchanged.
"""

import json
import re
from collections.abc import Sequence
from typing import Any, cast

import sqlalchemy as sa
from alembic import context, op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGACY_STEPS = {"warn": "warning", "remove": "warning", "mute": "mute", "ban": "ban"}


def upgrade() -> None:
    op.create_table(
        "vault_entries",
        sa.Column("slot", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("slot", name=op.f("pk_vault_entries")),
    )
    op.create_table(
        "standing_entries",
        sa.Column("slot", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("slot", name=op.f("pk_standing_entries")),
    )
    op.create_table(
        "media",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("full", sa.LargeBinary(), nullable=False),
        sa.Column("thumb", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_media")),
    )
    _move_sanctions()
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("sanction_ledger")
        batch.drop_column("muted_until")
        batch.drop_column("banned")
    with op.batch_alter_table("mod_actions") as batch:
        batch.drop_column("until_bucket")
    for table in ("notes", "comments"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("published", sa.Boolean(), server_default="0", nullable=False)
            )
        op.execute(sa.text(f"UPDATE {table} SET published = :yes").bindparams(yes=True))
    op.create_index("ix_comments_unpublished", "comments", ["published", "created_bucket"])
    if op.get_bind().dialect.name == "sqlite":
        for name in _sqlite_tables():
            _rebuild_without_rowid(name)


def downgrade() -> None:
    op.drop_index("ix_comments_unpublished", table_name="comments")
    for table in ("notes", "comments"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("published")
    with op.batch_alter_table("mod_actions") as batch:
        batch.add_column(sa.Column("until_bucket", sa.Integer(), nullable=True))
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("muted_until", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("banned", sa.Boolean(), server_default="0", nullable=False))
        batch.add_column(sa.Column("sanction_ledger", sa.LargeBinary(), nullable=True))
    op.drop_table("media")
    op.drop_table("standing_entries")
    op.drop_table("vault_entries")


def _move_sanctions() -> None:
    conn = op.get_bind()
    ledgers = conn.execute(
        sa.text("SELECT id, sanction_ledger FROM accounts WHERE sanction_ledger IS NOT NULL")
    ).all()
    if not ledgers:
        return
    keys = context.config.attributes.get("keys")
    if keys is None:
        raise RuntimeError(
            "migration 0003 moves sealed sanction ledgers and needs the secrets file: "
            "run it through `momo serve` or `momo migrate`, not plain alembic"
        )
    from momo.identity.standing import SanctionRecord, StandingService
    from momo.privacy.seal import Sealer

    sealer = Sealer(keys.seal)
    standing = StandingService(cast(Any, None), keys, sealer)
    for account_id, blob in ledgers:
        action_ids = json.loads(sealer.open(bytes(blob), "sanction-ledger", account_id))
        for action_id in action_ids:
            action = conn.execute(
                sa.text("SELECT kind, until_bucket, outcome FROM mod_actions WHERE id = :id"),
                {"id": action_id},
            ).first()
            if action is None or action.kind not in LEGACY_STEPS:
                continue
            step = LEGACY_STEPS[action.kind]
            until = action.until_bucket if step == "mute" else None
            standing.add_sanction(conn, account_id, SanctionRecord(action_id, step, until))
            if action.outcome == "overturned":
                standing.lift(conn, account_id, action_id)


def _sqlite_tables() -> list[str]:
    rows = op.get_bind().exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'alembic_version' AND sql NOT LIKE '%WITHOUT ROWID%'"
    )
    return [row[0] for row in rows]


def _rebuild_without_rowid(name: str) -> None:
    conn = op.get_bind()
    create = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).scalar_one()
    indexes = [
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL",
            (name,),
        )
    ]
    keys = [
        row[1]
        for row in sorted(
            (r for r in conn.exec_driver_sql(f'PRAGMA table_info("{name}")') if r[5]),
            key=lambda r: r[5],
        )
    ]
    temporary = f"_rebuild_{name}"
    pattern = rf'^\s*CREATE TABLE\s+"?{re.escape(name)}"?'
    new_create = re.sub(pattern, f'CREATE TABLE "{temporary}"', create, count=1)
    conn.exec_driver_sql(new_create.rstrip().rstrip(";") + " WITHOUT ROWID")
    order = ", ".join(f'"{key}"' for key in keys)
    conn.exec_driver_sql(f'INSERT INTO "{temporary}" SELECT * FROM "{name}" ORDER BY {order}')
    conn.exec_driver_sql(f'DROP TABLE "{name}"')
    conn.exec_driver_sql(f'ALTER TABLE "{temporary}" RENAME TO "{name}"')
    for index in indexes:
        conn.exec_driver_sql(index)
