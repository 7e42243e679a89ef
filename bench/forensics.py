"""The unlinkability attacks of issue 9, run against a live server, with figures.

    .venv/bin/python bench/forensics.py                      # this tree, SQLite
    .venv/bin/python bench/forensics.py --tree OLD_CHECKOUT  # another release, side by side
    .venv/bin/python bench/forensics.py --postgres postgresql+psycopg://postgres@127.0.0.1/test

A real ``momo serve`` runs from the given source tree (its ``src`` first on the
path). Eight people post notes with photos from their own "cameras", comment,
bookmark and get reported, through the HTTP API only, so any release can be
attacked the same way. Then, as an attacker would:

* hot copy: copy the SQLite file and its WAL while the server runs, parse the
  frames and link items whose transactions changed the same row;
* PostgreSQL (``--postgres``): read every row version with ``pageinspect`` and
  link items by ``xmin``;
* curious moderator: sanction one item at a time and watch which other queue
  items change, the way the "prior sanctions" count was read;
* poller: poll the feed and a thread every half second while comments are
  written, and time when each appears;
* cameras: compare served cover sizes between notes;
* order: read the file's rows in physical order after ``VACUUM``;
* remnants: edit and delete text, then search every file of the data folder.

The attack code is the audit's (src/momo/audit/forensics.py). Figures are counts
from one run; run both trees in the same session to compare them.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.server import sign_up_over_http  # noqa: E402

from momo.audit.forensics import (  # noqa: E402
    Transaction,
    clues,
    link_items,
    locate,
    postgres_row_versions,
    wal_transactions,
)

AUTHORS = 8
NOTES_EACH = 5
CAMERAS = [(4032, 3024), (4000, 3000), (3264, 2448), (4032, 3024), (1920, 1440), (4000, 3000)]
CAMERAS += [(3000, 4000), (1440, 1920)]


@dataclass
class Findings:
    rows: list[tuple[str, str]] = field(default_factory=list)

    def add(self, attack: str, result: str) -> None:
        self.rows.append((attack, result))
        print(f"  {attack}: {result}", flush=True)


@contextmanager
def server(tree: Path, data_dir: Path, env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": str(tree / "src"),
        "MOMO_DATA_DIR": str(data_dir),
        "MOMO_POW_DIFFICULTY": "6",
        "MOMO_SIGNUPS_PER_HOUR": "100",
        "MOMO_FEED_CACHE_SECONDS": "0",
        "MOMO_TIME_GRANULARITY_MINUTES": "1",
        **env,
    }
    log = open(data_dir.parent / "server.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "momo", "serve", "--port", str(port)],
        env=environment,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/api/persona", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise SystemExit((data_dir.parent / "server.log").read_text()) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def account(base: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=60)
    return client, sign_up_over_http(client)


def grant_moderator(tree: Path, data_dir: Path, key: str, env: dict[str, str]) -> None:
    environment = {**os.environ, "PYTHONPATH": str(tree / "src"), "MOMO_DATA_DIR": str(data_dir)}
    environment.update(env)
    command = [sys.executable, "-m", "momo", "admin", "grant", "moderator"]
    done = subprocess.run(command, input=key + "\n", text=True, env=environment, check=False)
    if done.returncode != 0:  # the first release took the key as an argument
        subprocess.run([*command, "--account-key", key], env=environment, check=True)


def photo(size: tuple[int, int], rng: random.Random) -> bytes:
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))  # type: ignore[arg-type]
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()


def wait_visible(client: httpx.Client, ids: set[str], seconds: float = 150) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(client.get(f"/api/notes/{i}").status_code == 200 for i in ids):
            return
        time.sleep(1)
    raise SystemExit("notes never became visible")


def pairs_summary(truth: dict[str, str], linked: dict[frozenset[str], bool]) -> str:
    same = sum(1 for a, b in itertools.combinations(truth, 2) if truth[a] == truth[b])
    right = sum(linked.values())
    return f"{right} of {same} same-author pairs linked, {len(linked) - right} false links"


def run(tree: Path, postgres: str | None) -> Findings:
    findings = Findings()
    work = Path(tempfile.mkdtemp(prefix="momo-forensics-"))
    data_dir = work / "data"
    env: dict[str, str] = {}
    schema = None
    if postgres:
        schema = f"forensics_{os.getpid()}"
        from sqlalchemy import create_engine, text

        engine = create_engine(postgres)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
        engine.dispose()
        env["MOMO_DATABASE_URL"] = f"{postgres}?options=-csearch_path%3D{schema}"
    rng = random.Random(9)
    print(f"attacking a server built from {tree}", flush=True)
    with server(tree, data_dir, env) as base:
        people = [account(base) for _ in range(AUTHORS)]
        reporters = [account(base)[0] for _ in range(4)]
        moderator, moderator_key = account(base)
        grant_moderator(tree, data_dir, moderator_key, env)
        anonymous = httpx.Client(base_url=base, timeout=60)

        truth: dict[str, str] = {}
        order: list[str] = []
        for round_ in range(NOTES_EACH):
            for index, (client, _) in enumerate(people):
                body = f"note {round_} by someone {rng.random():.6f}"
                response = client.post(
                    "/api/notes/with-images",
                    data={"title": f"day {round_}", "body": body},
                    files=[("images", ("p.jpg", photo(CAMERAS[index], rng), "image/jpeg"))],
                )
                response.raise_for_status()
                note = response.json()["id"]
                truth[note] = f"a{index}"
                order.append(note)
        wait_visible(anonymous, set(order))

        # -- poller, while comments and bookmarks are written ---------------------
        thread = order[0]
        first_seen: dict[str, float] = {}
        stop = threading.Event()

        def poll() -> None:
            watcher = httpx.Client(base_url=base, timeout=60)
            while not stop.is_set():
                page = watcher.get(f"/api/notes/{thread}").json()
                for top in page.get("comments", []):
                    for comment in [top, *top.get("replies", [])]:
                        first_seen.setdefault(comment["id"], time.time())
                time.sleep(0.5)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        posted: dict[str, float] = {}
        comment_truth: dict[str, str] = {}
        for index, (client, _) in enumerate(people):
            for _ in range(2):
                time.sleep(rng.uniform(2, 6))
                response = client.post(
                    f"/api/notes/{thread}/comments", json={"body": f"reply {rng.random():.5f}"}
                )
                response.raise_for_status()
                posted[response.json()["id"]] = time.time()
                comment_truth[response.json()["id"]] = f"a{index}"
            # and comments and bookmarks elsewhere, for the hot copy
            others = [n for n in order if truth[n] != f"a{index}" and n != thread]
            for target in rng.sample(others, 2):
                made = client.post(f"/api/notes/{target}/comments", json={"body": "nice"})
                comment_truth[made.json()["id"]] = f"a{index}"
                client.post(f"/api/notes/{target}/collect")
        deadline = time.time() + 150
        while len(first_seen) < len(posted) and time.time() < deadline:
            time.sleep(1)
        stop.set()
        poller.join()
        delays = sorted(first_seen[c] - posted[c] for c in posted if c in first_seen)
        fast = sum(d <= 2 for d in delays)
        seen_order = sorted(posted, key=lambda c: (first_seen.get(c, 1e18), c))
        posting_order = sorted(posted, key=posted.get)  # type: ignore[arg-type]
        kept = sum(
            seen_order.index(a) < seen_order.index(b) and first_seen.get(a) != first_seen.get(b)
            for a, b in itertools.pairwise(posting_order)
        )
        findings.add(
            "poller",
            f"{fast} of {len(posted)} comments seen within 2 s of posting; "
            f"{kept} of {len(posted) - 1} consecutive pairs seen apart in posting order; "
            f"median delay {delays[len(delays) // 2]:.1f} s",
        )

        # -- physical copies ------------------------------------------------------
        everything = {**truth, **comment_truth}
        if postgres:
            from sqlalchemy import create_engine

            engine = create_engine(env["MOMO_DATABASE_URL"])
            with engine.connect() as conn:
                transactions = postgres_row_versions(conn, str(schema))
                conn.commit()
            engine.dispose()
            found, linked = link_items(transactions, everything)
            explain(transactions, everything)
            findings.add(
                "PostgreSQL row versions (xmin)",
                f"{len(found)} items located; " + pairs_summary(everything, linked),
            )
        else:
            copy = work / "hot"
            copy.mkdir()
            for suffix in ("", "-wal"):
                source = data_dir / f"momo.sqlite3{suffix}"
                if source.exists():
                    shutil.copy(source, copy / f"db{suffix}")
            wal = copy / "db-wal"
            transactions = wal_transactions(copy / "db", wal) if wal.exists() else []
            found, linked = link_items(transactions, everything)
            explain(transactions, everything)
            findings.add(
                "hot copy (file + WAL)",
                f"{len(found)} of {len(everything)} items located in the WAL; "
                + pairs_summary(everything, linked),
            )

        # -- cameras ---------------------------------------------------------------
        sizes = {}
        for note in order:
            image = anonymous.get(f"/api/notes/{note}").json()["images"][0]
            sizes[note] = (image["width"], image["height"])
        same_size = [(a, b) for a, b in itertools.combinations(order, 2) if sizes[a] == sizes[b]]
        hits = sum(truth[a] == truth[b] for a, b in same_size)
        base_rate = sum(truth[a] == truth[b] for a, b in itertools.combinations(order, 2))
        total = len(order) * (len(order) - 1) // 2
        findings.add(
            "cameras",
            f"{len(Counter(sizes.values()))} distinct served sizes; same size -> same author "
            f"{hits / max(1, len(same_size)):.0%} against a base rate of {base_rate / total:.0%}",
        )

        # -- curious moderator ---------------------------------------------------------
        for index, note in enumerate(order):
            reporter = reporters[index % len(reporters)]
            reporter.post(
                "/api/reports", json={"target_type": "note", "target_id": note, "reason": "spam"}
            )

        def visible_state() -> dict[str, str]:
            queue = moderator.get("/api/mod/queue").json()
            hidden = {"target_id", "note_id", "note_title", "content", "context"}
            return {
                item["target_id"]: repr(sorted((k, v) for k, v in item.items() if k not in hidden))
                for item in queue
            }

        state = visible_state()
        grouped: dict[frozenset[str], bool] = {}
        for target in order[: AUTHORS * 2]:
            if target not in state:
                continue
            for action in ("sanction", "warn"):  # this release's word, then the first's
                done = moderator.post(
                    "/api/mod/actions",
                    json={
                        "target_type": "note",
                        "target_id": target,
                        "action": action,
                        "rule": "spam",
                    },
                )
                if done.status_code == 201:
                    break
            after = visible_state()
            # The acted-on item may stay queued (a pile-on alert); it says nothing new.
            moved = [i for i in after if i != target and state.get(i) != after[i]]
            for item in moved:
                grouped[frozenset((target, item))] = truth[target] == truth[item]
            state = after
        right = sum(grouped.values())
        findings.add(
            "curious moderator",
            f"{right} same-author pairs revealed by {AUTHORS * 2} sanctions, "
            f"{len(grouped) - right} wrong",
        )

        # -- remnants -------------------------------------------------------------------
        client = people[0][0]
        mine = [n for n in order if truth[n] == "a0"][1:3]
        canaries = {}
        for note in mine:
            canaries[note] = anonymous.get(f"/api/notes/{note}").json()["body"]
        client.patch(f"/api/notes/{mine[0]}", json={"title": "edited", "body": "replaced"})
        client.delete(f"/api/notes/{mine[1]}")
        time.sleep(1)
        if not postgres:
            blobs = [p.read_bytes() for p in data_dir.rglob("*") if p.is_file()]
            left = sum(any(text.encode() in b for b in blobs) for text in canaries.values())
            findings.add(
                "remnants", f"{left} of {len(canaries)} edited or deleted texts still in files"
            )

            # -- order, on a consistent copy, after VACUUM --------------------------------
            snapshot = work / "snapshot.sqlite3"
            with (
                sqlite3.connect(data_dir / "momo.sqlite3") as source,
                sqlite3.connect(snapshot) as target,
            ):
                source.backup(target)
            with sqlite3.connect(snapshot) as conn:
                conn.execute("VACUUM")
                physical = [
                    r[0] for r in conn.execute("SELECT id FROM notes NOT INDEXED") if r[0] in truth
                ]
            written = [n for n in order if n in physical]
            findings.add(
                "order after VACUUM",
                f"rank correlation with posting order {_rho(physical, written):+.2f}",
            )
            modes = {
                p.name: oct(p.stat().st_mode & 0o777)
                for p in [data_dir, *sorted(data_dir.glob("momo.sqlite3*"))]
            }
            findings.add("file modes", ", ".join(f"{k} {v}" for k, v in modes.items()))
        for c in (*[p for p, _ in people], *reporters, moderator, anonymous):
            c.close()
    shutil.rmtree(work, ignore_errors=True)
    return findings


def explain(transactions: list[Transaction], items: dict[str, str], most: int = 5) -> None:
    """Print the rows that linked items, most used first: what the attack found."""
    found = locate(transactions, items)
    for row, linked in sorted(clues(transactions, found).items(), key=lambda c: -len(c[1]))[:most]:
        authors = Counter(items[i] for i in linked)
        print(f"    clue {str(row)[:90]}: {len(linked)} items of {len(authors)} authors")


def _rho(seen: list[str], truth: list[str]) -> float:
    position = {item: i for i, item in enumerate(truth)}
    n = len(seen)
    d2 = sum((position[item] - i) ** 2 for i, item in enumerate(seen))
    return 1 - 6 * d2 / (n * (n * n - 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="source tree to run")
    parser.add_argument("--postgres", help="SQLAlchemy URL of an empty PostgreSQL database")
    args = parser.parse_args()
    findings = run(args.tree.resolve(), args.postgres)
    print("\nattack | result")
    for attack, result in findings.rows:
        print(f"{attack} | {result}")


if __name__ == "__main__":
    main()
