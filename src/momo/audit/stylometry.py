"""The stylometric attacker: the channel collective anonymity cannot hide.

The audit must never understate risk, so the attacker is a panel: the field's
baseline (character 1–3-gram TF-IDF with a linear SVM), a character 1–2-gram
model that suits unsegmented Chinese, and their fusion. In each outer fold an
inner cross-validation on the training texts alone picks the member and the
softmax temperature (nested cross-validation), and the vectoriser is fitted on
training texts only, so no test label or test text shapes the attacker. Every
member's out-of-fold accuracy is reported beside the baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

Folds = list[tuple[NDArray[np.int64], NDArray[np.int64]]]
TEMPERATURES = np.geomspace(0.25, 32, 22)


@dataclass(frozen=True)
class StyleResult:
    posterior: NDArray[np.float64]
    accuracy: dict[str, float]  # each panel member's out-of-fold top-1, for the report
    chosen: str  # the member chosen most often by the inner selection


VECTORIZERS: dict[str, Callable[[], TfidfVectorizer]] = {
    "baseline char 1-3 TF-IDF + linear SVM": lambda: TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True
    ),
    "char 1-2 TF-IDF + linear SVM": lambda: TfidfVectorizer(
        analyzer="char", ngram_range=(1, 2), sublinear_tf=True
    ),
}
BASELINE = "baseline char 1-3 TF-IDF + linear SVM"
FUSION = "fusion of both"
INNER_FOLDS = 2


def _decide(
    texts: Sequence[str],
    truth: NDArray[np.int64],
    train: NDArray[np.int64],
    test: NDArray[np.int64],
    classes: int,
) -> dict[str, NDArray[np.float64]]:
    """Every panel member's decision values for ``test``, learnt on ``train`` alone:
    the vocabulary and IDF too, so nothing about the test texts leaks in."""
    out: dict[str, NDArray[np.float64]] = {}
    for name, make in VECTORIZERS.items():
        vectorizer = make()
        train_features = vectorizer.fit_transform([texts[i] for i in train])
        model = LinearSVC(C=1.0).fit(train_features, truth[train])
        decision = model.decision_function(vectorizer.transform([texts[i] for i in test]))
        if decision.ndim == 1:  # two classes
            decision = np.stack([-decision, decision], axis=1)
        scores = np.full((len(test), classes), -10.0)
        scores[:, model.classes_] = decision
        out[name] = scores
    standardised = [(d - d.mean()) / (d.std() or 1.0) for d in out.values()]
    out[FUSION] = sum(standardised) / len(standardised)
    return out


def _softmax(decision: NDArray[np.float64], scale: float) -> NDArray[np.float64]:
    z = decision * scale
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    probabilities: NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
    return probabilities


def best_temperature(decision: NDArray[np.float64], truth: NDArray[np.int64]) -> float:
    """The softmax scale with the lowest log-loss on these (held-out) outcomes."""

    def loss(scale: float) -> float:
        p = _softmax(decision, scale)[np.arange(len(truth)), truth]
        return float(-np.log(np.clip(p, 1e-12, 1)).mean())

    return float(min(TEMPERATURES, key=loss))


def _accuracy(decision: NDArray[np.float64], truth: NDArray[np.int64]) -> float:
    return float((decision.argmax(axis=1) == truth).mean())


def _outer_fold(
    texts: Sequence[str],
    truth: NDArray[np.int64],
    train: NDArray[np.int64],
    test: NDArray[np.int64],
    classes: int,
    seed: int,
) -> tuple[NDArray[np.int64], dict[str, NDArray[np.float64]], str, float]:
    """Nested selection: the member and its temperature are chosen by an inner
    cross-validation on this fold's training texts, never on its test labels."""
    inner_truth = truth[train]
    inner: dict[str, NDArray[np.float64]] = {}
    splitter = StratifiedKFold(n_splits=INNER_FOLDS, shuffle=True, random_state=seed)
    for inner_train, inner_test in splitter.split(np.zeros(len(train)), inner_truth):
        for name, decision in _decide(
            texts, truth, train[inner_train], train[inner_test], classes
        ).items():
            inner.setdefault(name, np.zeros((len(train), classes)))[inner_test] = decision
    chosen = max(inner, key=lambda name: _accuracy(inner[name], inner_truth))
    scale = best_temperature(inner[chosen], inner_truth)
    return test, _decide(texts, truth, train, test, classes), chosen, scale


def attack(
    texts: Sequence[str], truth: NDArray[np.int64], folds: Folds, classes: int, seed: int = 0
) -> StyleResult:
    """Out-of-fold posteriors of the panel member each fold's inner selection chose.
    Every author needs at least ``INNER_FOLDS`` texts in each training part."""
    runs = Parallel(n_jobs=2)(
        delayed(_outer_fold)(texts, truth, train, test, classes, seed) for train, test in folds
    )
    posterior = np.zeros((len(truth), classes))
    outer: dict[str, NDArray[np.float64]] = {}
    picks: list[str] = []
    for test, decisions, chosen, scale in runs:
        posterior[test] = _softmax(decisions[chosen], scale)
        for name, decision in decisions.items():
            outer.setdefault(name, np.zeros((len(truth), classes)))[test] = decision
        picks.append(chosen)
    accuracy = {name: _accuracy(decision, truth) for name, decision in outer.items()}
    return StyleResult(posterior, accuracy, max(set(picks), key=picks.count))
