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
BOOTSTRAP = 200
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
    # 95% intervals from a bootstrap that resamples whole authors (suspects and outsiders)
    intervals: dict[str, tuple[float, float]]


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
    train_texts, train_labels, test_texts, test_truth, test_author = [], [], [], [], []
    for label, author in enumerate(suspects):
        texts = rng.sample(grouped[author], len(grouped[author]))
        held = max(1, round(len(texts) * held_out_share))
        test_texts += texts[:held]
        test_truth += [label] * held
        test_author += [author] * held
        train_texts += texts[held:]
        train_labels += [label] * (len(texts) - held)
    inside = len(test_texts)
    outside_pool = [(author, text) for author in outsiders for text in grouped[author]]
    for author, text in rng.sample(outside_pool, min(inside, len(outside_pool))):
        test_texts.append(text)
        test_truth.append(-1)
        test_author.append(author)
    vectorizer, model = _fit(train_texts, train_labels)
    decision = _scores(vectorizer, model, test_texts)
    named = model.classes_[decision.argmax(axis=1)]
    ordered = np.sort(decision, axis=1)
    confidence = ordered[:, -1] - ordered[:, -2]
    truth = np.array(test_truth)
    right = named == truth

    def figures(pick: NDArray[np.int64]) -> dict[str, float | None]:
        is_inside = truth[pick] >= 0
        order = pick[np.argsort(-confidence[pick], kind="stable")]
        correct = np.cumsum(right[order])
        precision = correct / np.arange(1, len(order) + 1)
        recall = correct / max(1, int(is_inside.sum()))
        out: dict[str, float | None] = {
            "accuracy_without_reject": float(right[pick][is_inside].mean()),
            "outsider_auc": auc(confidence[pick], is_inside),
        }
        for target in RECALLS:
            reached = recall >= target
            out[f"{target:g}"] = float(precision[reached].max()) if reached.any() else None
        return out

    everything = figures(np.arange(len(truth)))
    members = {a: np.flatnonzero(np.array(test_author) == a) for a in set(test_author)}
    draws: dict[str, list[float]] = defaultdict(list)
    boot = np.random.default_rng(seed)
    for _ in range(BOOTSTRAP):
        chosen = [suspects[i] for i in boot.integers(0, len(suspects), len(suspects))]
        chosen += [outsiders[i] for i in boot.integers(0, len(outsiders), len(outsiders))]
        pick = np.concatenate([members[a] for a in chosen if a in members])
        for key, value in figures(pick).items():
            if value is not None:
                draws[key].append(value)
    intervals = {
        key: (round(float(np.percentile(v, 2.5)), 4), round(float(np.percentile(v, 97.5)), 4))
        for key, v in draws.items()
    }
    at_recall = {
        f"{t:g}": None
        if everything[f"{t:g}"] is None
        else round(float(everything[f"{t:g}"] or 0), 4)
        for t in RECALLS
    }
    return OpenWorld(
        label=MEASURED,
        suspects=len(suspects),
        outsiders=len(outsiders),
        test_texts=len(test_texts),
        accuracy_without_reject=round(float(everything["accuracy_without_reject"] or 0), 4),
        outsider_auc=round(float(everything["outsider_auc"] or 0), 4),
        precision_at_recall=at_recall,
        intervals=intervals,
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
    precision_interval: tuple[float, float] | None  # 95%, resampling whole authors
    recall_interval: tuple[float, float] | None


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
    # Author-clustered bootstrap. An author drawn c times is c authors: a pair across two
    # authors counts c_a * c_b times, a pair inside one author c times (its copies'
    # pairs with each other would be two different people writing the same texts).
    names, author_index = np.unique(authors, return_inverse=True)
    boot = np.random.default_rng(seed)
    weights = []
    for _ in range(BOOTSTRAP):
        drawn = np.bincount(boot.integers(0, len(names), len(names)), minlength=len(names))
        count = drawn[author_index]
        across = (count[:, None] * count[None, :])[upper]
        weights.append(np.where(same, count[upper[0]], across))
    curve = []
    for threshold in thresholds:
        clusters = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
        ).fit_predict(distance)
        together = (clusters[:, None] == clusters[None, :])[upper]
        hits = int((together & same).sum())
        precisions, recalls = [], []
        for w in weights:
            linked, relevant = float((w * together).sum()), float((w * same).sum())
            if linked and relevant:
                precisions.append(float((w * (together & same)).sum()) / linked)
                recalls.append(float((w * (together & same)).sum()) / relevant)
        curve.append(
            LinkingPoint(
                threshold=threshold,
                clusters=int(clusters.max()) + 1,
                pairwise_precision=round(hits / int(together.sum()), 4) if together.any() else None,
                pairwise_recall=round(hits / max(1, int(same.sum())), 4),
                precision_interval=_interval(precisions),
                recall_interval=_interval(recalls),
            )
        )
    return Linking(MEASURED, len(picked), len(set(authors)), round(float(same.mean()), 4), curve)


def _interval(values: list[float]) -> tuple[float, float] | None:
    if len(values) < 20:
        return None
    return round(float(np.percentile(values, 2.5)), 4), round(float(np.percentile(values, 97.5)), 4)


# -- scale --------------------------------------------------------------------
@dataclass(frozen=True)
class CurvePoint:
    x: int
    top1: float
    chance: float
    test_texts: int
    interval: tuple[float, float] | None = None  # 95%, resampling the suspects


def _suspect_interval(hits: list[NDArray[np.bool_]], seed: int) -> tuple[float, float] | None:
    """Bootstrap over suspects: ``hits`` holds, per suspect, whether each of its test
    texts was attributed right."""
    if len(hits) < 2:
        return None
    boot = np.random.default_rng(seed)
    means = []
    for _ in range(BOOTSTRAP):
        drawn = boot.integers(0, len(hits), len(hits))
        means.append(float(np.concatenate([hits[i] for i in drawn]).mean()))
    return round(float(np.percentile(means, 2.5)), 4), round(float(np.percentile(means, 97.5)), 4)


def _closed_world(
    grouped: dict[str, list[str]],
    authors: list[str],
    per_author: int | None,
    held: int,
    rng: random.Random,
) -> list[NDArray[np.bool_]]:
    """Per suspect, whether each of its held-out texts was attributed to it."""
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
    right = named == np.array(truth)
    return [right[label * held : (label + 1) * held] for label in range(len(authors))]


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
        hits: list[NDArray[np.bool_]] = []
        for _ in range(draws if size < len(grouped) else 1):
            authors = rng.sample(sorted(grouped), size)
            held = 2 if min(len(grouped[a]) for a in authors) > 3 else 1
            hits += _closed_world(grouped, authors, None, held, rng)
        every = np.concatenate(hits)
        points.append(
            CurvePoint(
                size,
                round(float(every.mean()), 4),
                1 / size,
                len(every),
                _suspect_interval(hits, seed),
            )
        )
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
        hits = _closed_world(grouped, authors, k, 1, random.Random(seed))
        every = np.concatenate(hits)
        points.append(
            CurvePoint(
                k,
                round(float(every.mean()), 4),
                1 / len(authors),
                len(every),
                _suspect_interval(hits, seed),
            )
        )
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

    def ci(key: str, share: bool = True) -> str:
        low, high = ow.intervals.get(key, (float("nan"), float("nan")))
        return f" (95% CI {low:.0%}-{high:.0%})" if share else f" (95% CI {low:.2f}-{high:.2f})"

    recall = ", ".join(
        f"at recall {r}: {'never reached' if p is None else f'{p:.0%}' + ci(r)}"
        for r, p in ow.precision_at_recall.items()
    )
    lines = [
        f"open world ({MEASURED}): {ow.suspects} suspects, {ow.outsiders} outsiders, "
        f"{ow.test_texts} test texts",
        f"  right suspect first, no reject: {ow.accuracy_without_reject:.1%}"
        f"{ci('accuracy_without_reject')}; telling outsiders apart (AUC): "
        f"{ow.outsider_auc:.2f}{ci('outsider_auc', share=False)}",
        f"  precision {recall}",
        f"unsupervised linking ({MEASURED}): {lk.texts} texts by {lk.authors} authors; "
        f"random pairs share an author {lk.same_author_pair_share:.1%} of the time",
    ]

    def span(interval: tuple[float, float] | None) -> str:
        return "" if interval is None else f" ({interval[0]:.1%}-{interval[1]:.1%})"

    lines += [
        f"  merge below {p.threshold:.3f}: {p.clusters} clusters, pairwise precision "
        f"{'-' if p.pairwise_precision is None else f'{p.pairwise_precision:.1%}'}"
        f"{span(p.precision_interval)}, recall {p.pairwise_recall:.1%}{span(p.recall_interval)}"
        for p in lk.curve
    ]
    lines.append(
        "top-1 as suspects grow: "
        + ", ".join(
            f"{p.x}: {p.top1:.1%}{span(p.interval)} (chance {p.chance:.1%})"
            for p in threats.candidates
        )
    )
    lines.append(
        "top-1 as texts per author grow: "
        + ", ".join(f"{p.x}: {p.top1:.1%}{span(p.interval)}" for p in threats.samples)
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
