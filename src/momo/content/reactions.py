"""Likes, hugs (抱抱) and bookmarks ("collect").

Each reaction row stores ``HMAC(reaction key, kind, account, target)``: one
per person and target, never equal across targets, so a dump shows how many
liked a note and nothing about who liked what else. Hugs are kept the same way;
they are solidarity, not engagement, so they never lift a note in Discover.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, delete, insert, select, update

from momo.content import text
from momo.content.counters import lock_note, set_counts
from momo.content.policy import PostingPolicy
from momo.content.tables import comments, reactions
from momo.errors import InvalidInput, NotFound
from momo.identity.accounts import AccountService, Viewer
from momo.keyring import Keyring
from momo.privacy.coarse_time import CoarseTime
from momo.storage.database import Database

LIKE = "like"
COLLECT = "collect"
HUG = "hug"
NOTE_REACTIONS = (LIKE, HUG, COLLECT)
COMMENT_LIKE = "like_comment"


class ReactionService:
    def __init__(
        self,
        db: Database,
        keys: Keyring,
        accounts: AccountService,
        policy: PostingPolicy,
        time: CoarseTime,
        changed: Callable[[], None] = lambda: None,
        after_reply_like: Callable[[Connection, str, str], bool] = lambda *_: False,
        after_hug: Callable[[Connection, str, str], bool] = lambda *_: False,
    ) -> None:
        self._after_hug = after_hug  # a crowd of hugs is damped like any pile-on
        self._time = time
        self._after_reply_like = after_reply_like  # pile-on detection, owned by moderation
        self._policy = policy
        self._changed = changed
        self._db = db
        self._keys = keys
        self._accounts = accounts

    def set_note_reaction(self, viewer: Viewer, kind: str, note_id: str, on: bool) -> int:
        """Like, hug or collect a note (or take it back); returns the new count of
        that kind. Idempotent."""
        if kind not in NOTE_REACTIONS:
            raise InvalidInput("a note takes 'like', 'hug' or 'collect'", field="kind")
        if not text.is_public_id(note_id):
            raise NotFound("no such note")
        self._policy.check(viewer, "reaction")
        tag = self._keys.tag("reaction", kind, viewer.account_id, note_id)
        if kind == COLLECT:  # bookmarks are kept in the vault
            self._accounts.prepare_record(viewer)
        with self._db.write() as conn:
            note = lock_note(conn, note_id)
            if (
                note is None
                or note.status != "visible"
                or note.created_bucket >= self._time.public_before()
            ):
                raise NotFound("no such note")
            exists = self._has(conn, kind, note_id, tag)
            change = 1 if on and not exists else -1 if exists and not on else 0
            if change == 1:
                conn.execute(insert(reactions).values(kind=kind, target_id=note_id, tag=tag))
            elif change == -1:
                conn.execute(
                    delete(reactions).where(
                        reactions.c.kind == kind,
                        reactions.c.target_id == note_id,
                        reactions.c.tag == tag,
                    )
                )
            counts = {
                LIKE: note.like_count,
                HUG: note.hug_count,
                COLLECT: note.collect_count,
            }
            counts[kind] += change
            set_counts(
                conn,
                note,
                likes=counts[LIKE],
                comments=note.comment_count,
                collects=counts[COLLECT],
                hugs=counts[HUG],
            )
            if kind == COLLECT and change:
                self._accounts.record(conn, viewer, "+" if on else "-", "bookmark", note_id)
            if kind == HUG and change == 1:
                self._after_hug(conn, note_id, viewer.account_id)
        self._changed()
        return counts[kind]

    def like_comment(self, viewer: Viewer, comment_id: str, on: bool) -> int:
        if not text.is_public_id(comment_id):
            raise NotFound("no such comment")
        self._policy.check(viewer, "reaction")
        tag = self._keys.tag("reaction", COMMENT_LIKE, viewer.account_id, comment_id)
        with self._db.write() as conn:
            comment = conn.execute(
                select(comments.c.status, comments.c.created_bucket).where(
                    comments.c.id == comment_id
                )
            ).first()
            if (
                comment is None
                or comment.status != "visible"
                or comment.created_bucket >= self._time.public_before(comment=True)
            ):
                raise NotFound("no such comment")
            exists = self._has(conn, COMMENT_LIKE, comment_id, tag)
            changed = on != exists
            if on and not exists:
                conn.execute(
                    insert(reactions).values(kind=COMMENT_LIKE, target_id=comment_id, tag=tag)
                )
                conn.execute(
                    update(comments)
                    .where(comments.c.id == comment_id)
                    .values(like_count=comments.c.like_count + 1)
                )
                self._after_reply_like(conn, comment_id, viewer.account_id)
            elif exists and not on:
                conn.execute(
                    delete(reactions).where(
                        reactions.c.kind == COMMENT_LIKE,
                        reactions.c.target_id == comment_id,
                        reactions.c.tag == tag,
                    )
                )
                conn.execute(
                    update(comments)
                    .where(comments.c.id == comment_id)
                    .values(like_count=comments.c.like_count - 1)
                )
            count = int(
                conn.scalar(select(comments.c.like_count).where(comments.c.id == comment_id)) or 0
            )
        if changed:
            self._changed()  # the count (and a damping) show on the cached note page
        return count

    def _has(self, conn: Connection, kind: str, target: str, tag: str) -> bool:
        query = select(reactions.c.tag).where(
            reactions.c.kind == kind, reactions.c.target_id == target, reactions.c.tag == tag
        )
        return conn.scalar(query) is not None

    def bookmarks(self, viewer: Viewer) -> list[str]:
        return list(reversed(self._accounts.read_vault(viewer).bookmarks))
