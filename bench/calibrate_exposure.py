"""Fit the style check's calibration and report it on authors it never saw.

    .venv/bin/python bench/calibrate_exposure.py [--corpora ../shared/corpora] [--drafts 300]

Half of each corpus's authors (by a hash of the name) fit the Platt map from the
composer's statistic to the chance that an attacker among 10 suspects recognises the
writer; the other half measure it. Writes src/momo/audit/exposure_calibration.json
with the held-out figures, and prints them.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from momo.audit import calibration

CORPORA = ("mail-ham-a", "tang-shi")


def load(path: Path) -> dict[str, list[str]]:
    by_author: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_author[str(record["author"])].append(str(record["text"]))
    return dict(by_author)


def main() -> None:
    parser = argparse.ArgumentParser()
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--corpora", type=Path, default=root.parent / "shared" / "corpora")
    parser.add_argument("--drafts", type=int, default=300, help="per corpus and half")
    parser.add_argument("--out", type=Path, default=calibration.SHIPPED)
    args = parser.parse_args()
    started = time.perf_counter()
    training, held_out = [], []
    for name in CORPORA:
        by_author = load(args.corpora / f"{name}.jsonl")
        training += calibration.trials(name, calibration.half(by_author, 0), args.drafts, seed=1)
        held_out += calibration.trials(name, calibration.half(by_author, 1), args.drafts, seed=2)
    fitted = calibration.fit(
        training, fitted_on=", ".join(f"{n} (authors in half 0)" for n in CORPORA)
    )
    figures = {"all": calibration.evaluate(fitted, held_out)}
    for name in CORPORA:
        figures[name] = calibration.evaluate(fitted, [t for t in held_out if t.corpus == name])
    result = calibration.Calibration(
        weights=fitted.weights,
        intercept=fitted.intercept,
        candidates=fitted.candidates,
        fitted_on=fitted.fitted_on,
        held_out={
            f"{group}.{key}": round(value, 4)
            for group, row in figures.items()
            for key, value in row.items()
        },
    )
    args.out.write_text(result.to_json(), encoding="utf-8")
    print(
        f"fitted in {time.perf_counter() - started:.0f} s: weights {fitted.weights}, intercept {fitted.intercept:.3f}"
    )
    print(
        f"{'held out':<12}{'drafts':>8}{'recognised':>12}{'ECE':>8}{'AUC':>8}{'low share':>11}{'low: recognised':>17}"
    )
    for group, row in figures.items():
        print(
            f"{group:<12}{row['drafts']:>8.0f}{row['recognised']:>12.3f}{row['ece']:>8.3f}{row['auc']:>8.3f}"
            f"{row['low_share']:>11.3f}{row['low_recognised']:>17.3f}"
        )
    print(
        f"chance among {calibration.CANDIDATES} suspects: {1 / calibration.CANDIDATES:.3f}; 'low' must stay under 3x chance"
    )


if __name__ == "__main__":
    main()
