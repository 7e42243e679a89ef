"""The anonymity audit as a benchmark: headline figures per corpus, the open-world,
unsupervised, cross-domain and scaling tables (each labelled measured or simulated),
and its speed.

    .venv/bin/python bench/audit.py [CORPUS.jsonl ...]

Without arguments it uses the shared corpora beside the project (../shared/corpora),
and a 2,000-text corpus made of both, which is the size the speed target is set for
(all channels and regimes in under 60 s on 2 cores).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from momo.audit.corpus import Post, load  # noqa: E402
from momo.audit.report import ROWS  # noqa: E402
from momo.audit.run import audit, seed_sweep, style_without_boilerplate  # noqa: E402
from momo.audit.stylometry import BASELINE  # noqa: E402
from momo.audit.threats import assess, describe  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import chinese_poetry  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpora"


def headline(name: str, posts: list[Post]) -> float:
    started = time.perf_counter()
    result = audit(posts)
    elapsed = time.perf_counter() - started
    print(f"\n{name}: {result.posts} texts, {result.authors} authors, {elapsed:.1f} s")
    print(
        f"  style attacker: {result.style_attacker} {100 * result.style_accuracy[result.style_attacker]:.1f}% "
        f"(baseline {100 * result.style_accuracy[BASELINE]:.1f}%)"
    )
    print(
        f"  {'regime':<10}{'identifier':>11}{'in-thr':>8}{'x-thr':>8}{'timing':>8}{'region':>8}"
        f"{'image':>8}{'style':>8}{'all':>8}   top-1 %, chance {100 / result.authors:.1f}%"
    )
    for regime, channels in result.scores.items():
        cells = "".join(
            (f"{100 * channels[c].top1.value:>8.1f}" if c in channels else f"{'-':>8}")
            for c in ROWS
            if c not in ("identifier", "voice")
        )
        print(f"  {regime:<10}{100 * channels['identifier'].top1.value:>11.1f}{cells}")
    return elapsed


def main() -> None:
    paths = [Path(a) for a in sys.argv[1:] if not a.startswith("--")] or sorted(
        SHARED.glob("*.jsonl")
    )
    if not paths:
        sys.exit("no corpus given and no shared corpora found")
    corpora = {path.name: load(path) for path in paths}
    for name, posts in corpora.items():
        headline(name, posts)
        with_lines, without, removed = style_without_boilerplate(posts)
        print(
            f"  style without each author's repeated lines ({removed} removed): "
            f"{100 * without:.1f}% (with them {100 * with_lines:.1f}%)"
        )
        print(f"\n{name}: the threats beyond a closed world")
        for line in describe(assess(posts)):
            print(f"  {line}")
    first = next(iter(corpora))
    print(f"\n{first}: momo regime top-1 over seeds 7-9 (lowest-highest; split and metadata vary)")
    for channel, (low, high) in seed_sweep(corpora[first], range(7, 10))["momo"].items():
        print(f"  {channel:<22}{100 * low:>6.1f} - {100 * high:.1f}")
    merged = [post for posts in corpora.values() for post in posts][:2000]
    elapsed = headline(f"speed check: first 2,000 texts of {' + '.join(corpora)}", merged)
    print(f"\n2,000-text audit: {elapsed:.1f} s of a 60 s budget ({elapsed / 60:.2f} of it)")
    print("\nin-thr: voice inside a thread (linking shown by design); x-thr: across threads.")
    print("Style is measured on the text; every other metadata channel is simulated.")
    if "--no-poetry" not in sys.argv:
        print("\nchinese-poetry: the curve to 1,000 suspects and cross-domain (shi -> ci)")
        chinese_poetry.main([])


if __name__ == "__main__":
    main()
