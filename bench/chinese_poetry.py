"""The Chinese curve over thousands of candidate authors, and a real cross-domain test,
from the npm package chinese-poetry 2.0.1 (MIT licence, copyright 2016 JackeyGao; the
poems are in the public domain).

    .venv/bin/python bench/chinese_poetry.py [--package DIR] [--authors 2000]

Without --package it fetches the package with `npm pack` into .cache/ (85 MB, once).

* Candidates: Song shi poets with at least 10 poems; top-1 from 10 to 2,000 suspects.
* Cross-domain: poets who wrote both shi (poet.song.*) and ci (songci/ci.song.*): the
  attacker learns their shi and attributes their ci. Both are folded to Simplified
  characters first (the package stores the shi in Traditional and the ci in
  Simplified), so the script does not give the author away.

Every figure is measured on the texts; nothing is simulated.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tarfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from momo.audit.corpus import Post  # noqa: E402
from momo.audit.threats import candidate_curve, cross_domain  # noqa: E402
from momo.content.text import fold  # noqa: E402

VERSION = "2.0.1"


def fetch(cache: Path) -> Path:
    package = cache / "package"
    if not package.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", f"chinese-poetry@{VERSION}", "--silent"], cwd=cache, check=True
        )
        with tarfile.open(cache / f"chinese-poetry-{VERSION}.tgz") as archive:
            archive.extractall(cache, filter="data")
    return package


def poems(files: list[Path]) -> dict[str, list[str]]:
    by_author: dict[str, list[str]] = defaultdict(list)
    for path in files:
        for poem in json.loads(path.read_text(encoding="utf-8")):
            author, lines = poem.get("author"), poem.get("paragraphs") or []
            if author and lines and author not in ("不詳", "不详", "无名氏", "無名氏"):
                by_author[fold(author)].append(fold("".join(lines)))
    return dict(by_author)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", type=Path, default=None)
    parser.add_argument("--authors", type=int, default=2000)
    args = parser.parse_args(argv)
    package = args.package or fetch(ROOT / ".cache" / "chinese-poetry")
    dist = package / "dist"
    started = time.perf_counter()
    shi = poems(sorted((dist / "quantangshi").glob("poet.song.*.json")))
    ci = poems(sorted((dist / "songci").glob("ci.song.*.json")))
    rng = random.Random(7)
    prolific = sorted(a for a, texts in shi.items() if len(texts) >= 10)
    chosen = rng.sample(prolific, min(args.authors, len(prolific)))
    corpus = [
        Post(f"{a}-{i}", a, text) for a in chosen for i, text in enumerate(rng.sample(shi[a], 10))
    ]
    print(f"Song shi: {len(prolific)} poets with 10+ poems; {len(chosen)} used, 10 poems each")
    sizes = [s for s in (10, 30, 100, 300, 1000, 2000) if s <= len(chosen)]
    print("top-1 as suspects grow (measured; 95% interval resampling suspects):")
    for point in candidate_curve(corpus, sizes=sizes, draws=2):
        interval = f"{point.interval[0]:.1%}-{point.interval[1]:.1%}" if point.interval else "-"
        print(f"  {point.x:>5} suspects: {point.top1:6.1%} ({interval}), chance {point.chance:.2%}")
    both = sorted(a for a in set(shi) & set(ci) if len(shi[a]) >= 5 and len(ci[a]) >= 5)
    train = [Post(f"s{a}{i}", a, t) for a in both for i, t in enumerate(shi[a][:60])]
    test = [Post(f"c{a}{i}", a, t) for a in both for i, t in enumerate(ci[a][:20])]
    result = cross_domain(train, test)
    print(
        f"cross-domain (measured): {result.authors} poets who wrote both; learnt on their shi, "
        f"attributing {result.test_texts} ci: top-1 {result.top1:.1%} (chance {result.chance:.1%})"
    )
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
