"""The bridging scorer: agreement across viewpoints shows a note; one side's
enthusiasm does not."""

from __future__ import annotations

import numpy as np

from momo.context import scoring
from momo.context.scoring import Ratings, Status


def _divided(extra: list[tuple[int, int, float]]) -> tuple[Ratings, int]:
    """Raters 0-13 (side A) and 14-19 (side B) disagree on 8 polarising notes, which
    teaches the fit their viewpoints; then ``extra`` ratings on notes 8 and up."""
    rows = []
    for note in range(8):
        for rater in range(20):
            side_a = rater < 14
            favours_a = note % 2 == 0
            rows.append((rater, note, 1.0 if side_a == favours_a else 0.0))
    rows += extra
    raters, notes, values = (np.array(col) for col in zip(*rows, strict=True))
    n_notes = int(notes.max()) + 1
    return Ratings(
        raters.astype(np.int64),
        notes.astype(np.int64),
        values.astype(float),
        np.ones(len(rows)),
        20,
        n_notes,
    ), n_notes


def _status(ratings: Ratings, note: int) -> Status:
    result = scoring.fit(ratings)
    counts = np.bincount(ratings.notes, minlength=ratings.n_notes)
    return scoring.statuses(result, counts)[note]


def test_helpful_to_both_sides_shows() -> None:
    both = [(r, 8, 1.0) for r in list(range(0, 14, 2)) + list(range(14, 20))]
    ratings, _ = _divided(both)
    assert _status(ratings, 8) == Status.helpful


def test_helpful_to_one_side_only_does_not_show() -> None:
    # Every rater on side A says helpful and every rater on side B says not: a
    # majority vote would show it (14 against 6); bridging does not.
    one_sided = [(r, 8, 1.0 if r < 14 else 0.0) for r in range(20)]
    ratings, _ = _divided(one_sided)
    assert sum(v for *_, v in one_sided) / len(one_sided) > 0.5
    assert _status(ratings, 8) != Status.helpful


def test_unhelpful_to_both_sides_is_not_helpful() -> None:
    ratings, _ = _divided([(r, 8, 0.0) for r in range(0, 20, 2)])
    assert _status(ratings, 8) == Status.not_helpful


def test_too_few_ratings_need_more() -> None:
    ratings, _ = _divided([(r, 8, 1.0) for r in (0, 15, 2)])
    assert _status(ratings, 8) == Status.needs_more_ratings
    assert scoring.status(0.9, 0.0, scoring.MIN_RATINGS - 1) == Status.needs_more_ratings


def test_the_thresholds() -> None:
    assert scoring.status(scoring.HELPFUL_INTERCEPT, 0.0, 9) == Status.helpful
    assert scoring.status(scoring.HELPFUL_INTERCEPT, scoring.HELPFUL_MAX_FACTOR, 9) != (
        Status.helpful
    )
    assert scoring.status(-0.5, 0.1, 9) == Status.not_helpful
    assert scoring.status(0.0, 0.9, 9) == Status.needs_more_ratings


def test_the_privacy_variant_pieces_agree_with_the_batch_note_side() -> None:
    ratings, _ = _divided([(r, 8, 1.0) for r in range(0, 20, 2)])
    full = scoring.fit(ratings)
    note_i, note_f = scoring.fit_notes_given_raters(
        ratings.notes,
        ratings.n_notes,
        ratings.values,
        ratings.weights,
        full.rater_intercepts[ratings.raters],
        full.rater_factors[ratings.raters],
        full.mu,
    )
    assert np.allclose(note_i, full.note_intercepts, atol=0.05)
    assert np.allclose(note_f, full.note_factors, atol=0.05)
    mine = ratings.raters == 3
    i_u, f_u = scoring.fit_rater(
        ratings.values[mine],
        ratings.weights[mine],
        full.note_intercepts[ratings.notes[mine]],
        full.note_factors[ratings.notes[mine]],
        full.mu,
    )
    assert abs(f_u - full.rater_factors[3]) < 0.05 and abs(i_u - full.rater_intercepts[3]) < 0.05
