"""Comments with one level of replies, each spoken in the author's per-thread voice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, func, insert, select, update

from momo.content import text
from momo.content.counters import lock_note
from momo.content.policy import PostingPolicy
from momo.content.tables import comments
from momo.errors import Forbidden, InvalidInput, NotFound
from momo.identity import voices
from momo.identity.accounts import AccountService, Viewer
from momo.keyring import Keyring
from momo.privacy.coarse_time import CoarseTime
from momo.privacy.seal import Sealer
from momo.storage.database import Database

COMMENT_KIND = "comment"


@dataclass(frozen=True)
class NewComment:
    id: str
    voice: int


# Built once: they run inside every comment's write transaction, where building a
# statement cost more than SQLite's work on it.
_LAST_POSITION = select(func.max(comments.c.position)).where(
    comments.c.note_id == bindparam("note_id")
)
_ADD = insert(comments)


class CommentService:
    def __init__(
        self,
        db: Database,
        keys: Keyring,
        sealer: Sealer,
        accounts: AccountService,
        time: CoarseTime,
        policy: PostingPolicy,
        changed: Callable[[], None] = lambda: None,
        after_comment: Callable[[Connection, str, str | None], bool] = lambda *_: False,
    ) -> None:
        self._after_comment = after_comment  # pile-on detection, owned by moderation
        self._policy = policy
        self._changed = changed
        self._db = db
        self._keys = keys
        self._sealer = sealer
        self._accounts = accounts
        self._time = time

    def add(
        self, viewer: Viewer, note_id: str, body: str, reply_to: str | None = None
    ) -> NewComment:
        self._policy.check(viewer, "comment")
        body = text.clean(body)
        if not body:
            raise InvalidInput("a comment cannot be empty", field="body")
        if len(body) > text.COMMENT_MAX:
            raise InvalidInput(
                "a comment is at most %(max)s characters", field="body", max=text.COMMENT_MAX
            )
        if not text.is_public_id(note_id):
            raise NotFound("no such note")
        self._accounts.prepare_record(viewer)
        comment_id = text.new_public_id()
        created = self._time.publish_bucket(comment=True)
        with self._db.write() as conn:
            note = lock_note(conn, note_id)  # voice numbers are handed out one at a time
            if (
                note is None
                or note.status != "visible"
                or note.created_bucket >= self._time.public_before()
            ):
                raise NotFound("no such note")
            if note.locked:
                raise Forbidden("this thread is locked")
            if note.slow_mode_seconds:
                self._policy.slow_mode(viewer, note_id, note.slow_mode_seconds)
            parent_id, reply_voice = self._resolve_reply(conn, note_id, reply_to)
            voice = voices.voice_for(conn, self._keys, viewer.account_id, note_id)
            # Under the note's row lock, like the voice number: one writer at a time.
            position = 1 + (conn.scalar(_LAST_POSITION, {"note_id": note_id}) or 0)
            conn.execute(
                _ADD,
                {
                    "id": comment_id,
                    "note_id": note_id,
                    "parent_id": parent_id,
                    "reply_to_voice": reply_voice,
                    "reply_to_id": reply_to if parent_id else None,
                    "voice": voice,
                    "position": position,
                    "body": body,
                    "created_bucket": created,
                    # In a damped thread new replies wait behind "show more".
                    "collapsed": note.damped,
                    "sealed_author": self._sealer.seal(viewer.account_id, COMMENT_KIND, comment_id),
                },
            )
            # The note's comment count moves when the bucket is published, not now.
            self._accounts.record(conn, viewer, "+", COMMENT_KIND, comment_id)
            damped = self._after_comment(conn, note_id, parent_id)
        if damped:  # shows on the thread at once; the comment itself waits for its bucket
            self._changed()
        return NewComment(comment_id, voice)

    def _resolve_reply(
        self, conn: Connection, note_id: str, reply_to: str | None
    ) -> tuple[str | None, int | None]:
        if reply_to is None:
            return None, None
        if not text.is_public_id(reply_to):
            raise InvalidInput("reply_to is not a comment id", field="reply_to")
        target = conn.execute(
            select(comments.c.id, comments.c.parent_id, comments.c.voice, comments.c.status).where(
                comments.c.id == reply_to,
                comments.c.note_id == note_id,
                comments.c.created_bucket < self._time.public_before(comment=True),
            )
        ).first()
        if target is None or target.status != "visible":
            raise InvalidInput("the comment you reply to is not in this thread", field="reply_to")
        # One level of replies: a reply to a reply joins the same top-level comment.
        return target.parent_id or target.id, target.voice

    def delete(self, viewer: Viewer, comment_id: str) -> None:
        if not text.is_public_id(comment_id):
            raise NotFound("no such comment")
        if comment_id not in self._accounts.read_vault(viewer).comments:
            raise Forbidden("only the comment's author can delete it")
        with self._db.write() as conn:
            self.erase(conn, comment_id)
            self._accounts.record(conn, viewer, "-", COMMENT_KIND, comment_id)
        self._db.checkpoint()  # the old text must not wait in the WAL

    def erase(self, conn: Connection, comment_id: str) -> None:
        """Blank a comment but keep its place, so replies to it keep their context."""
        conn.execute(
            update(comments).where(comments.c.id == comment_id).values(status="deleted", body="")
        )
