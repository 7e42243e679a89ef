"""Bridging-based scoring of context notes (after X's Community Notes).

Each rating (helpful 1, somewhat 0.5, not helpful 0) is predicted as

    mu + i_u + i_n + f_u * f_n

with a rater and a note intercept and a one-dimensional viewpoint factor. The
factor soaks up agreement that follows viewpoint; what is left in a note's
intercept ``i_n`` is helpfulness that people who usually disagree both saw.
Intercepts are regularised five times more than factors, so a note only earns
a high intercept when the factor cannot explain its ratings.

The fit is alternating ridge regression: with the rater side fixed, every
note's (i_n, f_n) is a 2x2 weighted least-squares problem, and the other way
round; both sides are solved for all notes (raters) at once with NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]

# Regularisation, in sum-of-squares form: intercepts 5x the factors (as in
# Community Notes), sized so a note needs several ratings to move far from 0.
LAMBDA_INTERCEPT = 1.0
LAMBDA_FACTOR = 0.2
ITERATIONS = 40

# Status thresholds (docs/context-notes.md explains each).
MIN_RATINGS = 5
HELPFUL_INTERCEPT = 0.25
HELPFUL_MAX_FACTOR = 0.50
NOT_HELPFUL_INTERCEPT = -0.05
NOT_HELPFUL_FACTOR_SLOPE = 0.8

RATING_VALUES = {"helpful": 1.0, "somewhat": 0.5, "not_helpful": 0.0}


class Status(StrEnum):
    needs_more_ratings = "needs_more_ratings"
    helpful = "helpful"
    not_helpful = "not_helpful"


@dataclass(frozen=True)
class Ratings:
    """Ratings as parallel arrays: rater index, note index, value, weight."""

    raters: Ints
    notes: Ints
    values: Floats
    weights: Floats
    n_raters: int
    n_notes: int


@dataclass(frozen=True)
class Fit:
    mu: float
    rater_intercepts: Floats
    rater_factors: Floats
    note_intercepts: Floats
    note_factors: Floats


def _solve_side(
    groups: Ints,
    count: int,
    other_intercept: Floats,
    other_factor: Floats,
    residual: Floats,
    weights: Floats,
) -> tuple[Floats, Floats]:
    """For every group (a note, or a rater) the ridge solution of
    residual - other_intercept = i + other_factor * f, weighted."""
    y = residual - other_intercept
    x = other_factor
    sum_w = np.bincount(groups, weights, count)
    sum_wx = np.bincount(groups, weights * x, count)
    sum_wxx = np.bincount(groups, weights * x * x, count)
    sum_wy = np.bincount(groups, weights * y, count)
    sum_wxy = np.bincount(groups, weights * x * y, count)
    a, b, d = sum_w + LAMBDA_INTERCEPT, sum_wx, sum_wxx + LAMBDA_FACTOR
    det = a * d - b * b
    intercept = (d * sum_wy - b * sum_wxy) / det
    factor = (a * sum_wxy - b * sum_wy) / det
    return intercept, factor


def fit(ratings: Ratings, *, seed: int = 0, iterations: int = ITERATIONS) -> Fit:
    """The full batch fit over all ratings given."""
    rng = np.random.default_rng(seed)
    rater_i = np.zeros(ratings.n_raters)
    rater_f = rng.normal(0.0, 0.1, ratings.n_raters)
    note_i = np.zeros(ratings.n_notes)
    note_f = np.zeros(ratings.n_notes)
    values, weights = ratings.values, ratings.weights
    total = float(weights.sum()) or 1.0
    mu = float((weights * values).sum() / total)
    for _ in range(iterations):
        note_i, note_f = _solve_side(
            ratings.notes,
            ratings.n_notes,
            rater_i[ratings.raters],
            rater_f[ratings.raters],
            values - mu,
            weights,
        )
        rater_i, rater_f = _solve_side(
            ratings.raters,
            ratings.n_raters,
            note_i[ratings.notes],
            note_f[ratings.notes],
            values - mu,
            weights,
        )
        predicted = rater_i[ratings.raters] + note_i[ratings.notes]
        predicted += rater_f[ratings.raters] * note_f[ratings.notes]
        mu = float((weights * (values - predicted)).sum() / total)
    return Fit(mu, rater_i, rater_f, note_i, note_f)


def fit_notes_given_raters(
    notes: Ints,
    n_notes: int,
    values: Floats,
    weights: Floats,
    rater_intercepts: Floats,
    rater_factors: Floats,
    mu: float,
) -> tuple[Floats, Floats]:
    """The note side alone, with each rating carrying its rater's parameters (the
    privacy-preserving variant: no rater identity is needed to fit notes)."""
    return _solve_side(notes, n_notes, rater_intercepts, rater_factors, values - mu, weights)


def fit_rater(
    values: Floats, weights: Floats, note_intercepts: Floats, note_factors: Floats, mu: float
) -> tuple[float, float]:
    """One rater's (i_u, f_u) from their own ratings: what their vault can hold."""
    groups = np.zeros(len(values), dtype=np.int64)
    intercept, factor = _solve_side(groups, 1, note_intercepts, note_factors, values - mu, weights)
    return float(intercept[0]), float(factor[0])


def status(intercept: float, factor: float, ratings: int) -> Status:
    if ratings < MIN_RATINGS:
        return Status.needs_more_ratings
    if intercept >= HELPFUL_INTERCEPT and abs(factor) < HELPFUL_MAX_FACTOR:
        return Status.helpful
    if intercept <= NOT_HELPFUL_INTERCEPT - NOT_HELPFUL_FACTOR_SLOPE * abs(factor):
        return Status.not_helpful
    return Status.needs_more_ratings


def statuses(result: Fit, counts: Ints) -> list[Status]:
    return [
        status(float(i), float(f), int(c))
        for i, f, c in zip(result.note_intercepts, result.note_factors, counts, strict=True)
    ]
