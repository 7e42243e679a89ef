"""One attacker per metadata channel, each giving a posterior over authors.

All attackers learn from labelled training folds only (closed world, k-fold).
Categorical channels use naive Bayes with Laplace smoothing; exact identifiers
use a lookup. A post that shows nothing on a channel gets a flat posterior.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray

from momo.audit.regimes import PublicPost

Folds = list[tuple[NDArray[np.int64], NDArray[np.int64]]]
Features = Callable[[PublicPost], list[Hashable]]
SMOOTHING = 1.0
# A seen exact key (an account id, a pseudonym, a voice inside one thread) names its
# author outright; only a key shared by several authors leaves doubt.
EXACT_MATCH = 1e30


def _naive_bayes(
    views: Sequence[PublicPost],
    truth: NDArray[np.int64],
    folds: Folds,
    classes: int,
    features: Features,
) -> NDArray[np.float64]:
    log_post = np.zeros((len(views), classes))
    extracted = [features(view) for view in views]
    for train, test in folds:
        counts: list[dict[Hashable, NDArray[np.float64]]] = []
        slots = max((len(extracted[i]) for i in train), default=0)
        for slot in range(slots):
            table: dict[Hashable, NDArray[np.float64]] = defaultdict(lambda: np.zeros(classes))
            for i in train:
                if slot < len(extracted[i]) and extracted[i][slot] is not None:
                    table[extracted[i][slot]][truth[i]] += 1
            counts.append(table)
        for i in test:
            # A flat prior: each channel reports only its own evidence, so that
            # combining channels does not count the author frequencies again and again.
            scores = np.zeros(classes)
            for slot, value in enumerate(extracted[i]):
                if value is None or slot >= len(counts):
                    continue
                table = counts[slot]
                values = len(table) + 1
                column = table.get(value, np.zeros(classes))
                totals = sum(table.values(), np.zeros(classes))
                scores += np.log((column + SMOOTHING) / (totals + SMOOTHING * values))
            log_post[i] = scores
    return _normalise(log_post)


def _exact(
    views: Sequence[PublicPost],
    truth: NDArray[np.int64],
    folds: Folds,
    classes: int,
    key: Callable[[PublicPost], Hashable | None],
) -> NDArray[np.float64]:
    log_post = np.zeros((len(views), classes))
    for train, test in folds:
        seen: dict[Hashable, Counter[int]] = defaultdict(Counter)
        for i in train:
            k = key(views[i])
            if k is not None:
                seen[k][int(truth[i])] += 1
        for i in test:
            k = key(views[i])
            if k is None or k not in seen:
                continue
            weights = np.ones(classes)
            for author, count in seen[k].items():
                weights[author] += EXACT_MATCH * count
            log_post[i] = np.log(weights)
    return _normalise(log_post)


def _normalise(log_post: NDArray[np.float64]) -> NDArray[np.float64]:
    log_post = log_post - log_post.max(axis=1, keepdims=True)
    post = np.exp(log_post)
    normalised: NDArray[np.float64] = post / post.sum(axis=1, keepdims=True)
    return normalised


def _clock(view: PublicPost) -> list[Hashable]:
    moment = datetime.fromtimestamp(view.timestamp, UTC)
    return [moment.hour, moment.weekday() >= 5, moment.minute // 15]


def linked_in_thread(views: Sequence[PublicPost], folds: Folds) -> NDArray[np.bool_]:
    """Posts whose (thread, voice) also labels a training post: a voice links them
    inside one thread, which Momo shows by design. Re-identification is the rest."""
    linked = np.zeros(len(views), dtype=bool)
    for train, test in folds:
        seen = {views[i].voice for i in train if views[i].voice is not None}
        for i in test:
            linked[i] = views[i].voice is not None and views[i].voice in seen
    return linked


def channel_posteriors(
    views: Sequence[PublicPost], truth: NDArray[np.int64], folds: Folds, classes: int
) -> dict[str, NDArray[np.float64]]:
    """Every metadata channel of one regime (style is the same text everywhere)."""
    voice_key = _exact(views, truth, folds, classes, lambda v: v.voice)
    topics = _naive_bayes(views, truth, folds, classes, lambda v: [v.thread_topic])
    voice = voice_key * topics
    return {
        "identifier": _exact(views, truth, folds, classes, lambda v: v.identifier),
        "voice": voice / voice.sum(axis=1, keepdims=True),
        "timing": _naive_bayes(views, truth, folds, classes, _clock),
        "region": _naive_bayes(views, truth, folds, classes, lambda v: [v.region]),
        "image": _naive_bayes(
            views, truth, folds, classes, lambda v: list(v.image) if v.image else [None, None]
        ),
    }


# No single soft channel may veto an author outright (an over-confident style
# model would otherwise overrule an exact account-id match): floor each at 1e-4.
FUSION_FLOOR = 1e-4


def combine(
    soft: Sequence[NDArray[np.float64]], hard: Sequence[NDArray[np.float64]] = ()
) -> NDArray[np.float64]:
    """All channels at once: independent evidence multiplies. ``hard`` channels
    (exact identifiers) keep their full weight; soft ones are floored."""
    log_post = np.zeros_like(soft[0])
    for p in soft:
        log_post += np.log(np.clip(p, FUSION_FLOOR, 1.0))
    for p in hard:
        log_post += np.log(np.clip(p, 1e-300, 1.0))
    return _normalise(log_post)
