"""Writing, rating and scoring context notes.

Who may rate what is decided through the seal: the server opens the post's and
the context note's sealed authors in memory and refuses their own ratings,
without storing or showing who they are. A rating is stored under the rater's
pseudonym for the current epoch; the fit sees pseudonyms of the last
``WINDOW_EPOCHS`` epochs, and older ones are overwritten with random values, so
the database never holds a rating history longer than the window.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from momo.content import text
from momo.content.counters import mark_context
from momo.content.policy import PostingPolicy
from momo.content.tables import notes
from momo.context import scoring
from momo.context.tables import context_log, context_notes, context_raters, context_ratings
from momo.context.views import ContextNoteView, ContextStatusChange
from momo.errors import Forbidden, InvalidInput, NotFound
from momo.identity.accounts import Viewer
from momo.keyring import Keyring
from momo.privacy.coarse_time import CoarseTime
from momo.privacy.seal import Sealer
from momo.storage.database import Database

CONTEXT_KIND = "context"
NOTE_KIND = "note"
MAX_BODY = 500
MAX_SOURCES = 5
REASONS = ("misleading", "missing_context", "outdated", "satire", "other")
HELPFUL_TAGS = ("good_sources", "clear", "neutral")
UNHELPFUL_TAGS = ("opinion", "no_source", "argumentative")
WINDOW_EPOCHS = 2  # the current epoch and the one before
PROBATION_WEIGHT = 0.25  # a new account's rating counts a quarter
BURST_WEIGHT = 0.25  # ratings inside a damped burst
BURST_MIN_RATINGS = 6
BURST_FACTOR = 0.2  # mean viewpoint factor of the burst, in the fit's units
BURST_SAME_SIDE = 0.8  # share of the burst's raters on the side of that mean
# Up to this many ratings in the window a rating refits at once (about 0.1 s of
# NumPy at 50,000), so the rater sees the status move; beyond it the
# housekeeping timer refits, and a rating costs no more than any other write.
SYNC_REFIT_MAX_RATINGS = 50_000


@dataclass(frozen=True)
class Rated:
    status: str
    rating_count: int


class ContextNoteService:
    def __init__(
        self,
        db: Database,
        keys: Keyring,
        sealer: Sealer,
        policy: PostingPolicy,
        time: CoarseTime,
        *,
        epoch_days: int = 30,
        burst_window_seconds: int = 600,
        changed: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._keys = keys
        self._sealer = sealer
        self._policy = policy
        self._time = time
        self._epoch_seconds = epoch_days * 86400
        self._burst_window = burst_window_seconds
        self._changed = changed
        self._fitting = threading.Lock()
        self._window_size = 0  # ratings in the last fit's window
        self._stale = False  # a rating arrived that no fit has seen yet

    # -- writing ---------------------------------------------------------
    def write(
        self, viewer: Viewer, note_id: str, body: str, sources: list[str], reason: str
    ) -> str:
        if self._policy.in_probation(viewer):
            raise Forbidden("context notes can be written once an account is past probation")
        body = text.clean(body)
        if not body:
            raise InvalidInput("say what context readers need", field="body")
        if len(body) > MAX_BODY:
            raise InvalidInput(
                "a context note is at most %(max)s characters", field="body", max=MAX_BODY
            )
        links = [link.strip() for link in sources if link.strip()]
        if not links:
            raise InvalidInput("a context note needs at least one source link", field="sources")
        if len(links) > MAX_SOURCES:
            raise InvalidInput("at most %(max)s sources", field="sources", max=MAX_SOURCES)
        for link in links:
            parts = urlsplit(link)
            if parts.scheme not in ("http", "https") or not parts.netloc or len(link) > 500:
                raise InvalidInput("not a web link: %(link)s", field="sources", link=link[:80])
        if reason not in REASONS:
            raise InvalidInput(
                "reason must be one of %(reasons)s", field="reason", reasons=", ".join(REASONS)
            )
        self._policy.check(viewer, "context")
        context_id = text.new_public_id()
        with self._db.write() as conn:
            self._public_note(conn, note_id)
            conn.execute(
                insert(context_notes).values(
                    id=context_id,
                    note_id=note_id,
                    body=body,
                    sources=json.dumps(links),
                    reason=reason,
                    created_bucket=self._time.now_bucket(),
                    sealed_author=self._sealer.seal(viewer.account_id, CONTEXT_KIND, context_id),
                )
            )
        return context_id

    # -- rating ----------------------------------------------------------
    def rate(self, viewer: Viewer, context_id: str, rating: str, tags: list[str]) -> Rated:
        if rating not in scoring.RATING_VALUES:
            raise InvalidInput("rating must be helpful, somewhat or not_helpful", field="rating")
        allowed = HELPFUL_TAGS + UNHELPFUL_TAGS
        if any(tag not in allowed for tag in tags):
            raise InvalidInput("tags are among %(tags)s", field="tags", tags=", ".join(allowed))
        if not text.is_public_id(context_id):
            raise NotFound("no such context note")
        self._policy.check(viewer, "rating")
        now = self._time.now()
        epoch = int(now) // self._epoch_seconds
        rater = self.pseudonym(viewer, epoch)
        weight = PROBATION_WEIGHT if self._policy.in_probation(viewer) else 1.0
        with self._db.write() as conn:
            row = conn.execute(
                select(
                    context_notes.c.note_id, context_notes.c.sealed_author, context_notes.c.damped
                ).where(context_notes.c.id == context_id)
            ).first()
            if row is None:
                raise NotFound("no such context note")
            if self._sealer.open(bytes(row.sealed_author), CONTEXT_KIND, context_id) == (
                viewer.account_id
            ):
                raise Forbidden("you cannot rate your own context note")
            post = self._public_note(conn, row.note_id)
            if self._sealer.open(post, NOTE_KIND, row.note_id) == viewer.account_id:
                raise Forbidden("you cannot rate context on your own post")
            values = {
                "context_id": context_id,
                "rater": rater,
                "epoch": epoch,
                "value": scoring.RATING_VALUES[rating],
                "tags": ",".join(sorted(set(tags))),
                "weight": weight * (BURST_WEIGHT if row.damped else 1.0),
                "created_bucket": self._time.now_bucket(),
            }
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(context_ratings).values(**values)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["context_id", "rater"],
                    set_={
                        k: statement.excluded[k] for k in values if k not in ("context_id", "rater")
                    },
                )
            )
            if not row.damped:  # a damped note's new ratings already count for less
                self._check_burst(conn, context_id)
        if self._window_size <= SYNC_REFIT_MAX_RATINGS:
            self.refit()
        else:
            self._stale = True
        with self._db.read() as conn:
            done = conn.execute(
                select(context_notes.c.status, context_notes.c.rating_count).where(
                    context_notes.c.id == context_id
                )
            ).one()
        return Rated(done.status, done.rating_count)

    def pseudonym(self, viewer: Viewer, epoch: int) -> str:
        return self._keys.tag("reaction", "context-rater", viewer.account_id, str(epoch))

    def _public_note(self, conn: Connection, note_id: str) -> bytes:
        if not text.is_public_id(note_id):
            raise NotFound("no such note")
        row = conn.execute(
            select(notes.c.status, notes.c.created_bucket, notes.c.sealed_author).where(
                notes.c.id == note_id
            )
        ).first()
        if (
            row is None
            or row.status != "visible"
            or row.created_bucket >= self._time.public_before()
        ):
            raise NotFound("no such note")
        return bytes(row.sealed_author)

    def _check_burst(self, conn: Connection, context_id: str) -> None:
        """Many ratings in one window from raters the last fit placed on the same
        side: the pile-on detector's idea, applied to ratings. The burst's ratings
        count for less, and the moderator queue lists the note."""
        since = self._time.now_bucket() - self._burst_window
        recent = conn.execute(
            select(context_ratings.c.rater, context_raters.c.factor)
            .join_from(
                context_ratings,
                context_raters,
                context_raters.c.rater == context_ratings.c.rater,
                isouter=True,
            )
            .where(
                context_ratings.c.context_id == context_id,
                context_ratings.c.created_bucket >= since,
            )
        ).all()
        factors = [row.factor for row in recent if row.factor is not None]
        if len(recent) < BURST_MIN_RATINGS or len(factors) < BURST_MIN_RATINGS // 2:
            return
        mean = float(np.mean(factors))
        same_side = sum(1 for f in factors if f * mean > 0) / len(factors)
        if abs(mean) < BURST_FACTOR or same_side < BURST_SAME_SIDE:
            return
        conn.execute(
            update(context_notes).where(context_notes.c.id == context_id).values(damped=True)
        )
        conn.execute(
            update(context_ratings)
            .where(
                context_ratings.c.context_id == context_id,
                context_ratings.c.created_bucket >= since,
            )
            .values(weight=context_ratings.c.weight * BURST_WEIGHT)
        )

    # -- scoring ---------------------------------------------------------
    def refit(self) -> int:
        """Fit every rating in the window, store statuses, log changes, and erase
        pseudonyms that have left the window. Returns how many statuses changed.

        Only the reading and the storing hold a transaction: the fit itself runs
        outside the write lock, so other writers never wait for NumPy. A rating
        that lands meanwhile is in the next fit, which its own request starts."""
        with self._fitting:
            self._stale = False
            epoch = int(self._time.now()) // self._epoch_seconds
            oldest = epoch - WINDOW_EPOCHS + 1
            with self._db.write() as conn:
                self._forget(conn, oldest)
            with self._db.read() as conn:
                rows = conn.execute(
                    select(
                        context_ratings.c.context_id,
                        context_ratings.c.rater,
                        context_ratings.c.value,
                        context_ratings.c.weight,
                    ).where(context_ratings.c.epoch >= oldest)
                ).all()
            self._window_size = len(rows)
            if not rows:
                with self._db.write() as conn:
                    conn.execute(delete(context_raters))
                return 0
            raters, rater_index = np.unique([r.rater for r in rows], return_inverse=True)
            notes_ids, note_index = np.unique([r.context_id for r in rows], return_inverse=True)
            result = scoring.fit(
                scoring.Ratings(
                    rater_index.astype(np.int64),
                    note_index.astype(np.int64),
                    np.array([r.value for r in rows], dtype=np.float64),
                    np.array([r.weight for r in rows], dtype=np.float64),
                    len(raters),
                    len(notes_ids),
                )
            )
            counts = np.bincount(note_index, minlength=len(notes_ids))
            with self._db.write() as conn:
                changed = self._store(conn, notes_ids, result, counts)
                conn.execute(delete(context_raters))
                conn.execute(
                    insert(context_raters),
                    [
                        {"rater": str(r), "epoch": epoch, "factor": float(f)}
                        for r, f in zip(raters, result.rater_factors, strict=True)
                    ],
                )
        if changed:
            self._changed()
        return changed

    def refit_if_stale(self) -> int:
        """The timer's refit, for ratings that came in while the window was too
        large to refit on every request."""
        return self.refit() if self._stale else 0

    def _forget(self, conn: Connection, oldest: int) -> None:
        """Old pseudonyms become random: their ratings can no longer be grouped."""
        old = conn.execute(
            select(context_ratings.c.context_id, context_ratings.c.rater).where(
                context_ratings.c.epoch < oldest,
                context_ratings.c.epoch >= 0,
            )
        ).all()
        for row in old:
            conn.execute(
                update(context_ratings)
                .where(
                    context_ratings.c.context_id == row.context_id,
                    context_ratings.c.rater == row.rater,
                )
                .values(rater=secrets.token_hex(16), epoch=-1)
            )

    def _store(self, conn: Connection, ids: Any, result: scoring.Fit, counts: Any) -> int:
        stored = {
            row.id: row
            for row in conn.execute(
                select(
                    context_notes.c.id,
                    context_notes.c.status,
                    context_notes.c.intercept,
                    context_notes.c.factor,
                    context_notes.c.rating_count,
                ).where(context_notes.c.id.in_([str(i) for i in ids]))
            )
        }
        changed = 0
        touched: set[str] = set()
        for context_id, intercept, factor, count in zip(
            ids, result.note_intercepts, result.note_factors, counts, strict=True
        ):
            new = scoring.status(float(intercept), float(factor), int(count))
            values = {
                "intercept": round(float(intercept), 4),
                "factor": round(float(factor), 4),
                "rating_count": int(count),
                "status": new.value,
            }
            before = stored.get(str(context_id))
            if before is not None and all(before._mapping[k] == v for k, v in values.items()):
                continue  # a refit rewrites only what moved
            conn.execute(
                update(context_notes).where(context_notes.c.id == str(context_id)).values(**values)
            )
            if before is not None and before.status != new.value:
                changed += 1
                note_id = conn.scalar(
                    select(context_notes.c.note_id).where(context_notes.c.id == str(context_id))
                )
                touched.add(str(note_id))
                conn.execute(
                    insert(context_log).values(
                        id=text.new_public_id(),
                        context_id=str(context_id),
                        note_id=note_id,
                        status=new.value,
                        created_bucket=self._time.now_bucket(),
                    )
                )
        for note_id in sorted(touched):
            helpful = conn.scalar(
                select(context_notes.c.id).where(
                    context_notes.c.note_id == note_id,
                    context_notes.c.status == scoring.Status.helpful.value,
                )
            )
            mark_context(conn, note_id, helpful is not None)
        return changed

    # -- reading ---------------------------------------------------------
    def for_note(
        self, note_id: str, locale: str, viewer: Viewer | None = None
    ) -> list[ContextNoteView]:
        """Every context note on a post with its status; the viewer's own rating
        (this epoch) and whether they may rate it."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(context_notes)
                .where(context_notes.c.note_id == note_id)
                .order_by(context_notes.c.status, context_notes.c.id)
            ).all()
            post = conn.scalar(select(notes.c.sealed_author).where(notes.c.id == note_id))
            return [self._view(conn, row, locale, viewer, post) for row in rows]

    def queue(self, viewer: Viewer, locale: str, limit: int = 30) -> list[ContextNoteView]:
        """Context notes that need ratings, newest first, that this person may rate."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(context_notes)
                .where(context_notes.c.status == scoring.Status.needs_more_ratings.value)
                .order_by(context_notes.c.created_bucket.desc(), context_notes.c.id)
                .limit(limit * 3)
            ).all()
            views = []
            for row in rows:
                post = conn.scalar(select(notes.c.sealed_author).where(notes.c.id == row.note_id))
                view = self._view(conn, row, locale, viewer, post)
                if view.can_rate and view.my_rating is None:
                    views.append(view)
            return views[:limit]

    def all_public(self) -> list[ContextNoteView]:
        """Every context note on a public post, for the exports (no viewer)."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(context_notes)
                .join(notes, notes.c.id == context_notes.c.note_id)
                .where(
                    notes.c.status == "visible",
                    notes.c.created_bucket < self._time.public_before(),
                )
                .order_by(context_notes.c.created_bucket, context_notes.c.id)
            ).all()
            return [self._view(conn, row, "en", None, None) for row in rows]

    def bursts(self) -> list[ContextNoteView]:
        """Damped context notes, for the moderator queue."""
        with self._db.read() as conn:
            rows = conn.execute(select(context_notes).where(context_notes.c.damped.is_(True))).all()
            return [self._view(conn, row, "en", None, None) for row in rows]

    def clear_burst(self, context_id: str) -> None:
        with self._db.write() as conn:
            conn.execute(
                update(context_notes).where(context_notes.c.id == context_id).values(damped=False)
            )

    def log(self, locale: str, limit: int = 100) -> list[ContextStatusChange]:
        with self._db.read() as conn:
            rows = conn.execute(
                select(context_log)
                .order_by(context_log.c.created_bucket.desc(), context_log.c.id)
                .limit(limit)
            ).all()
        return [
            ContextStatusChange(
                context_id=row.context_id,
                note_id=row.note_id,
                status=row.status,
                time=self._time.describe(row.created_bucket, locale)[0],
            )
            for row in rows
        ]

    def shown_on(self, note_ids: list[str]) -> set[str]:
        """Which of these posts carry a helpful context note (cards mark them)."""
        if not note_ids:
            return set()
        with self._db.read() as conn:
            return set(
                conn.scalars(
                    select(context_notes.c.note_id).where(
                        context_notes.c.note_id.in_(note_ids),
                        context_notes.c.status == scoring.Status.helpful.value,
                    )
                )
            )

    def _view(
        self,
        conn: Connection,
        row: Any,
        locale: str,
        viewer: Viewer | None,
        post: bytes | None,
    ) -> ContextNoteView:
        can_rate, mine = False, None
        if viewer is not None:
            own = self._sealer.open(bytes(row.sealed_author), CONTEXT_KIND, row.id)
            op = self._sealer.open(bytes(post), NOTE_KIND, row.note_id) if post else None
            can_rate = viewer.account_id not in (own, op)
            epoch = int(self._time.now()) // self._epoch_seconds
            value = conn.scalar(
                select(context_ratings.c.value).where(
                    context_ratings.c.context_id == row.id,
                    context_ratings.c.rater == self.pseudonym(viewer, epoch),
                )
            )
            if value is not None:
                mine = {v: k for k, v in scoring.RATING_VALUES.items()}[float(value)]
        return ContextNoteView(
            id=row.id,
            note_id=row.note_id,
            body=row.body,
            sources=json.loads(row.sources),
            reason=row.reason,
            status=row.status,
            rating_count=row.rating_count,
            time=self._time.describe(row.created_bucket, locale)[0],
            can_rate=can_rate,
            my_rating=mine,
        )
