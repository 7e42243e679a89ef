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

from collections.abc import Callable
from datetime import datetime

from momo.audit.corpus import Post, usable
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
