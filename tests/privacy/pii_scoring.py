"""Precision, recall and F1 per kind, exact-span and overlap."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

Span = tuple[int, int, str]


def score(
    rows: Iterable[dict[str, Any]], predict: Callable[[str], list[Span]], overlap: bool
) -> dict[str, dict[str, float]]:
    tp, fp, fn = Counter[str](), Counter[str](), Counter[str]()
    for row in rows:
        gold = [(s["start"], s["end"], s["kind"]) for s in row["spans"]]
        found = predict(row["text"])
        matched_gold: set[int] = set()
        for start, end, kind in found:
            hit = next(
                (
                    i
                    for i, (gs, ge, gk) in enumerate(gold)
                    if i not in matched_gold
                    and gk == kind
                    and ((start < ge and end > gs) if overlap else (start, end) == (gs, ge))
                ),
                None,
            )
            if hit is None:
                fp[kind] += 1
            else:
                matched_gold.add(hit)
                tp[kind] += 1
        for i, (_, _, kind) in enumerate(gold):
            if i not in matched_gold:
                fn[kind] += 1
    result = {}
    for kind in sorted(set(tp) | set(fp) | set(fn)):
        precision = tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 1.0
        recall = tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[kind] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": tp[kind] + fn[kind],
        }
    return result
