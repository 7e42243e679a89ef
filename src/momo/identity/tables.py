"""Identity storage: accounts, sessions and per-thread voices."""

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from momo.storage.metadata import metadata

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(32), primary_key=True),
    # HMAC of the account key under a pepper from the secrets file.
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False, server_default="member"),
    Column("created_bucket", Integer, nullable=False),
    Column("probation_until", Integer, nullable=False, server_default="0"),
    Column("muted_until", Integer, nullable=False, server_default="0"),
    Column("banned", Boolean, nullable=False, server_default="0"),
    # The account's index of its own items, encrypted under a key derived
    # from the account key; the server can open it only during a session.
    Column("vault", LargeBinary, nullable=True),
    # Ids of the moderation actions taken against this account, sealed under the
    # moderation key: the account side of a sanction, with nothing on the item side.
    Column("sanction_ledger", LargeBinary, nullable=True),
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
)
