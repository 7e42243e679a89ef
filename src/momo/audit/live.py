"""``momo audit instance``: attack a running community the way an outsider would.

The attacker sees only what the public sees, and every channel is measured on it:
texts, per-thread voices, the stored coarse times, topics, the public ids (does an
id's first character say anything about its author?) and the served photos (their
shape and their size in 2 kB steps: could bytes fingerprint a camera?). The ground
truth comes from opening each item's sealed author with the operator's secrets,
held in memory as anonymous labels ("a0", "a1" …) and never written anywhere: only
aggregate figures leave this module.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from momo.audit.corpus import Post, usable
from momo.audit.forensics import link_items, postgres_row_versions, wal_transactions
from momo.audit.regimes import PublicPost
from momo.content.export import public_notes
from momo.content.notes import NoteService
from momo.content.views import NoteView
from momo.privacy.coarse_time import CoarseTime
from momo.privacy.seal import Sealer
from momo.storage.database import Database

ImageReader = Callable[[str], bytes | None]
SIZE_STEP = 2048


def served_image(note: NoteView, read_image: ImageReader) -> tuple[str, str] | None:
    """What the first photo a visitor downloads shows: its shape and its size."""
    if not note.images:
        return None
    first = note.images[0]
    data = read_image(first.url.rsplit("/", 1)[-1])
    size = "unreadable" if data is None else f"{len(data) // SIZE_STEP}"
    return f"{first.width}x{first.height}", size


def collect(
    db: Database,
    note_service: NoteService,
    sealer: Sealer,
    time: CoarseTime,
    read_image: ImageReader | None = None,
) -> tuple[list[Post], list[PublicPost]]:
    sealed = note_service.sealed_authors()
    labels: dict[str, str] = {}

    def label(kind: str, item_id: str) -> str:
        account = sealer.open(sealed[(kind, item_id)], kind, item_id)
        return labels.setdefault(account, f"a{len(labels)}")

    posts: list[Post] = []
    views: list[PublicPost] = []
    for note in public_notes(db, note_service, time):
        topic = note.topics[0] if note.topics else "none"
        stamp = datetime.strptime(note.time, "%Y-%m-%dT%H:%MZ").timestamp()
        posts.append(Post(note.id, label("note", note.id), f"{note.title}\n{note.body}"))
        image = served_image(note, read_image) if read_image else None
        views.append(PublicPost(note.id[0], (note.id, "OP"), topic, stamp, None, image))
        for top in note.comments:
            for comment in [top, *top.replies]:
                if comment.removed:
                    continue
                moment = datetime.strptime(comment.time, "%Y-%m-%dT%H:%MZ").timestamp()
                posts.append(Post(comment.id, label("comment", comment.id), comment.body))
                views.append(
                    PublicPost(comment.id[0], (note.id, comment.voice), topic, moment, None, None)
                )
    kept = usable(posts)
    keep_ids = {post.id for post in kept}
    return kept, [view for post, view in zip(posts, views, strict=True) if post.id in keep_ids]


def forensic_links(database_url: str, db: Database, truth: dict[str, str]) -> dict[str, object]:
    """The unlinkability attacks on this instance's own storage: a hot copy of the
    SQLite file and its WAL, or PostgreSQL's row versions. ``truth`` maps item ids to
    anonymous author labels; only counts come back."""
    if database_url.startswith("sqlite"):
        database = Path(database_url.split("///", 1)[1])
        wal = Path(f"{database}-wal")
        if not wal.exists() or wal.stat().st_size == 0:
            return {"label": "measured", "source": "SQLite WAL", "result": "empty: nothing to read"}
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "db"
            shutil.copy(database, copy)
            shutil.copy(wal, Path(f"{copy}-wal"))
            transactions = wal_transactions(copy, Path(f"{copy}-wal"))
        source = "a hot copy of the SQLite file and its WAL"
    else:
        try:
            with db.engine.connect() as conn:
                schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
                transactions = postgres_row_versions(conn, str(schema))
                conn.rollback()
        except Exception as error:  # pageinspect needs a superuser; say so, go on
            return {
                "label": "not measured",
                "source": "PostgreSQL row versions",
                "result": str(error)[:200],
            }
        source = "PostgreSQL row versions (pageinspect)"
    found, linked = link_items(transactions, truth)
    return {
        "label": "measured",
        "source": source,
        "items": len(truth),
        "items_located": len(found),
        "pairs_linked": len(linked),
        "same_author_pairs_linked": sum(linked.values()),
    }


def row_order(db: Database, truth: dict[str, str]) -> dict[str, object]:
    """Does the order rows sit in storage group one person's items? Reads notes and
    comments in physical order (SQLite's key order, PostgreSQL's heap order) and
    compares how often neighbours share an author with how often they would by chance."""
    physical = (
        "SELECT id FROM {table} ORDER BY ctid"
        if db.dialect == "postgresql"
        else "SELECT id FROM {table}"  # no ORDER BY: the B-tree's own order
    )
    order: list[str] = []
    with db.engine.connect() as conn:
        for table in ("notes", "comments"):
            rows = conn.exec_driver_sql(physical.format(table=table)).scalars()
            order += [str(item) for item in rows if str(item) in truth]
    authors = [truth[item] for item in order]
    if len(authors) < 3:
        return {"label": "measured", "source": "row order", "result": "too few items"}
    neighbours = sum(a == b for a, b in itertools.pairwise(authors)) / (len(authors) - 1)
    counts = Counter(authors)
    by_chance = sum((n / len(authors)) * ((n - 1) / (len(authors) - 1)) for n in counts.values())
    return {
        "label": "measured",
        "source": "the order rows sit in storage",
        "items": len(authors),
        "neighbours_same_author": round(neighbours, 4),
        "by_chance": round(by_chance, 4),
    }
