"""Attribution metrics from an attacker's posterior over authors.

Rank metrics (top-1, top-5, pairwise AUC) do not depend on calibration;
entropy-based ones (effective anonymity set 2^H, min-entropy) do, which is why
the report always shows both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class Interval:
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Scores:
    top1: Interval
    top5: Interval
    auc: Interval
    anonymity_set: Interval  # 2 ** H(posterior), averaged over posts
    min_entropy_bits: float  # -log2 E[max p]: the attacker's best-guess success, in bits
    chance_top1: float
    chance_top5: float
    authors: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _ranks(
    posterior: Matrix, truth: NDArray[np.int64], rng: np.random.Generator
) -> NDArray[np.int64]:
    # Random tie-breaking, so a uniform posterior scores at chance rather than
    # always "guessing" the first author.
    noisy = posterior + rng.uniform(0, 1e-12, posterior.shape)
    true_scores = noisy[np.arange(len(truth)), truth]
    ranks: NDArray[np.int64] = (noisy > true_scores[:, None]).sum(axis=1)
    return ranks


def _pair_auc(
    posterior: Matrix, truth: NDArray[np.int64], rng: np.random.Generator, pairs: int
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    n = len(truth)
    left = rng.integers(0, n, pairs)
    right = rng.integers(0, n, pairs)
    keep = left != right
    left, right = left[keep], right[keep]
    # Oversample same-author pairs so the positive class is not a handful.
    same_author = np.array(
        [rng.choice(np.flatnonzero(truth == truth[i])) for i in left[: pairs // 4]]
    )
    ok = same_author != left[: pairs // 4]
    left = np.concatenate([left, left[: pairs // 4][ok]])
    right = np.concatenate([right, same_author[ok]])
    similarity = np.einsum("ij,ij->i", posterior[left], posterior[right])
    return similarity, truth[left] == truth[right]


def auc(scores: NDArray[np.float64], labels: NDArray[np.bool_]) -> float:
    """Mann-Whitney AUC with ties counted half."""
    positives, negatives = scores[labels], scores[~labels]
    if len(positives) == 0 or len(negatives) == 0:
        return 0.5
    order = np.argsort(np.concatenate([positives, negatives]), kind="mergesort")
    ranks = np.empty(len(order))
    values = np.concatenate([positives, negatives])[order]
    # average ranks for ties
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    rank_sum = ranks[: len(positives)].sum()
    return float(
        (rank_sum - len(positives) * (len(positives) + 1) / 2) / (len(positives) * len(negatives))
    )


def score(
    posterior: Matrix, truth: NDArray[np.int64], *, seed: int = 0, bootstrap: int = 200
) -> Scores:
    rng = np.random.default_rng(seed)
    posterior = posterior / posterior.sum(axis=1, keepdims=True)
    authors = posterior.shape[1]
    ranks = _ranks(posterior, truth, rng)
    hit1, hit5 = (ranks == 0).astype(float), (ranks < 5).astype(float)
    safe = np.clip(posterior, 1e-300, 1)
    entropy = -(posterior * np.log2(safe)).sum(axis=1)
    sets = 2.0**entropy
    # The standard (Smith's) min-entropy: -log2 of the expected best-guess probability,
    # not the mean of per-post -log2 max p (which overstates anonymity by Jensen).
    min_entropy = float(-np.log2(posterior.max(axis=1).mean()))
    similarity, same = _pair_auc(posterior, truth, rng, pairs=min(20000, 20 * len(truth)))

    # Posts by one author are not independent: resample authors, with all their posts.
    members = [np.flatnonzero(truth == author) for author in np.unique(truth)]

    def interval(values: NDArray[np.float64]) -> Interval:
        samples = [
            values[
                np.concatenate([members[a] for a in rng.integers(0, len(members), len(members))])
            ].mean()
            for _ in range(bootstrap)
        ]
        return Interval(
            float(values.mean()),
            float(np.percentile(samples, 2.5)),
            float(np.percentile(samples, 97.5)),
        )

    auc_samples = []
    for _ in range(max(20, bootstrap // 5)):
        pick = rng.integers(0, len(similarity), len(similarity))
        auc_samples.append(auc(similarity[pick], same[pick]))
    auc_value = auc(similarity, same)
    return Scores(
        top1=interval(hit1),
        top5=interval(hit5),
        auc=Interval(
            auc_value,
            float(np.percentile(auc_samples, 2.5)),
            float(np.percentile(auc_samples, 97.5)),
        ),
        anonymity_set=interval(sets),
        min_entropy_bits=min_entropy,
        chance_top1=1 / authors,
        chance_top5=min(5, authors) / authors,
        authors=authors,
    )
