"""Run every attack on every regime of a corpus and collect the scores."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import StratifiedKFold

from momo.audit import attacks, stylometry
from momo.audit.corpus import CorpusError, Post
from momo.audit.metrics import Scores, score
from momo.audit.regimes import CHANNELS, REGIMES, PublicPost, synthesise

Progress = Callable[[str], None]


@dataclass
class AuditResult:
    posts: int
    authors: int
    folds: int
    duplicates_removed: int = 0
    authors_excluded: int = 0  # fewer texts than folds: they could not be tested fairly
    scores: dict[str, dict[str, Scores]] = field(default_factory=dict)
    style_accuracy: dict[str, float] = field(default_factory=dict)
    style_attacker: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "posts": self.posts,
            "authors": self.authors,
            "folds": self.folds,
            "duplicates_removed": self.duplicates_removed,
            "authors_excluded": self.authors_excluded,
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


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def usable(posts: list[Post], folds: int) -> tuple[list[int], int, int]:
    """Which posts the audit attacks: the first of each set of duplicate texts (a
    duplicate on both sides of a split is a free hit), by authors with at least
    ``folds`` texts left (so no small author dictates the number of folds).
    Returns the kept indices, how many duplicates went and how many authors."""
    seen: set[str] = set()
    unique = []
    for i, post in enumerate(posts):
        key = _normalised(post.text)
        if key not in seen:
            seen.add(key)
            unique.append(i)
    counts = Counter(posts[i].author for i in unique)
    kept = [i for i in unique if counts[posts[i].author] >= folds]
    excluded = sum(1 for n in counts.values() if n < folds)
    return kept, len(posts) - len(unique), excluded


def _prepare(posts: list[Post], folds: int, seed: int) -> tuple[Truth, Split, AuditResult]:
    authors = sorted({post.author for post in posts})
    if len(authors) < 2:
        raise CorpusError(
            f"fewer than 2 authors with at least {folds} distinct texts: nothing to attribute"
        )
    index = {author: i for i, author in enumerate(authors)}
    truth = np.array([index[post.author] for post in posts], dtype=np.int64)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    split = list(splitter.split(np.zeros(len(truth)), truth))
    return truth, split, AuditResult(posts=len(posts), authors=len(authors), folds=folds)


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
    # Voice counts twice otherwise: inside a thread it links posts by design; only the
    # posts it cannot link that way measure re-identification across threads.
    across = ~attacks.linked_in_thread(views, split)
    if across.sum() >= 2 and len(np.unique(truth[across])) >= 2:
        channels["voice across threads"] = score(
            posteriors["voice"][across], truth[across], seed=seed
        )
    soft = [p for name, p in posteriors.items() if name != "identifier"]
    combined = attacks.combine(soft, hard=[posteriors["identifier"]])
    channels["all channels"] = score(combined, truth, seed=seed)
    return channels


def audit(
    posts: list[Post], *, seed: int = 7, folds: int = 5, progress: Progress | None = None
) -> AuditResult:
    """Attack a corpus under every regime, with metadata synthesised per author."""
    tick = progress or (lambda _label: None)
    kept, duplicates, excluded = usable(posts, folds)
    posts = [posts[i] for i in kept]
    truth, split, result = _prepare(posts, folds, seed)
    result.duplicates_removed, result.authors_excluded = duplicates, excluded
    style = stylometry.attack([post.text for post in posts], truth, split, result.authors, seed)
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
    kept, duplicates, excluded = usable(posts, folds)
    posts, views = [posts[i] for i in kept], [views[i] for i in kept]
    truth, split, result = _prepare(posts, folds, seed)
    result.duplicates_removed, result.authors_excluded = duplicates, excluded
    style = stylometry.attack([post.text for post in posts], truth, split, result.authors, seed)
    result.style_accuracy, result.style_attacker = style.accuracy, style.chosen
    result.scores[regime] = _attack_views(views, posts, truth, split, style.posterior, seed)
    return result
