"""What the composer's style check means: a measured chance of being recognised.

The live check cannot see other people's profiles: the server does not know who
wrote what, by design. It sees the writer's own earlier posts (from their vault,
during their session) and an anonymous sample of the community. Its statistic is
how far the draft leans towards the writer's own profile compared with profiles
made of random community posts of the same size (a z-score).

Calibration turns that statistic into a probability with a measured meaning. On
corpora where authors are known (``../shared/corpora``), the same statistic is
computed for held-out texts and a real attacker is run beside it: someone who holds
``k`` texts of the writer and ``k`` texts of each of ``CANDIDATES - 1`` other
people, and picks the nearest profile (character 1–3-gram TF-IDF centroids). A
logistic (Platt) fit maps the statistic to the chance that the attacker picks the
writer. ``bench/calibrate_exposure.py`` fits it on one half of the authors and
reports the other half; ``tests/audit/test_calibration.py`` checks the shipped fit
on that held-out half (calibration error and what "low" means).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

CANDIDATES = 10  # the attacker's suspects: the writer and nine others
PSEUDO_PROFILES = 50
MAX_OWN = 19  # the largest history calibrated; longer ones count as this
HISTORY_SIZES = (2, 3, 5, 8, 12, 19)
SHIPPED = Path(__file__).with_name("exposure_calibration.json")
# Levels by calibrated chance; "low" stays under three times chance (3 / CANDIDATES).
LOW_BELOW = 0.2
HIGH_FROM = 0.5


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)


def style_statistic(
    draft: str, own: Sequence[str], community: Sequence[str], seed: int = 0
) -> float:
    """How far ``draft`` leans to the writer's own profile, in standard deviations of
    its similarity to pseudo-profiles (random community posts, as many as ``own``)."""
    matrix = _vectorizer().fit_transform([draft, *own, *community])
    draft_vector = matrix[0]
    crowd = matrix[1 + len(own) :]
    own_similarity = float(
        (draft_vector @ np.asarray(matrix[1 : 1 + len(own)].mean(axis=0)).T)[0, 0]
    )
    size = min(len(own), crowd.shape[0])
    rng = np.random.default_rng(seed)
    picks = np.stack(
        [rng.choice(crowd.shape[0], size=size, replace=False) for _ in range(PSEUDO_PROFILES)]
    )
    draft_by_post = np.asarray((crowd @ draft_vector.T).todense()).ravel()
    # The similarity to a centroid is the mean of the similarities to its posts.
    others = draft_by_post[picks].mean(axis=1)
    return float((own_similarity - others.mean()) / (others.std() + 1e-9))


def features(statistic: float, own_posts: int) -> NDArray[np.float64]:
    return np.array([statistic, math.log(min(max(own_posts, 1), MAX_OWN))])


@dataclass(frozen=True)
class Calibration:
    """A Platt fit: chance = 1 / (1 + exp(-(w · features + b)))."""

    weights: tuple[float, float]
    intercept: float
    candidates: int
    fitted_on: str
    held_out: Mapping[str, float]

    def chance(self, statistic: float, own_posts: int) -> float:
        logit = float(np.dot(self.weights, features(statistic, own_posts))) + self.intercept
        return 1.0 / (1.0 + math.exp(-logit))

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


@cache
def shipped() -> Calibration:
    raw = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return Calibration(
        weights=(float(raw["weights"][0]), float(raw["weights"][1])),
        intercept=float(raw["intercept"]),
        candidates=int(raw["candidates"]),
        fitted_on=str(raw["fitted_on"]),
        held_out=dict(raw["held_out"]),
    )


def level(chance: float) -> str:
    return "low" if chance < LOW_BELOW else "high" if chance >= HIGH_FROM else "medium"


# -- measuring it where authors are known ------------------------------------
@dataclass(frozen=True)
class Trial:
    corpus: str
    statistic: float
    own_posts: int
    recognised: bool


def half(by_author: Mapping[str, list[str]], which: int) -> dict[str, list[str]]:
    """A fixed half of the authors (by a hash of the name): fit on 0, check on 1."""
    return {
        author: texts
        for author, texts in by_author.items()
        if hashlib.sha256(author.encode()).digest()[0] % 2 == which
    }


def _nearest_profile_is_the_writer(draft: str, profiles: Sequence[Sequence[str]]) -> bool:
    vectorizer = _vectorizer()
    texts = [text for profile in profiles for text in profile]
    matrix = vectorizer.fit_transform(texts)
    draft_vector = vectorizer.transform([draft])
    scores, start = [], 0
    for profile in profiles:
        centroid = np.asarray(matrix[start : start + len(profile)].mean(axis=0))
        scores.append(float((draft_vector @ centroid.T)[0, 0]))
        start += len(profile)
    return int(np.argmax(scores)) == 0


def trials(corpus: str, by_author: Mapping[str, list[str]], count: int, seed: int) -> list[Trial]:
    """``count`` drafts: the statistic the composer would show, and whether the
    attacker among ``CANDIDATES`` recognised the writer."""
    rng = random.Random(seed)
    authors = sorted(a for a, texts in by_author.items() if len(texts) >= 3)
    if len(authors) < CANDIDATES:
        raise ValueError(f"{corpus}: {len(authors)} authors, fewer than {CANDIDATES}")
    out = []
    for number in range(count):
        writer = rng.choice(authors)
        texts = rng.sample(by_author[writer], len(by_author[writer]))
        draft, own = texts[0], texts[1 : 1 + rng.choice(HISTORY_SIZES)]
        others = [a for a in authors if a != writer]
        pool = [text for other in others for text in by_author[other]]
        community = rng.sample(pool, min(300, len(pool)))
        statistic = style_statistic(draft, own, community, seed=seed * 100_003 + number)
        suspects = rng.sample(others, CANDIDATES - 1)
        profiles = [own] + [
            rng.sample(by_author[s], min(len(own), len(by_author[s]))) for s in suspects
        ]
        out.append(
            Trial(corpus, statistic, len(own), _nearest_profile_is_the_writer(draft, profiles))
        )
    return out


def fit(training: Sequence[Trial], fitted_on: str) -> Calibration:
    from sklearn.linear_model import LogisticRegression

    x = np.stack([features(t.statistic, t.own_posts) for t in training])
    y = np.array([t.recognised for t in training])
    model = LogisticRegression(C=100.0).fit(x, y)
    return Calibration(
        weights=(float(model.coef_[0][0]), float(model.coef_[0][1])),
        intercept=float(model.intercept_[0]),
        candidates=CANDIDATES,
        fitted_on=fitted_on,
        held_out={},
    )


def expected_calibration_error(
    chances: Sequence[float], outcomes: Sequence[bool], bins: int = 10
) -> float:
    """ECE: the gap between stated and observed rates, averaged over ten equal-width
    bins of the stated chance, weighted by how many drafts fall in each."""
    p = np.asarray(chances, dtype=float)
    y = np.asarray(outcomes, dtype=float)
    which = np.minimum((p * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            error += inside.mean() * abs(p[inside].mean() - y[inside].mean())
    return float(error)


def evaluate(calibration: Calibration, held_out: Sequence[Trial]) -> dict[str, float]:
    chances = [calibration.chance(t.statistic, t.own_posts) for t in held_out]
    outcomes = [t.recognised for t in held_out]
    low = [o for c, o in zip(chances, outcomes, strict=True) if level(c) == "low"]
    from sklearn.metrics import roc_auc_score

    return {
        "drafts": float(len(held_out)),
        "recognised": float(np.mean(outcomes)),
        "ece": expected_calibration_error(chances, outcomes),
        "auc": float(roc_auc_score(outcomes, chances)),
        "low_share": len(low) / len(held_out),
        "low_recognised": float(np.mean(low)) if low else 0.0,
        "chance_level": 1 / calibration.candidates,
    }
