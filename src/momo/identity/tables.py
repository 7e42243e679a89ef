"""Identity storage: accounts, sessions, per-thread voices, vault and standing logs, invites.

Every table is ``WITHOUT ROWID`` on SQLite, keyed by a random or keyed-hash
value, so the file keeps no insertion order (``sqlite_with_rowid=False``).

Nothing on the item path writes here except new rows of ``thread_voices`` and
``vault_entries``; ``tests/test_forensic_unlinkability.py`` holds that rule.
"""

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from momo.storage.metadata import NO_ROWID, metadata

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(32), primary_key=True),
    # HMAC of the account key under a pepper from the secrets file.
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False, server_default="member"),
    Column("created_bucket", Integer, nullable=False),
    Column("probation_until", Integer, nullable=False, server_default="0"),
    # The first release's vault blob. Read once at the next sign-in, moved into
    # vault_entries and cleared: nothing writes it any more.
    Column("vault", LargeBinary, nullable=True),
    **NO_ROWID,
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column(
        "account_id",
        String(32),
        ForeignKey("accounts.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    # The vault key, wrapped under a key derived from the cookie's token,
    # which the database never sees.
    Column("wrapped_vault_key", LargeBinary, nullable=False),
    Column("expires_at", Integer, nullable=False),
    **NO_ROWID,
)

thread_voices = Table(
    "thread_voices",
    metadata,
    Column("note_id", String(16), ForeignKey("notes.id", ondelete="CASCADE"), nullable=False),
    # HMAC(voice key, account, note): equal only for the same person in the same thread.
    Column("tag", String(32), nullable=False),
    Column("number", Integer, nullable=False),
    PrimaryKeyConstraint("note_id", "tag"),
    UniqueConstraint("note_id", "number"),
    **NO_ROWID,
)

# Each account's own items, one appended row per change: see identity/vault.py.
vault_entries = Table(
    "vault_entries",
    metadata,
    Column("slot", String(64), primary_key=True),  # HMAC(vault key, n)
    Column("sealed", LargeBinary, nullable=False),  # fixed size, sealed under the vault key
    **NO_ROWID,
)

# Each account's sanctions and their lifting, one appended row each: see identity/standing.py.
standing_entries = Table(
    "standing_entries",
    metadata,
    Column("slot", String(64), primary_key=True),  # HMAC(seal key, account, n)
    Column("sealed", LargeBinary, nullable=False),  # fixed size, sealed under the seal key
    **NO_ROWID,
)

invites = Table(
    "invites",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("created_bucket", Integer, nullable=False),
    Column("used", Integer, nullable=False, server_default="0"),
    **NO_ROWID,
)

# Proof-of-work challenges already spent, until they expire, so a restart cannot
# replay one. The expiry is rounded up to a time bucket: no exact moment is kept.
spent_challenges = Table(
    "spent_challenges",
    metadata,
    Column("digest", String(64), primary_key=True),  # SHA-256 of the challenge
    Column("expires_bucket", Integer, nullable=False),
    **NO_ROWID,
)
