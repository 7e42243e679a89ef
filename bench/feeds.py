"""Hot read paths, measured side by side in one run (ratios, not absolute targets).

    .venv/bin/python bench/feeds.py [--notes 500] [--requests 200]

Seeds a demo community in a temporary folder, then times, through the real
ASGI app: the Discover first page with the brief cache and without it, a later
(uncached) page, a note page, and a search. Prints medians and ratios.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from momo.config import Settings
from momo.core import Momo
from momo.demo import seed
from momo.web.app import create_app


def _median_ms(client: TestClient, url: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        seed(Settings(data_dir=data), notes=args.notes, accounts=120)
        cached = TestClient(create_app(Momo(Settings(data_dir=data, feed_cache_seconds=60))))
        uncached = TestClient(create_app(Momo(Settings(data_dir=data, feed_cache_seconds=0))))
        first = uncached.get("/api/feed?kind=discover").json()
        note_id = first["items"][0]["id"]
        rows = {
            "discover p1 (cached)": _median_ms(cached, "/api/feed?kind=discover", args.requests),
            "discover p1 (no cache)": _median_ms(
                uncached, "/api/feed?kind=discover", args.requests
            ),
            "discover p2 (keyset)": _median_ms(
                uncached, f"/api/feed?kind=discover&cursor={first['next_cursor']}", args.requests
            ),
            "latest p1 (no cache)": _median_ms(uncached, "/api/feed?kind=latest", args.requests),
            "note page": _median_ms(uncached, f"/api/notes/{note_id}", args.requests),
            "search 成都 (no cache)": _median_ms(uncached, "/api/search?q=成都", args.requests),
        }
    baseline = rows["discover p1 (no cache)"]
    print(f"{'path':<26}{'median ms':>10}{'vs uncached p1':>16}")
    for name, value in rows.items():
        print(f"{name:<26}{value:>10.2f}{value / baseline:>15.2f}x")


if __name__ == "__main__":
    main()
