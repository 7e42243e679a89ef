"""Content storage.

No column here holds a value shared by two items of the same author: authors
are sealed per item, voice and reaction tags are keyed per thread or target.
``tests/test_dump_unlinkability.py`` fails if a linking column is added.

Every table is ``WITHOUT ROWID`` on SQLite and keyed by random ids, so the
file keeps no insertion order.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from momo.storage.metadata import NO_ROWID, metadata

notes = Table(
    "notes",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("title", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_bucket", Integer, nullable=False),
    Column("edited", Boolean, nullable=False, server_default="0"),
    Column("status", String(16), nullable=False, server_default="visible"),
    Column("locked", Boolean, nullable=False, server_default="0"),
    Column("slow_mode_seconds", Integer, nullable=False, server_default="0"),
    Column("damped", Boolean, nullable=False, server_default="0"),
    Column("like_count", Integer, nullable=False, server_default="0"),
    Column("comment_count", Integer, nullable=False, server_default="0"),
    Column("collect_count", Integer, nullable=False, server_default="0"),
    # A context note rated helpful shows under the post (set by momo.context).
    Column("has_context", Boolean, nullable=False, server_default="0"),
    # Hugs are solidarity, not engagement: they never enter the hot rank.
    Column("hug_count", Integer, nullable=False, server_default="0"),
    # Time-invariant hot rank (log engagement + age term), so Discover pages
    # are a plain keyset scan and need no periodic recomputation.
    Column("hot", Float, nullable=False, server_default="0"),
    Column("sealed_author", LargeBinary, nullable=False),
    # Set when the note's bucket has ended and it went public: only then do topic
    # counts include it (see content/publication.py).
    Column("published", Boolean, nullable=False, server_default="0"),
    # The note's document id in the search index (content/search_index.py), set on
    # publication: the bucket in the high bits, random below.
    Column("search_doc", BigInteger, nullable=True),
    Index("ix_notes_latest", "status", "created_bucket", "id"),
    Index("ix_notes_search_doc", "search_doc", unique=True),
    # Publication looks for unpublished notes of ended buckets on every bucket.
    Index("ix_notes_unpublished", "published", "created_bucket"),
    Index("ix_notes_hot", "status", "hot", "id"),
    **NO_ROWID,
)

note_images = Table(
    "note_images",
    metadata,
    Column("note_id", String(16), ForeignKey("notes.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("file_name", String(64), nullable=False, unique=True),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("alt", Text, nullable=False, server_default=""),
    PrimaryKeyConstraint("note_id", "position"),
    **NO_ROWID,
)

topics = Table(
    "topics",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("note_count", Integer, nullable=False, server_default="0"),
    **NO_ROWID,
)

note_topics = Table(
    "note_topics",
    metadata,
    Column("note_id", String(16), ForeignKey("notes.id", ondelete="CASCADE"), nullable=False),
    Column("topic", String(40), ForeignKey("topics.name"), nullable=False),
    # The note's (public) bucket again, so a topic page is one ordered index range.
    Column("created_bucket", Integer, nullable=False, server_default="0"),
    PrimaryKeyConstraint("topic", "note_id"),
    Index("ix_note_topics_note", "note_id"),
    Index("ix_note_topics_feed", "topic", "created_bucket", "note_id"),
    **NO_ROWID,
)

comments = Table(
    "comments",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("note_id", String(16), ForeignKey("notes.id", ondelete="CASCADE"), nullable=False),
    Column("parent_id", String(16), nullable=True),
    Column("reply_to_voice", Integer, nullable=True),
    # The comment a reply answers (the thread's tree; public like the thread itself).
    Column("reply_to_id", String(16), nullable=True),
    Column("voice", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_bucket", Integer, nullable=False),
    Column("status", String(16), nullable=False, server_default="visible"),
    Column("collapsed", Boolean, nullable=False, server_default="0"),
    Column("like_count", Integer, nullable=False, server_default="0"),
    Column("sealed_author", LargeBinary, nullable=False),
    # Set when the comment's bucket has ended: only then does the note count it.
    Column("published", Boolean, nullable=False, server_default="0"),
    # Place in the thread's conversation, so a quick exchange inside one time bucket
    # reads in order. Per thread only: it orders nothing across threads.
    Column("position", Integer, nullable=True),
    # Voice and parent ride along so the pile-on figures a comment's write
    # transaction reads come from the index, not from every row of the thread.
    Index("ix_comments_thread", "note_id", "created_bucket", "id", "voice", "parent_id"),
    Index("ix_comments_position", "note_id", "position"),
    Index("ix_comments_unpublished", "published", "created_bucket"),
    **NO_ROWID,
)

reactions = Table(
    "reactions",
    metadata,
    Column("kind", String(16), nullable=False),
    Column("target_id", String(16), nullable=False),
    # HMAC(reaction key, kind, account, target): one per person and target,
    # but never equal across targets.
    Column("tag", String(32), nullable=False),
    PrimaryKeyConstraint("kind", "target_id", "tag"),
    **NO_ROWID,
)

# The search index itself (``note_search``) is an FTS5 virtual table on SQLite and a
# tsvector table with a GIN index on PostgreSQL; SQLAlchemy cannot declare the
# former, so migration 0007 creates both and content/search_index.py owns them.

# Scrubbed images, kept in the database rather than as files: a file's inode
# change time records the exact second of the upload, and no call can reset it.
media = Table(
    "media",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("full", LargeBinary, nullable=False),
    Column("thumb", LargeBinary, nullable=False),
    # "database", or "objects" once moved to object storage at publication (then
    # full and thumb are empty here): see content/object_storage.py.
    Column("location", String(16), nullable=False, server_default="database"),
    **NO_ROWID,
)
