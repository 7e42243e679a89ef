"""Moderation storage.

Reports carry a per-target keyed tag (one report per person and item, never
equal across items). Actions name their moderator only in sealed form, so the
log shows "moderator" and the server alone can tell whether an appeal is being
decided by the same person who acted.
"""

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from momo.storage.metadata import NO_ROWID, metadata

reports = Table(
    "reports",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("target_type", String(8), nullable=False),
    Column("target_id", String(16), nullable=False),
    Column("note_id", String(16), nullable=False),
    Column("reason", String(16), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
    Column("weight", Float, nullable=False),
    Column("tag", String(32), nullable=False),
    Column("created_bucket", Integer, nullable=False),
    Column("status", String(12), nullable=False, server_default="open"),
    UniqueConstraint("target_type", "target_id", "tag"),
    Index("ix_reports_open", "status", "target_type", "target_id"),
    **NO_ROWID,
)

actions = Table(
    "mod_actions",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("target_type", String(8), nullable=False),
    Column("target_id", String(16), nullable=False),
    Column("note_id", String(16), nullable=False),
    Column("rule", String(16), nullable=False),
    Column("created_bucket", Integer, nullable=False),
    Column("outcome", String(12), nullable=False, server_default="in_effect"),
    # Minutes from the first open report to this action (None when unreported).
    Column("minutes_to_action", Integer, nullable=True),
    Column("sealed_actor", LargeBinary, nullable=True),
    # For sanctions: the sanctioned account, sealed with a fresh nonce like every seal,
    # so an appeal can still lift the strike after the author deleted the content.
    Column("sealed_author", LargeBinary, nullable=True),
    Index("ix_mod_actions_log", "created_bucket", "id"),
    **NO_ROWID,
)

appeals = Table(
    "appeals",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("action_id", String(16), nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("created_bucket", Integer, nullable=False),
    Column("status", String(12), nullable=False, server_default="pending"),
    Column("decided_bucket", Integer, nullable=True),
    **NO_ROWID,
)
