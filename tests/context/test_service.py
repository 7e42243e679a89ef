"""Context notes through the domain: bridging status, the seal deciding who may
rate, rotating rater pseudonyms, the public log, bursts, and no rating row that
joins to anything a person wrote."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, Table, inspect, select

from momo.context.service import BURST_WEIGHT, PROBATION_WEIGHT
from momo.context.tables import context_notes, context_raters, context_ratings
from momo.core import Momo
from momo.errors import Forbidden, InvalidInput
from momo.identity.accounts import Viewer
from tests.conftest import publish, viewers

SOURCE = ["https://example.org/report"]
SIDE_A, SIDE_B = 14, 6


class Community:
    def __init__(self, momo: Momo) -> None:
        self.momo = momo
        self.author, self.writer, self.second_writer = viewers(momo, 3)
        self.posts = [momo.notes.create(self.author, f"post {i}", "a claim") for i in range(3)]
        publish(momo)
        self.raters = viewers(momo, SIDE_A + SIDE_B)
        self.side_a, self.side_b = self.raters[:SIDE_A], self.raters[SIDE_A:]

    def context(self, post: int = 0, writer: Viewer | None = None) -> str:
        return self.momo.context_notes.write(
            writer or self.writer, self.posts[post], "The photo is from 2019.", SOURCE, "outdated"
        )

    def polarise(self, count: int = 6) -> None:
        """Context notes the two sides rate oppositely, over days: how the fit learns
        viewpoints."""
        for n in range(count):
            writer = self.writer if n % 2 else self.second_writer
            context_id = self.context(1 + n % 2, writer)
            for rater in self.raters:
                self.momo.time.clock.advance(self.momo.settings.surge_window_seconds)  # type: ignore[attr-defined]
                agrees = (rater in self.side_a) == (n % 2 == 0)
                self.momo.context_notes.rate(
                    rater, context_id, "helpful" if agrees else "not_helpful", []
                )

    def status(self, context_id: str) -> str:
        with self.momo.db.read() as conn:
            return str(
                conn.scalar(select(context_notes.c.status).where(context_notes.c.id == context_id))
            )


@pytest.fixture
def community(momo: Momo) -> Community:
    return Community(momo)


def test_context_both_sides_find_helpful_shows_for_everyone(community: Community) -> None:
    momo = community.momo
    community.polarise()
    target = community.context(0)
    # Both sides, taking turns (all at once from one side would look like a burst).
    for pair in zip(community.side_a[:5], community.side_b[:5], strict=True):
        for rater in pair:
            momo.context_notes.rate(rater, target, "helpful", ["good_sources"])
    assert community.status(target) == "helpful"
    shown = momo.context_notes.for_note(community.posts[0], "en")
    assert [c.id for c in shown if c.status == "helpful"] == [target]
    assert shown[0].sources == SOURCE and shown[0].reason == "outdated"
    card = next(
        c for c in momo.feeds.feed("latest", None, "en").items if c.id == community.posts[0]
    )
    assert card.has_context
    log = momo.context_notes.log("en")
    assert any(entry.context_id == target and entry.status == "helpful" for entry in log)


def test_one_sides_enthusiasm_does_not_show(community: Community, clock) -> None:  # type: ignore[no-untyped-def]
    momo = community.momo
    community.polarise()
    target = community.context(0)
    for n, rater in enumerate(community.raters):
        clock.advance(momo.settings.surge_window_seconds * (n % 2))  # no burst: spread out
        momo.context_notes.rate(
            rater, target, "helpful" if rater in community.side_a else "not_helpful", []
        )
    assert community.status(target) != "helpful"  # 14 of 20 said helpful
    card = next(
        c for c in momo.feeds.feed("latest", None, "en").items if c.id == community.posts[0]
    )
    assert not card.has_context


def test_the_seal_keeps_authors_from_rating_their_own(community: Community) -> None:
    momo = community.momo
    target = community.context(0)
    with pytest.raises(Forbidden, match="own context note"):
        momo.context_notes.rate(community.writer, target, "helpful", [])
    with pytest.raises(Forbidden, match="own post"):
        momo.context_notes.rate(community.author, target, "helpful", [])
    view = momo.context_notes.for_note(community.posts[0], "en", community.author)[0]
    assert not view.can_rate
    assert momo.context_notes.for_note(community.posts[0], "en", community.raters[0])[0].can_rate
    # Context notes carry no voice from the thread, and no author of any kind.
    assert "voice" not in view.model_dump() and "author" not in str(view.model_dump())


def test_writing_needs_an_account_past_probation_and_a_source(momo: Momo) -> None:
    (author,) = viewers(momo, 1)
    (newcomer,) = viewers(momo, 1, probation=True)
    post = momo.notes.create(author, "post", "")
    publish(momo)
    write = momo.context_notes.write
    with pytest.raises(Forbidden, match="probation"):
        write(newcomer, post, "context", SOURCE, "outdated")
    (settled,) = viewers(momo, 1)
    for body, sources, reason, message in [
        ("context", [], "outdated", "source"),
        ("context", ["javascript:alert(1)"], "outdated", "web link"),
        ("context", ["ftp://example.org/x"], "outdated", "web link"),
        ("x" * 501, SOURCE, "outdated", "500"),
        ("   ", SOURCE, "outdated", "context"),
        ("context", SOURCE, "because", "reason"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            write(settled, post, body, sources, reason)
    assert momo.context_notes.for_note(post, "en") == []  # nothing half-stored


def test_rating_again_replaces_and_newcomers_weigh_less(community: Community) -> None:
    momo = community.momo
    target = community.context(0)
    rater = community.raters[0]
    momo.context_notes.rate(rater, target, "helpful", [])
    momo.context_notes.rate(rater, target, "not_helpful", ["opinion", "opinion"])
    (newcomer,) = viewers(momo, 1, probation=True)
    momo.context_notes.rate(newcomer, target, "somewhat", [])
    with momo.db.read() as conn:
        rows = conn.execute(select(context_ratings).where(context_ratings.c.context_id == target))
        by_weight = sorted((r.weight, r.value, r.tags) for r in rows)
    assert by_weight == [(PROBATION_WEIGHT, 0.5, ""), (1.0, 0.0, "opinion")]
    mine = momo.context_notes.for_note(community.posts[0], "en", rater)[0]
    assert mine.my_rating == "not_helpful"


def test_pseudonyms_rotate_each_epoch_and_old_ones_are_erased(community: Community, clock) -> None:  # type: ignore[no-untyped-def]
    momo = community.momo
    rater = community.raters[0]
    first, second = community.context(0), community.context(1)
    momo.context_notes.rate(rater, first, "helpful", [])
    epoch = momo.settings.context_epoch_days * 86400
    clock.advance(epoch)
    momo.context_notes.rate(rater, second, "helpful", [])
    with momo.db.read() as conn:
        raters = {r.context_id: r.rater for r in conn.execute(select(context_ratings))}
    assert raters[first] != raters[second], "a new epoch, a new pseudonym"
    clock.advance(2 * epoch)
    momo.context_notes.refit()
    with momo.db.read() as conn:
        rows = conn.execute(select(context_ratings)).all()
        assert conn.scalar(select(context_raters.c.rater)) is None
    assert {r.epoch for r in rows} == {-1}, "outside the window: no epoch kept"
    assert not {r.rater for r in rows} & set(raters.values()), "old pseudonyms are gone"


def test_a_like_minded_burst_is_damped_and_queued(community: Community) -> None:
    momo = community.momo
    community.polarise()
    target = community.context(0)
    for rater in community.side_a[:8]:
        momo.context_notes.rate(rater, target, "helpful", [])
    assert [c.id for c in momo.context_notes.bursts()] == [target]
    with momo.db.read() as conn:
        weights = set(
            conn.scalars(
                select(context_ratings.c.weight).where(context_ratings.c.context_id == target)
            )
        )
    assert weights == {BURST_WEIGHT}
    assert community.status(target) != "helpful"
    momo.context_notes.clear_burst(target)
    assert momo.context_notes.bursts() == []


def test_no_rating_row_joins_to_anything_a_person_wrote(community: Community) -> None:
    momo = community.momo
    community.polarise(4)
    target = community.context(0)
    for rater in community.raters:
        momo.comments.add(rater, community.posts[0], "my view")
        momo.reactions.set_note_reaction(rater, "like", community.posts[0], True)
        momo.context_notes.rate(rater, target, "somewhat", [])
    publish(momo)
    with momo.db.read() as conn:
        pseudonyms = set(conn.scalars(select(context_ratings.c.rater)))
        elsewhere: set[object] = set()
        for name in inspect(conn).get_table_names():
            if name in ("context_ratings", "context_raters") or name.startswith("note_search"):
                continue
            table = Table(name, MetaData(), autoload_with=conn)
            for row in conn.execute(select(table)):
                elsewhere.update(row)
    assert len(pseudonyms) == len(community.raters)
    assert not pseudonyms & {str(v) for v in elsewhere}
    # And no column of a rating row holds an account id or a value an author row has.
    accounts = {viewer.account_id for viewer in community.raters}
    assert not pseudonyms & accounts


def test_a_large_window_refits_on_the_timer_not_on_every_rating(
    community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    from momo.context import service

    momo = community.momo
    community.polarise(2)
    target = community.context(0)
    monkeypatch.setattr(service, "SYNC_REFIT_MAX_RATINGS", 10)  # the window holds 40 already
    for pair in zip(community.side_a[:5], community.side_b[:5], strict=True):
        for rater in pair:
            momo.context_notes.rate(rater, target, "helpful", ["good_sources"])
    assert community.status(target) == "needs_more_ratings"  # no fit has seen them yet
    momo.housekeeping()
    assert community.status(target) == "helpful"
    assert momo.context_notes.refit_if_stale() == 0  # nothing new since


def test_a_refit_rewrites_only_the_context_notes_that_moved(community: Community) -> None:
    momo = community.momo
    community.polarise(2)
    with momo.db.read() as conn:
        before = conn.execute(select(context_notes).order_by(context_notes.c.id)).all()
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    from sqlalchemy import event

    event.listen(momo.db.engine, "before_cursor_execute", record)
    try:
        assert momo.context_notes.refit() == 0
    finally:
        event.remove(momo.db.engine, "before_cursor_execute", record)
    with momo.db.read() as conn:
        after = conn.execute(select(context_notes).order_by(context_notes.c.id)).all()
    assert after == before
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE CONTEXT_NOTES")]
