"""Context note storage. Authors are sealed per item; a rating row carries only
the rater's pseudonym for its epoch, ``HMAC(reaction key, "context-rater",
account, epoch)``, which no other table holds and which is erased once the
epoch leaves the fitting window."""

from sqlalchemy import Boolean, Column, Float, Index, Integer, LargeBinary, String, Table, Text

from momo.storage.metadata import NO_ROWID, metadata

context_notes = Table(
    "context_notes",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("note_id", String(16), nullable=False),
    Column("body", Text, nullable=False),
    Column("sources", Text, nullable=False),  # JSON list of http(s) links
    Column("reason", String(24), nullable=False),
    Column("created_bucket", Integer, nullable=False),
    Column("sealed_author", LargeBinary, nullable=False),
    Column("status", String(24), nullable=False, server_default="needs_more_ratings"),
    Column("intercept", Float, nullable=False, server_default="0"),
    Column("factor", Float, nullable=False, server_default="0"),
    Column("rating_count", Integer, nullable=False, server_default="0"),
    # A burst of like-minded ratings: those ratings count for less until a
    # moderator clears it (service.py).
    Column("damped", Boolean, nullable=False, server_default="0"),
    Index("ix_context_notes_note", "note_id", "status"),
    Index("ix_context_notes_status", "status", "created_bucket"),
    **NO_ROWID,
)

context_ratings = Table(
    "context_ratings",
    metadata,
    Column("context_id", String(16), nullable=False, primary_key=True),
    Column("rater", String(32), nullable=False, primary_key=True),
    Column("epoch", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("tags", String(200), nullable=False, server_default=""),
    Column("weight", Float, nullable=False),
    Column("created_bucket", Integer, nullable=False),
    Index("ix_context_ratings_epoch", "epoch"),
    **NO_ROWID,
)

# The last fit's viewpoint factor per pseudonym, for spotting like-minded bursts;
# dropped with the pseudonyms themselves.
context_raters = Table(
    "context_raters",
    metadata,
    Column("rater", String(32), primary_key=True),
    Column("epoch", Integer, nullable=False),
    Column("factor", Float, nullable=False),
    **NO_ROWID,
)

context_log = Table(
    "context_log",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("context_id", String(16), nullable=False),
    Column("note_id", String(16), nullable=False),
    Column("status", String(24), nullable=False),
    Column("created_bucket", Integer, nullable=False),
    Index("ix_context_log_time", "created_bucket", "id"),
    **NO_ROWID,
)
