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
    # The most exposed authors, not only the average: per-author style top-1.
    style_worst_cases: dict[str, float] = field(default_factory=dict)
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
            "style_worst_cases": self.style_worst_cases,
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


def worst_cases(posterior: NDArray[np.float64], truth: Truth) -> dict[str, float]:
    """How exposed the most exposed authors are (no author is named)."""
    hit = posterior.argmax(axis=1) == truth
    rates = np.array([hit[truth == a].mean() for a in np.unique(truth)])
    return {
        "most_exposed_author_top1": round(float(rates.max()), 4),
        "90th_percentile_author_top1": round(float(np.percentile(rates, 90)), 4),
        "median_author_top1": round(float(np.median(rates)), 4),
        "share_of_authors_above_half": round(float((rates > 0.5).mean()), 4),
    }


def strip_boilerplate(posts: list[Post]) -> tuple[list[Post], int]:
    """Each author's texts without the lines they repeat across texts (signatures,
    sign-offs, templates): what style says beyond boilerplate. Returns the posts and
    how many line occurrences went."""
    lines_by_author: dict[str, Counter[str]] = {}
    for post in posts:
        distinct = {_normalised(line) for line in post.text.splitlines() if len(line.strip()) >= 4}
        lines_by_author.setdefault(post.author, Counter()).update(distinct)
    stripped, removed = [], 0
    for post in posts:
        repeated = lines_by_author[post.author]
        kept = []
        for line in post.text.splitlines():
            if len(line.strip()) >= 4 and repeated[_normalised(line)] >= 2:
                removed += 1
            else:
                kept.append(line)
        stripped.append(Post(post.id, post.author, "\n".join(kept) or post.text[:1]))
    return stripped, removed


def style_without_boilerplate(
    posts: list[Post], *, seed: int = 7, folds: int = 5
) -> tuple[float, float, int]:
    """Style top-1 with and without each author's repeated lines, and how many went."""
    kept, _duplicates, _excluded = usable(posts, folds)
    posts = [posts[i] for i in kept]
    truth, split, result = _prepare(posts, folds, seed)
    texts = [post.text for post in posts]
    stripped, removed = strip_boilerplate(posts)
    with_lines = stylometry.attack(texts, truth, split, result.authors, seed)
    without = stylometry.attack([p.text for p in stripped], truth, split, result.authors, seed)
    return (
        float((with_lines.posterior.argmax(axis=1) == truth).mean()),
        float((without.posterior.argmax(axis=1) == truth).mean()),
        removed,
    )


def seed_sweep(
    posts: list[Post], seeds: range, *, folds: int = 5
) -> dict[str, dict[str, tuple[float, float]]]:
    """Top-1 per regime and channel over several seeds (the split and the synthetic
    metadata change): (lowest, highest). One run's interval is not the whole story."""
    runs = [audit(posts, seed=seed, folds=folds) for seed in seeds]
    return {
        regime: {
            channel: (
                min(r.scores[regime][channel].top1.value for r in runs),
                max(r.scores[regime][channel].top1.value for r in runs),
            )
            for channel in runs[0].scores[regime]
        }
        for regime in runs[0].scores
    }


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
    within = attacks.linked_in_thread(views, split)
    for name, part in (("voice within threads", within), ("voice across threads", ~within)):
        if part.sum() >= 2 and len(np.unique(truth[part])) >= 2:
            channels[name] = score(posteriors["voice"][part], truth[part], seed=seed)
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
    result.style_worst_cases = worst_cases(style.posterior, truth)
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
    result.style_worst_cases = worst_cases(style.posterior, truth)
    result.scores[regime] = _attack_views(views, posts, truth, split, style.posterior, seed)
    return result
