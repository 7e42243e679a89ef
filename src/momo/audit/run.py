"""Run every attack on every regime of a corpus and collect the scores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import StratifiedKFold

from momo.audit import attacks, stylometry
from momo.audit.corpus import Post
from momo.audit.metrics import Scores, score
from momo.audit.regimes import CHANNELS, REGIMES, PublicPost, synthesise

Progress = Callable[[str], None]


@dataclass
class AuditResult:
    posts: int
    authors: int
    folds: int
    scores: dict[str, dict[str, Scores]] = field(default_factory=dict)
    style_accuracy: dict[str, float] = field(default_factory=dict)
    style_attacker: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "posts": self.posts,
            "authors": self.authors,
            "folds": self.folds,
            "style_attacker": self.style_attacker,
            "style_accuracy": self.style_accuracy,
            "baseline": stylometry.BASELINE,
            "regimes": {
                regime: {channel: s.as_dict() for channel, s in channels.items()}
                for regime, channels in self.scores.items()
            },
        }


Truth = NDArray[np.int64]
Split = list[tuple[NDArray[np.int64], NDArray[np.int64]]]


def _prepare(posts: list[Post], folds: int, seed: int) -> tuple[Truth, Split, AuditResult]:
    authors = sorted({post.author for post in posts})
    index = {author: i for i, author in enumerate(authors)}
    truth = np.array([index[post.author] for post in posts], dtype=np.int64)
    smallest = int(np.bincount(truth).min())
    k = max(2, min(folds, smallest))
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    split = list(splitter.split(np.zeros(len(truth)), truth))
    return truth, split, AuditResult(posts=len(posts), authors=len(authors), folds=k)


def _attack_views(
    views: list[PublicPost],
    posts: list[Post],
    truth: Truth,
    split: Split,
    style_posterior: NDArray[np.float64],
    seed: int,
) -> dict[str, Scores]:
    classes = int(truth.max()) + 1
    posteriors = attacks.channel_posteriors(views, truth, split, classes)
    posteriors["style"] = style_posterior
    channels = {name: score(posteriors[name], truth, seed=seed) for name in CHANNELS}
    soft = [p for name, p in posteriors.items() if name != "identifier"]
    combined = attacks.combine(soft, hard=[posteriors["identifier"]])
    channels["all channels"] = score(combined, truth, seed=seed)
    return channels


def audit(
    posts: list[Post], *, seed: int = 7, folds: int = 5, progress: Progress | None = None
) -> AuditResult:
    """Attack a corpus under every regime, with metadata synthesised per author."""
    tick = progress or (lambda _label: None)
    truth, split, result = _prepare(posts, folds, seed)
    style = stylometry.attack([post.text for post in posts], truth, split, result.authors)
    result.style_accuracy, result.style_attacker = style.accuracy, style.chosen
    tick("writing style")
    views = synthesise(posts, seed)
    for regime in REGIMES:
        result.scores[regime] = _attack_views(
            views[regime], posts, truth, split, style.posterior, seed
        )
        tick(regime)
    return result


def audit_public(
    posts: list[Post], views: list[PublicPost], *, regime: str, seed: int = 7, folds: int = 5
) -> AuditResult:
    """Attack one real public view (a live instance's export) with the same attackers."""
    truth, split, result = _prepare(posts, folds, seed)
    style = stylometry.attack([post.text for post in posts], truth, split, result.authors)
    result.style_accuracy, result.style_attacker = style.accuracy, style.chosen
    result.scores[regime] = _attack_views(views, posts, truth, split, style.posterior, seed)
    return result
