"""The threats Momo's people really face, beyond closed-world attribution.

Closed-world attribution (``run.py``) asks "which of these known authors wrote this?"
with most of every author's writing labelled. The people on Momo face other attackers:

* **open world**: the writer may be none of the suspects, so the attacker needs a
  reject option; the figure is the precision it keeps at a given recall;
* **cross-domain**: a coworker holds the target's writing from elsewhere (mail, not
  posts), so training and test texts differ in genre;
* **unsupervised linking**: nobody is labelled at all; the attacker clusters a pile of
  thread-less posts and hopes a cluster is one person (pairwise precision and recall);
* **scale**: how attribution falls as the suspects grow from 10 towards 1,000, and
  how it grows with the samples held per author.

Every figure here is *measured* on the corpus given; nothing is simulated. The
attacker is the field's baseline (character 1–3-gram TF-IDF, linear SVM), its
vocabulary fitted on training texts only.
"""

from __future__ import annotations

import random
import warnings
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from momo.audit.corpus import CorpusError, Post
from momo.audit.metrics import auc

RECALLS = (0.1, 0.25, 0.5)
MEASURED = "measured on the corpus"


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)


def _by_author(posts: Sequence[Post]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for post in posts:
        grouped[post.author].append(post.text)
    return dict(grouped)


def _fit(texts: list[str], labels: list[int]) -> tuple[TfidfVectorizer, LinearSVC]:
    vectorizer = _vectorizer()
    with warnings.catch_warnings():  # one text per author is a fair, if hard, test
        warnings.simplefilter("ignore", UserWarning)
        model = LinearSVC(C=1.0).fit(vectorizer.fit_transform(texts), labels)
    return vectorizer, model


def _scores(vectorizer: TfidfVectorizer, model: LinearSVC, texts: list[str]) -> NDArray[np.float64]:
    decision: NDArray[np.float64] = model.decision_function(vectorizer.transform(texts))
    if decision.ndim == 1:
        decision = np.stack([-decision, decision], axis=1)
    return decision


# -- open world ---------------------------------------------------------------
@dataclass(frozen=True)
class OpenWorld:
    label: str
    suspects: int
    outsiders: int
    test_texts: int
    accuracy_without_reject: float  # of texts by suspects, the right suspect first
    outsider_auc: float  # how well confidence tells a suspect's text from an outsider's
    precision_at_recall: dict[str, float | None]  # None: that recall is never reached


def open_world(posts: Sequence[Post], *, seed: int = 7, held_out_share: float = 1 / 3) -> OpenWorld:
    """Half the authors are suspects (their texts split into training and test), the
    other half outsiders (test only). The attacker names its best suspect and a
    confidence (the margin over the runner-up); rejecting below a threshold trades
    recall (suspects' texts rightly named) for precision (named texts that are right)."""
    grouped = {a: t for a, t in _by_author(posts).items() if len(t) >= 3}
    authors = sorted(grouped)
    if len(authors) < 4:
        raise CorpusError("an open-world test needs at least 4 authors with 3 or more texts")
    rng = random.Random(seed)
    rng.shuffle(authors)
    suspects, outsiders = authors[: len(authors) // 2], authors[len(authors) // 2 :]
    train_texts, train_labels, test_texts, test_truth = [], [], [], []
    for label, author in enumerate(suspects):
        texts = rng.sample(grouped[author], len(grouped[author]))
        held = max(1, round(len(texts) * held_out_share))
        test_texts += texts[:held]
        test_truth += [label] * held
        train_texts += texts[held:]
        train_labels += [label] * (len(texts) - held)
    inside = len(test_texts)
    outside_pool = [text for author in outsiders for text in grouped[author]]
    outside = rng.sample(outside_pool, min(inside, len(outside_pool)))
    test_texts += outside
    test_truth += [-1] * len(outside)
    vectorizer, model = _fit(train_texts, train_labels)
    decision = _scores(vectorizer, model, test_texts)
    named = model.classes_[decision.argmax(axis=1)]
    ordered = np.sort(decision, axis=1)
    confidence = ordered[:, -1] - ordered[:, -2]
    truth = np.array(test_truth)
    right = named == truth
    order = np.argsort(-confidence, kind="stable")
    correct = np.cumsum(right[order])
    accepted = np.arange(1, len(order) + 1)
    precision, recall = correct / accepted, correct / inside
    at_recall: dict[str, float | None] = {}
    for target in RECALLS:
        reached = recall >= target
        at_recall[f"{target:g}"] = (
            round(float(precision[reached].max()), 4) if reached.any() else None
        )
    return OpenWorld(
        label=MEASURED,
        suspects=len(suspects),
        outsiders=len(outsiders),
        test_texts=len(test_texts),
        accuracy_without_reject=round(float(right[:inside].mean()), 4),
        outsider_auc=round(auc(confidence, truth >= 0), 4),
        precision_at_recall=at_recall,
    )


# -- cross-domain -------------------------------------------------------------
@dataclass(frozen=True)
class CrossDomain:
    label: str
    authors: int
    test_texts: int
    top1: float
    chance: float


def cross_domain(train_domain: Sequence[Post], test_domain: Sequence[Post]) -> CrossDomain:
    """Train on one genre, attribute texts of another, for the authors found in both."""
    train, test = _by_author(train_domain), _by_author(test_domain)
    shared = sorted(set(train) & set(test))
    if len(shared) < 2:
        raise CorpusError("a cross-domain test needs at least 2 authors present in both")
    texts = [t for a in shared for t in train[a]]
    labels = [i for i, a in enumerate(shared) for _ in train[a]]
    vectorizer, model = _fit(texts, labels)
    probe = [t for a in shared for t in test[a]]
    truth = np.array([i for i, a in enumerate(shared) for _ in test[a]])
    named = model.classes_[_scores(vectorizer, model, probe).argmax(axis=1)]
    return CrossDomain(
        MEASURED, len(shared), len(probe), round(float((named == truth).mean()), 4), 1 / len(shared)
    )


# -- unsupervised linking -----------------------------------------------------
@dataclass(frozen=True)
class LinkingPoint:
    threshold: float  # cosine distance at which clusters stop merging
    clusters: int
    pairwise_precision: float | None  # None when no two texts share a cluster
    pairwise_recall: float


@dataclass(frozen=True)
class Linking:
    label: str
    texts: int
    authors: int
    same_author_pair_share: float  # the precision of linking pairs at random
    curve: list[LinkingPoint]


# Merge thresholds at these quantiles of the sample's pairwise distances: the curve
# then spans any genre (short poems sit far apart, mail close together).
QUANTILES = (0.001, 0.01, 0.05, 0.2, 0.5)


def unsupervised_linking(posts: Sequence[Post], *, sample: int = 300, seed: int = 7) -> Linking:
    """Cluster a thread-less sample by style alone (average-linkage on cosine distance
    of TF-IDF), and count, over all pairs of texts, how often "same cluster" means
    "same author" (precision) and how many same-author pairs end up together
    (recall). A curve over thresholds: no label chooses the operating point."""
    rng = random.Random(seed)
    picked = rng.sample(list(posts), min(sample, len(posts)))
    authors = np.array([p.author for p in picked])
    features = _vectorizer().fit_transform([p.text for p in picked])
    similarity = (features @ features.T).toarray()
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    upper = np.triu_indices(len(picked), k=1)
    same = (authors[:, None] == authors[None, :])[upper]
    thresholds = sorted({round(float(np.quantile(distance[upper], q)), 4) for q in QUANTILES})
    curve = []
    for threshold in thresholds:
        clusters = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
        ).fit_predict(distance)
        together = (clusters[:, None] == clusters[None, :])[upper]
        hits = int((together & same).sum())
        curve.append(
            LinkingPoint(
                threshold=threshold,
                clusters=int(clusters.max()) + 1,
                pairwise_precision=round(hits / int(together.sum()), 4) if together.any() else None,
                pairwise_recall=round(hits / max(1, int(same.sum())), 4),
            )
        )
    return Linking(MEASURED, len(picked), len(set(authors)), round(float(same.mean()), 4), curve)


# -- scale --------------------------------------------------------------------
@dataclass(frozen=True)
class CurvePoint:
    x: int
    top1: float
    chance: float
    test_texts: int


def _closed_world(
    grouped: dict[str, list[str]],
    authors: list[str],
    per_author: int | None,
    held: int,
    rng: random.Random,
) -> tuple[float, int]:
    train_texts, train_labels, test_texts, truth = [], [], [], []
    for label, author in enumerate(authors):
        texts = rng.sample(grouped[author], len(grouped[author]))
        test_texts += texts[:held]
        truth += [label] * held
        kept = texts[held:] if per_author is None else texts[held : held + per_author]
        train_texts += kept
        train_labels += [label] * len(kept)
    vectorizer, model = _fit(train_texts, train_labels)
    named = model.classes_[_scores(vectorizer, model, test_texts).argmax(axis=1)]
    return float((named == np.array(truth)).mean()), len(test_texts)


def candidate_curve(
    posts: Sequence[Post],
    *,
    sizes: Sequence[int] = (10, 20, 50, 100, 200, 400, 1000),
    seed: int = 7,
    draws: int = 3,
) -> list[CurvePoint]:
    """Top-1 as the suspects grow, averaged over ``draws`` random sets of suspects
    (each holds all but its test texts for training: two, or one if it has 3)."""
    grouped = {a: t for a, t in _by_author(posts).items() if len(t) >= 3}
    rng = random.Random(seed)
    points = []
    for size in sizes:
        if size > len(grouped):
            break
        runs = []
        for _ in range(draws if size < len(grouped) else 1):
            authors = rng.sample(sorted(grouped), size)
            held = 2 if min(len(grouped[a]) for a in authors) > 3 else 1
            runs.append(_closed_world(grouped, authors, None, held, rng))
        top1 = sum(r[0] for r in runs) / len(runs)
        points.append(CurvePoint(size, round(top1, 4), 1 / size, runs[0][1]))
    return points


def samples_curve(
    posts: Sequence[Post], *, per_author: Sequence[int] = (1, 2, 4, 8, 16), seed: int = 7
) -> list[CurvePoint]:
    """Top-1 as the attacker holds more texts per author: the same authors and the
    same test text each throughout (those with enough texts for the largest step)."""
    grouped = _by_author(posts)
    steps = sorted(per_author)
    while steps and sum(len(t) >= steps[-1] + 1 for t in grouped.values()) < 2:
        steps.pop()
    authors = sorted(a for a, t in grouped.items() if steps and len(t) >= steps[-1] + 1)
    points = []
    for k in steps:
        # The same seed each step: every author's texts shuffle the same way, so the
        # held-out text is the same and only the training share grows.
        top1, tested = _closed_world(grouped, authors, k, 1, random.Random(seed))
        points.append(CurvePoint(k, round(top1, 4), 1 / len(authors), tested))
    return points


def as_dict(value: object) -> object:
    if isinstance(value, list):
        return [as_dict(v) for v in value]
    return asdict(value)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Threats:
    open_world: OpenWorld
    linking: Linking
    candidates: list[CurvePoint]
    samples: list[CurvePoint]
    cross_domain: CrossDomain | None  # None: the corpus has one genre

    def as_dict(self) -> dict[str, object]:
        return {
            "label": MEASURED,
            "attacker": "char 1-3 TF-IDF + linear SVM (vocabulary fitted on training texts)",
            "open_world": asdict(self.open_world),
            "unsupervised_linking": asdict(self.linking),
            "candidates_curve": [asdict(p) for p in self.candidates],
            "samples_per_author_curve": [asdict(p) for p in self.samples],
            "cross_domain": asdict(self.cross_domain) if self.cross_domain else None,
        }


def assess(
    posts: Sequence[Post], *, other_domain: Sequence[Post] | None = None, seed: int = 7
) -> Threats:
    return Threats(
        open_world=open_world(posts, seed=seed),
        linking=unsupervised_linking(posts, seed=seed),
        candidates=candidate_curve(posts, seed=seed),
        samples=samples_curve(posts, seed=seed),
        cross_domain=cross_domain(posts, other_domain) if other_domain else None,
    )


def describe(threats: Threats) -> list[str]:
    """The tables, as lines of text for the terminal and the benchmark."""
    ow, lk = threats.open_world, threats.linking
    recall = ", ".join(
        f"at recall {r}: {'never reached' if p is None else f'{p:.0%}'}"
        for r, p in ow.precision_at_recall.items()
    )
    lines = [
        f"open world ({MEASURED}): {ow.suspects} suspects, {ow.outsiders} outsiders, "
        f"{ow.test_texts} test texts",
        f"  right suspect first, no reject: {ow.accuracy_without_reject:.1%}; "
        f"telling outsiders apart (AUC): {ow.outsider_auc:.2f}",
        f"  precision {recall}",
        f"unsupervised linking ({MEASURED}): {lk.texts} texts by {lk.authors} authors; "
        f"random pairs share an author {lk.same_author_pair_share:.1%} of the time",
    ]
    lines += [
        f"  merge below {p.threshold:.3f}: {p.clusters} clusters, pairwise precision "
        f"{'-' if p.pairwise_precision is None else f'{p.pairwise_precision:.1%}'}, "
        f"recall {p.pairwise_recall:.1%}"
        for p in lk.curve
    ]
    lines.append(
        "top-1 as suspects grow: "
        + ", ".join(f"{p.x}: {p.top1:.1%} (chance {p.chance:.1%})" for p in threats.candidates)
    )
    lines.append(
        "top-1 as texts per author grow: "
        + ", ".join(f"{p.x}: {p.top1:.1%}" for p in threats.samples)
    )
    if threats.cross_domain:
        cd = threats.cross_domain
        lines.append(
            f"cross-domain ({MEASURED}): {cd.authors} authors, {cd.test_texts} texts of the "
            f"other genre: {cd.top1:.1%} (chance {cd.chance:.1%})"
        )
    else:
        lines.append("cross-domain: not measured (give --other-domain with a second genre)")
    return lines
