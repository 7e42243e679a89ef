"""Writing, editing and deleting notes, and reading a note's page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select, update

from momo.content import text
from momo.content.counters import hot_score
from momo.content.media import MediaStore
from momo.content.policy import PostingPolicy
from momo.content.search_index import SearchIndex
from momo.content.tables import comments, note_images, note_topics, notes, reactions
from momo.content.tables import topics as topics_table
from momo.content.views import (
    CommentView,
    MyNote,
    NoteView,
    ReplyToMe,
    ViewerState,
    image_view,
)
from momo.errors import Forbidden, InvalidInput, NotFound
from momo.identity import voices
from momo.identity.accounts import AccountService, Viewer
from momo.identity.persona import Persona
from momo.keyring import Keyring
from momo.privacy.coarse_time import CoarseTime
from momo.privacy.images import CleanImage
from momo.privacy.seal import Sealer
from momo.storage.database import Database
from momo.storage.upsert import upsert_ignore

NOTE_KIND = "note"
MAX_ALT = 300  # characters of description per image


def validate_note(title: str, body: str) -> tuple[str, str]:
    title, body = text.clean(title), text.clean(body)
    if not title:
        raise InvalidInput("a note needs a title", field="title")
    if len(title) > text.TITLE_MAX:
        raise InvalidInput(
            "the title is longer than %(max)s characters", field="title", max=text.TITLE_MAX
        )
    if len(body) > text.BODY_MAX:
        raise InvalidInput(
            "the body is longer than %(max)s characters", field="body", max=text.BODY_MAX
        )
    return title, body


_ADD = insert(notes)  # built once, for every note written


class NoteService:
    def __init__(
        self,
        db: Database,
        keys: Keyring,
        sealer: Sealer,
        accounts: AccountService,
        media: MediaStore,
        scrub: Callable[[bytes], CleanImage],
        max_images: int,
        time: CoarseTime,
        persona: Persona,
        policy: PostingPolicy,
        changed: Callable[[], None] = lambda: None,
        recent_voices: Callable[[Connection, str], int] = lambda *_: 0,
        catch_up: Callable[[], None] = lambda: None,
    ) -> None:
        self._catch_up = catch_up  # publishes ended buckets, so counts are current
        self._recent_voices = recent_voices  # for the friction prompt in damped threads
        self._policy = policy
        self._changed = changed  # tells the feed cache that public content moved
        self._db = db
        self._keys = keys
        self._sealer = sealer
        self._accounts = accounts
        self._media = media
        self._scrub = scrub
        self._max_images = max_images
        self._time = time
        self._persona = persona
        self._search = SearchIndex()

    # -- writing ----------------------------------------------------------
    def create(
        self,
        viewer: Viewer,
        title: str,
        body: str,
        images: Sequence[bytes] = (),
        alts: Sequence[str] = (),
    ) -> str:
        """Publish a note. The cheap checks come first (sanctions and limits, text, the
        number of images), so a refused request never pays for decoding images.
        ``alts`` describe the images in order, for people who cannot see them."""
        self._policy.check(viewer, "note")
        title, body = validate_note(title, body)
        if len(images) > self._max_images:
            raise InvalidInput(
                "a note takes at most %(max)s images", field="images", max=self._max_images
            )
        descriptions = [text.clean(alt)[:MAX_ALT] for alt in alts][: len(images)]
        cleaned = [self._scrub(raw) for raw in images]
        self._accounts.prepare_record(viewer)
        note_id = text.new_public_id()
        created = self._time.publish_bucket()
        with self._db.write() as conn:
            conn.execute(
                _ADD,
                {
                    "id": note_id,
                    "title": title,
                    "body": body,
                    "created_bucket": created,
                    "hot": hot_score(0, created),
                    "sealed_author": self._sealer.seal(viewer.account_id, NOTE_KIND, note_id),
                },
            )
            for position, image in enumerate(cleaned):
                conn.execute(
                    insert(note_images).values(
                        note_id=note_id,
                        position=position,
                        file_name=self._media.save(conn, image),
                        width=image.width,
                        height=image.height,
                        alt=descriptions[position] if position < len(descriptions) else "",
                    )
                )
            self._index(conn, note_id, body, created, counted=False)
            voices.claim_op(conn, self._keys, viewer.account_id, note_id)
            self._accounts.record(conn, viewer, "+", NOTE_KIND, note_id)
        # No page changes yet: the note goes public with its bucket, and publication
        # tells the cache then. (Telling it now cost every reader their cached pages
        # on every write.)
        return note_id

    def edit(self, viewer: Viewer, note_id: str, title: str, body: str) -> None:
        title, body = validate_note(title, body)
        self._require_own(viewer, note_id)
        with self._db.write() as conn:
            note = conn.execute(
                select(notes.c.status, notes.c.published, notes.c.created_bucket).where(
                    notes.c.id == note_id
                )
            ).first()
            if note is None or note.status != "visible":
                raise NotFound("no such note")
            self._search.replace(conn, note_id, title, body)  # reads the old text first
            conn.execute(
                update(notes)
                .where(notes.c.id == note_id)
                .values(title=title, body=body, edited=True)
            )
            self._unindex(conn, note_id, counted=note.published)
            self._index(conn, note_id, body, note.created_bucket, counted=note.published)
        self._db.checkpoint()  # the old text must not wait in the WAL
        self._changed()

    def delete(self, viewer: Viewer, note_id: str) -> None:
        self._require_own(viewer, note_id)
        with self._db.write() as conn:
            self.purge(conn, note_id)
            self._accounts.record(conn, viewer, "-", NOTE_KIND, note_id)
        self._db.checkpoint()
        self._changed()

    def purge(self, conn: Connection, note_id: str) -> None:
        """Remove a note with everything hanging off it (author deletion, not moderation)."""
        published = conn.scalar(select(notes.c.published).where(notes.c.id == note_id))
        names = conn.scalars(
            select(note_images.c.file_name).where(note_images.c.note_id == note_id)
        ).all()
        comment_ids = select(comments.c.id).where(comments.c.note_id == note_id)
        conn.execute(
            delete(reactions).where(
                (reactions.c.target_id == note_id) | reactions.c.target_id.in_(comment_ids)
            )
        )
        self._unindex(conn, note_id, counted=bool(published))
        self._search.remove(conn, note_id)
        for table in (comments, note_images):
            conn.execute(delete(table).where(table.c.note_id == note_id))
        voices.forget_thread(conn, note_id)
        conn.execute(delete(notes).where(notes.c.id == note_id))
        for name in names:
            self._media.remove(conn, name)

    def _require_own(self, viewer: Viewer, note_id: str) -> None:
        if not text.is_public_id(note_id):
            raise NotFound("no such note")
        if note_id not in self._accounts.read_vault(viewer).notes:
            raise Forbidden("only the note's author can change it")

    def _index(
        self, conn: Connection, note_id: str, body: str, bucket: int, *, counted: bool
    ) -> None:
        names = text.extract_topics(body)
        for name in names:
            # An upsert, so two notes bringing the same new topic at once cannot collide.
            conn.execute(upsert_ignore(conn, topics_table, name=name, note_count=0))
            conn.execute(
                insert(note_topics).values(note_id=note_id, topic=name, created_bucket=bucket)
            )
        if counted:
            self._count_topics(conn, names, +1)

    def _unindex(self, conn: Connection, note_id: str, *, counted: bool) -> None:
        names = conn.scalars(select(note_topics.c.topic).where(note_topics.c.note_id == note_id))
        if counted:
            self._count_topics(conn, names.all(), -1)
        conn.execute(delete(note_topics).where(note_topics.c.note_id == note_id))

    def _count_topics(self, conn: Connection, names: Sequence[str], change: int) -> None:
        for name in sorted(names):
            conn.execute(
                update(topics_table)
                .where(topics_table.c.name == name)
                .values(note_count=topics_table.c.note_count + change)
            )

    # -- reading ----------------------------------------------------------
    def page(self, note_id: str, viewer: Viewer | None, locale: str) -> NoteView:
        if not text.is_public_id(note_id):
            raise NotFound("no such note")
        self._catch_up()
        with self._db.read() as conn:
            note = conn.execute(
                select(
                    notes.c.id,
                    notes.c.title,
                    notes.c.body,
                    notes.c.created_bucket,
                    notes.c.edited,
                    notes.c.status,
                    notes.c.locked,
                    notes.c.slow_mode_seconds,
                    notes.c.damped,
                    notes.c.like_count,
                    notes.c.comment_count,
                    notes.c.collect_count,
                    notes.c.hug_count,
                ).where(notes.c.id == note_id)
            ).first()
            vault = self._accounts.read_vault(viewer) if viewer is not None else None
            own = vault is not None and note_id in vault.notes
            if (
                note is None
                or note.status != "visible"
                or (note.created_bucket >= self._time.public_before() and not own)
            ):
                raise NotFound("no such note")
            images = conn.execute(
                select(
                    note_images.c.file_name,
                    note_images.c.width,
                    note_images.c.height,
                    note_images.c.alt,
                )
                .where(note_images.c.note_id == note_id)
                .order_by(note_images.c.position)
            ).all()
            topic_names = conn.scalars(
                select(note_topics.c.topic).where(note_topics.c.note_id == note_id)
            ).all()
            rows = conn.execute(
                select(
                    comments.c.id,
                    comments.c.parent_id,
                    comments.c.reply_to_voice,
                    comments.c.reply_to_id,
                    comments.c.voice,
                    comments.c.body,
                    comments.c.created_bucket,
                    comments.c.status,
                    comments.c.collapsed,
                    comments.c.like_count,
                )
                .where(
                    comments.c.note_id == note_id,
                    comments.c.created_bucket < self._time.public_before(comment=True),
                )
                # Bucket first, then the conversation's own order (comments from before
                # positions were kept fall back to voice and random id).
                .order_by(
                    comments.c.created_bucket,
                    comments.c.position,
                    comments.c.voice,
                    comments.c.id,
                )
            ).all()
            state = self._viewer_state(conn, viewer, note_id, own, locale) if viewer else None
            if state is not None and vault is not None:
                here = {row.id for row in rows if row.status == "visible"}
                state.my_comments = [c for c in vault.comments if c in here]
            recent = self._recent_voices(conn, note_id) if note.damped else 0
        time, ago = self._time.describe(note.created_bucket, locale)
        return NoteView(
            id=note.id,
            title=note.title,
            body=note.body,
            topics=sorted(topic_names),
            images=[image_view(i.file_name, i.width, i.height, i.alt) for i in images],
            persona=self._persona,
            time=time,
            time_ago=ago,
            edited=bool(note.edited),
            like_count=note.like_count,
            comment_count=note.comment_count,
            collect_count=note.collect_count,
            hug_count=note.hug_count,
            locked=bool(note.locked),
            slow_mode_seconds=note.slow_mode_seconds,
            damped=bool(note.damped),
            recent_voices=recent,
            comments=self._thread(rows, locale),
            viewer=state,
        )

    def _thread(self, rows: Sequence[Any], locale: str) -> list[CommentView]:
        views = [self._comment_view(row, locale) for row in rows]
        top = {view.id: view for view in views if view.parent_id is None}
        for view in views:
            parent = top.get(view.parent_id) if view.parent_id else None
            if parent is not None:
                parent.replies.append(view)
        return list(top.values())

    def _comment_view(self, row: Any, locale: str) -> CommentView:
        removed = row.status != "visible"
        time, ago = self._time.describe(row.created_bucket, locale)
        name = self._persona.name
        return CommentView(
            id=row.id,
            voice=voices.voice_label(row.voice, name, "en"),
            voice_number=row.voice,
            is_op=row.voice == voices.OP,
            reply_to_voice=None
            if row.reply_to_voice is None
            else voices.voice_label(row.reply_to_voice, name, "en"),
            reply_to_number=row.reply_to_voice,
            parent_id=row.parent_id,
            reply_to_id=row.reply_to_id,
            body="" if removed else row.body,
            time=time,
            time_ago=ago,
            like_count=row.like_count,
            removed=removed,
            collapsed=bool(row.collapsed),
        )

    def _viewer_state(
        self, conn: Connection, viewer: Viewer, note_id: str, own: bool, locale: str
    ) -> ViewerState:
        def has(kind: str) -> bool:
            tag = self._keys.tag("reaction", kind, viewer.account_id, note_id)
            found = conn.scalar(
                select(reactions.c.tag).where(
                    reactions.c.kind == kind,
                    reactions.c.target_id == note_id,
                    reactions.c.tag == tag,
                )
            )
            return found is not None

        number = voices.find_voice(conn, self._keys, viewer.account_id, note_id)
        return ViewerState(
            liked=has("like"),
            hugged=has("hug"),
            collected=has("collect"),
            is_author=own,
            voice=None
            if number is None
            else voices.voice_label(number, self._persona.name, locale),
        )

    def own_texts(self, viewer: Viewer, limit: int = 200) -> list[str]:
        """The person's own notes and comments, found through their vault."""
        index = self._accounts.read_vault(viewer)
        with self._db.read() as conn:
            texts = [
                f"{row.title}\n{row.body}"
                for row in conn.execute(
                    select(notes.c.title, notes.c.body).where(notes.c.id.in_(index.notes[-limit:]))
                )
            ]
            texts += list(
                conn.scalars(
                    select(comments.c.body).where(
                        comments.c.id.in_(index.comments[-limit:]), comments.c.status == "visible"
                    )
                )
            )
        return texts

    def sealed_authors(self) -> dict[tuple[str, str], bytes]:
        """Every note's and comment's sealed author, for the operator's own audit."""
        with self._db.read() as conn:
            sealed = {
                (NOTE_KIND, r.id): bytes(r.sealed_author)
                for r in conn.execute(select(notes.c.id, notes.c.sealed_author))
            }
            sealed |= {
                ("comment", r.id): bytes(r.sealed_author)
                for r in conn.execute(select(comments.c.id, comments.c.sealed_author))
            }
        return sealed

    def community_sample(self, exclude: list[str], limit: int = 300) -> list[str]:
        """Recent public notes and comments by anyone, as a reference for style."""
        with self._db.read() as conn:
            texts = [
                f"{row.title}\n{row.body}"
                for row in conn.execute(
                    select(notes.c.title, notes.c.body)
                    .where(notes.c.status == "visible", notes.c.id.not_in(exclude))
                    .order_by(notes.c.created_bucket.desc())
                    .limit(limit // 2)
                )
            ]
            texts += list(
                conn.scalars(
                    select(comments.c.body)
                    .where(comments.c.status == "visible", comments.c.id.not_in(exclude))
                    .order_by(comments.c.created_bucket.desc())
                    .limit(limit // 2)
                )
            )
        return texts

    def replies_to(self, viewer: Viewer, locale: str, limit: int = 50) -> list[ReplyToMe]:
        """Replies to the person's notes and comments, newest first, found through
        their vault while they are signed in. Nothing about it is stored: what is
        "new" is remembered by their device."""
        index = self._accounts.read_vault(viewer)
        mine = set(index.comments)
        if not index.notes and not mine:
            return []
        with self._db.read() as conn:
            # Where the person spoke: each top-level comment they wrote or replied
            # under, with their voice there (replies answer a voice, not a comment).
            spoken = conn.execute(
                select(comments.c.id, comments.c.parent_id, comments.c.voice).where(
                    comments.c.id.in_(list(mine))
                )
            ).all()
            voice_under = {(row.parent_id or row.id): row.voice for row in spoken}
            rows = conn.execute(
                select(
                    comments.c.id,
                    comments.c.note_id,
                    comments.c.parent_id,
                    comments.c.voice,
                    comments.c.reply_to_voice,
                    comments.c.body,
                    comments.c.created_bucket,
                    notes.c.title,
                )
                .join(notes, notes.c.id == comments.c.note_id)
                .where(
                    or_(
                        comments.c.note_id.in_(index.notes),
                        comments.c.parent_id.in_(list(voice_under)),
                    ),
                    comments.c.status == "visible",
                    notes.c.status == "visible",
                    comments.c.created_bucket < self._time.public_before(comment=True),
                )
                .order_by(comments.c.created_bucket.desc(), comments.c.id)
                .limit(limit + len(mine))
            ).all()
        replies = []
        for row in rows:
            if row.id in mine:
                continue  # their own words are not news to them
            to_me = row.parent_id in voice_under and (
                row.parent_id in mine or row.reply_to_voice == voice_under[row.parent_id]
            )
            if row.note_id not in index.notes and not to_me:
                continue  # a reply to someone else under a comment they replied to
            time, ago = self._time.describe(row.created_bucket, locale)
            replies.append(
                ReplyToMe(
                    comment_id=row.id,
                    note_id=row.note_id,
                    note_title=row.title,
                    voice=voices.voice_label(row.voice, self._persona.name, locale),
                    body=row.body[:200],
                    to="comment" if to_me else "note",
                    bucket=row.created_bucket,
                    time=time,
                    time_ago=ago,
                )
            )
        return replies[:limit]

    def mine(self, viewer: Viewer, locale: str) -> list[MyNote]:
        ids = self._accounts.read_vault(viewer).notes
        if not ids:
            return []
        with self._db.read() as conn:
            rows = conn.execute(
                select(notes.c.id, notes.c.title, notes.c.created_bucket, notes.c.status)
                .where(notes.c.id.in_(ids))
                .order_by(notes.c.created_bucket.desc(), notes.c.id)
            ).all()
        public_before = self._time.public_before()
        result = []
        for row in rows:
            time, ago = self._time.describe(row.created_bucket, locale)
            result.append(
                MyNote(
                    id=row.id,
                    title=row.title,
                    time=time,
                    time_ago=ago,
                    status=row.status,
                    scheduled=row.created_bucket >= public_before,
                )
            )
        return result
