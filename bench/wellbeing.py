"""A heavy user's month on Momo, against an infinite feed: notes served per day.

    .venv/bin/python bench/wellbeing.py                # 200 sessions over 30 days
    .venv/bin/python bench/wellbeing.py --smoke        # a few days, for CI

Two real ``momo serve`` processes run side by side on SQLite, filled with the
same kind of pool (``bench/scale.py``'s builder) and fed the same number of new
notes every simulated day over HTTP:

* **infinite** runs with ``MOMO_DISCOVER_DAILY_NOTES=0``: Discover never ends,
  and the person scrolls until they would have stopped anyway. This is the
  baseline of mainstream feeds.
* **defaults** and **all options** share the second server, with Momo's
  defaults: Discover ends after the day's 100 notes, and Latest stops where
  this device stopped last time.

One simulated person (seeded) makes the sessions: a start hour weighted to
lunch, evening and late night, an intended length drawn from a log-normal
(median 18 minutes), and six seconds per card. What happens on the device
(the day's minutes, the sitting, quiet hours, the last card seen in Latest)
is simulated here exactly as ``pace.js`` keeps it, and none of it is sent: the
server sees the same feed requests any reader makes. With **all options**, the
person has a 30-minute daily budget, a break reminder every 20 minutes and quiet
hours from 23:00 to 07:00; how often a reminder is heeded is an assumption,
printed with the results. Every figure counts cards the server sent.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import _free_port, _server, build

from momo.config import Settings
from momo.core import Momo

SECONDS_PER_CARD = 6
BUDGET_MINUTES = 30
BREAK_EVERY_MINUTES = 20
QUIET = (23, 7)
# How often a person heeds each nudge: assumptions, not measurements.
HEEDS_QUIET = 0.6
HEEDS_BREAK = 0.5
HEEDS_BUDGET = 0.7
# When a heavy user opens the app (hour: weight).
HOURS = {7: 2, 8: 3, 12: 5, 13: 4, 18: 4, 19: 5, 20: 6, 21: 7, 22: 8, 23: 8, 0: 6, 1: 3}


@dataclass
class Session:
    day: int
    hour: int
    minutes: float  # how long the person would scroll if nothing stopped them


@dataclass
class Device:
    """What pace.js keeps in the browser, and nothing more."""

    discover_done_day: int = -1
    latest_newest: str | None = None
    day: int = -1
    day_minutes: float = 0.0
    budget_shown: bool = False


@dataclass
class Tally:
    served: Counter[int] = field(default_factory=Counter)
    minutes: Counter[int] = field(default_factory=Counter)
    endings: Counter[str] = field(default_factory=Counter)


def sessions(count: int, days: int, rng: random.Random) -> list[Session]:
    hours, weights = zip(*HOURS.items(), strict=True)
    out = []
    for _ in range(count):
        minutes = min(120.0, rng.lognormvariate(math.log(18), 0.6))
        out.append(Session(rng.randrange(days), rng.choices(hours, weights)[0], minutes))
    return sorted(out, key=lambda s: (s.day, (s.hour - 5) % 24))


class Reader:
    """One person's sittings against one server, in one of three modes."""

    def __init__(self, base: str, mode: str, rng: random.Random) -> None:
        self.client = httpx.Client(base_url=base, timeout=60)
        self.mode = mode
        self.rng = rng
        self.device = Device()
        self.tally = Tally()

    def feed(self, kind: str, cursor: str | None) -> dict[str, object]:
        params = {"kind": kind, **({"cursor": cursor} if cursor else {})}
        page: dict[str, object] = self.client.get("/api/feed", params=params).json()
        return page

    def sit(self, session: Session) -> None:
        device, options = self.device, self.mode == "all options"
        if device.day != session.day:
            device.day, device.day_minutes, device.budget_shown = session.day, 0.0, False
        if options and _in_quiet(session.hour) and self.rng.random() < HEEDS_QUIET:
            self.tally.endings["quiet hours"] += 1
            return
        used = 0.0

        def read(cards: int) -> str | None:
            """Minutes pass card by card; returns why the sitting ends, if it does."""
            nonlocal used
            for _ in range(cards):
                used += SECONDS_PER_CARD / 60
                device.day_minutes += SECONDS_PER_CARD / 60
                if used >= session.minutes:
                    return "had enough"
                if options and not device.budget_shown and device.day_minutes >= BUDGET_MINUTES:
                    device.budget_shown = True
                    if self.rng.random() < HEEDS_BUDGET:
                        return "daily budget"
                step = SECONDS_PER_CARD / 60
                reminded = used // BREAK_EVERY_MINUTES > (used - step) // BREAK_EVERY_MINUTES
                if options and reminded and self.rng.random() < HEEDS_BREAK:
                    return "break reminder"
            return None

        ending = self._discover(session, read) or self._latest(read)
        self.tally.served[session.day] += 0  # the day exists even when nothing was served
        self.tally.minutes[session.day] += used
        self.tally.endings[ending] += 1

    def _discover(self, session: Session, read: Callable[[int], str | None]) -> str | None:
        cursor = None
        if self.mode != "infinite" and self.device.discover_done_day == session.day:
            # Finished today: the first page is the same set again, so on to Latest.
            page = self.feed("discover", None)
            self._count(session.day, page)
            return read(min(4, len(page["items"])))  # type: ignore[arg-type]
        while True:
            page = self.feed("discover", cursor)
            self._count(session.day, page)
            ending = read(len(page["items"]))  # type: ignore[arg-type]
            if ending:
                return ending
            cursor = page["next_cursor"]  # type: ignore[assignment]
            if cursor is None:
                if self.mode == "infinite":
                    return "the feed ran out"  # never, with a big enough pool
                self.device.discover_done_day = session.day
                return None

    def _latest(self, read: Callable[[int], str | None]) -> str:
        stop, cursor, first = self.device.latest_newest, None, True
        while True:
            page = self.feed("latest", cursor)
            self._count(self.device.day, page)
            ids = [item["id"] for item in page["items"]]  # type: ignore[union-attr, index]
            if first and ids:
                self.device.latest_newest, first = ids[0], False
            fresh = ids[: ids.index(stop)] if stop in ids else ids
            ending = read(len(fresh))
            if ending:
                return ending
            if stop in ids:
                return "caught up"
            cursor = page["next_cursor"]  # type: ignore[assignment]
            if cursor is None:
                return "caught up"

    def _count(self, day: int, page: dict[str, object]) -> None:
        self.tally.served[day] += len(page["items"])  # type: ignore[arg-type]


def _in_quiet(hour: int) -> bool:
    start, end = QUIET
    return hour >= start or hour < end


def _instance(folder: Path, pool: int, accounts: int) -> list[str]:
    momo = Momo(Settings(data_dir=folder))
    momo.migrate()
    built = build(momo, pool, seed=3, accounts=accounts)
    momo.close()
    return built.keys


def _writers(base: str, keys: list[str]) -> list[httpx.Client]:
    clients = []
    for n, key in enumerate(keys):
        # Sign-ins are limited per client address: spread the writers over loopback ones.
        transport = httpx.HTTPTransport(local_address=f"127.0.0.{2 + n // 25}")
        client = httpx.Client(base_url=base, timeout=60, transport=transport)
        client.post("/api/session", json={"account_key": key}).raise_for_status()
        clients.append(client)
    return clients


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--daily-posts", type=int, default=120, help="new notes per day")
    parser.add_argument("--pool", type=int, default=3000, help="notes before day one")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="a few days, fewer notes")
    args = parser.parse_args()
    if args.smoke:
        args.days, args.sessions, args.daily_posts, args.pool = 3, 20, 20, 600

    # Each settled account may post 20 notes an hour: enough writers for the month.
    accounts = max(20, math.ceil(args.days * args.daily_posts / 18))
    folders = {
        name: Path(tempfile.mkdtemp(prefix=f"momo-wellbeing-{name}-")) for name in ("a", "b")
    }
    keys = {name: _instance(folder, args.pool, accounts) for name, folder in folders.items()}
    common = {
        "MOMO_REQUESTS_PER_MINUTE": str(10**8),
        "MOMO_TIME_GRANULARITY_MINUTES": "0.05",
        "MOMO_COMMENT_GRANULARITY_MINUTES": "0.05",
        "MOMO_FEED_CACHE_SECONDS": "0",
    }
    ports = {"a": _free_port(), "b": _free_port()}
    limits = {"a": "0", "b": str(Settings().discover_daily_notes)}
    rng = random.Random(args.seed)
    plan = sessions(args.sessions, args.days, rng)
    started = time.perf_counter()
    with (
        _server(*_serve("a", ports, folders, limits, common)) as _,
        _server(*_serve("b", ports, folders, limits, common)) as _,
    ):
        bases = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        writers = {name: _writers(bases[name], keys[name]) for name in bases}
        readers = {
            "infinite": Reader(bases["a"], "infinite", random.Random(args.seed)),
            "defaults": Reader(bases["b"], "defaults", random.Random(args.seed)),
            "all options": Reader(bases["b"], "all options", random.Random(args.seed)),
        }
        posted = 0
        for day in range(args.days):
            for name in bases:
                for i in range(args.daily_posts):
                    writer = writers[name][(posted + i) % len(writers[name])]
                    title = f"第 {day + 1} 天 · note {i}"
                    writer.post("/api/notes", json={"title": title, "body": "today #daily"})
            posted += args.daily_posts
            time.sleep(3.5)  # the day's notes go public when their bucket ends
            for session in (s for s in plan if s.day == day):
                for reader in readers.values():
                    reader.sit(session)
    _report(args, readers, time.perf_counter() - started)


def _serve(
    name: str,
    ports: dict[str, int],
    folders: dict[str, Path],
    limits: dict[str, str],
    common: dict[str, str],
) -> tuple[list[str], dict[str, str], int, str]:
    argv = [sys.executable, "-m", "momo", "serve", "--port", str(ports[name])]
    env = {**common, "MOMO_DATA_DIR": str(folders[name]), "MOMO_DISCOVER_DAILY_NOTES": limits[name]}
    return argv, env, ports[name], "/api/persona"


def _report(args: argparse.Namespace, readers: dict[str, Reader], seconds: float) -> None:
    days = range(args.days)
    print(f"# A heavy user's month: {args.sessions} sessions over {args.days} days")
    print(
        f"({args.pool:,} notes before day one, {args.daily_posts} new a day, "
        f"{SECONDS_PER_CARD} s per card, seed {args.seed}; ran in {seconds:.0f} s)\n"
    )
    print(
        "| mode | notes served per day (mean) | median day | busiest day | minutes per day | vs infinite |"
    )
    print("|---|---|---|---|---|---|")
    baseline = statistics.mean(readers["infinite"].tally.served[d] for d in days) or 1.0
    for name, reader in readers.items():
        served = [reader.tally.served[d] for d in days]
        minutes = statistics.mean(reader.tally.minutes[d] for d in days)
        mean = statistics.mean(served)
        print(
            f"| {name} | {mean:,.0f} | {statistics.median(served):,.0f} | {max(served):,} "
            f"| {minutes:.0f} | {mean / baseline:.0%} |"
        )
    print("\nHow sessions ended:")
    for name, reader in readers.items():
        endings = ", ".join(f"{k} {v}" for k, v in reader.tally.endings.most_common())
        print(f"- {name}: {endings}")
    print(
        f"\nAssumed: a quiet-hours page is heeded {HEEDS_QUIET:.0%} of the time, a break "
        f"reminder {HEEDS_BREAK:.0%}, the daily budget {HEEDS_BUDGET:.0%}; budget "
        f"{BUDGET_MINUTES} min, breaks every {BREAK_EVERY_MINUTES} min, quiet {QUIET[0]}:00–0{QUIET[1]}:00."
    )
    failed = readers["infinite"].tally.endings["the feed ran out"]
    if failed:
        raise SystemExit(f"the pool was too small: the infinite feed ran out {failed} times")
    means = {name: sum(r.tally.served.values()) for name, r in readers.items()}
    if not means["all options"] <= means["defaults"] < means["infinite"]:
        raise SystemExit(f"a feed that ends served no less than the infinite one: {means}")


if __name__ == "__main__":
    main()
