"""Three workers on three ports, one PostgreSQL and one Redis: they behave as one.

A scripted community is spread over the workers, request by request, and what
each worker answers is compared: sessions and proofs of work, voices in a
thread, the cached feed after a delete, the sign-up limit and a surge count.
Run on the PostgreSQL pass of the suite (it needs both services).
"""

from __future__ import annotations

import itertools
import os
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from momo.identity.proof_of_work import solve
from tests.conftest import PG_URL, REDIS_URL
from tests.server import bucket_ends, running_server, short_buckets

shared_services = pytest.mark.skipif(
    not (PG_URL and REDIS_URL), reason="needs MOMO_TEST_DATABASE_URL and MOMO_TEST_REDIS_URL"
)


def _pow(client: httpx.Client) -> dict[str, str]:
    challenge = client.get("/api/pow").json()
    return {
        "challenge": challenge["challenge"],
        "nonce": solve(challenge["challenge"], challenge["difficulty"]),
    }


@shared_services
def test_three_workers_behave_as_one(tmp_path: Path, database_template: str) -> None:
    import redis

    redis.Redis.from_url(str(REDIS_URL)).flushdb()
    env = short_buckets(
        database_template,
        MOMO_REDIS_URL=str(REDIS_URL),
        MOMO_POW_DIFFICULTY="8",
        MOMO_SIGNUPS_PER_HOUR="5",
        MOMO_FEED_CACHE_SECONDS="60",
        MOMO_SURGE_REPLY_LIKES="3",
    )
    data = tmp_path / "data"
    for i in range(3):
        (tmp_path / f"w{i}").mkdir()
    with ExitStack() as stack:
        servers = [
            stack.enter_context(running_server(tmp_path / f"w{i}", env, data_dir=data))
            for i in range(3)
        ]
        workers = itertools.cycle(servers)

        def client(base: str) -> httpx.Client:
            return stack.enter_context(httpx.Client(base_url=base, timeout=10))

        # Sign-ups: challenge from one worker, answer at the next; a replay at a
        # third is refused, and the limit (5 attempts) counts across all three.
        keys = []
        for attempt in range(4):
            asked, answered = client(next(workers).base_url), client(next(workers).base_url)
            solved = _pow(asked)
            made = answered.post("/api/accounts", json={"pow": solved})
            assert made.status_code == 201, made.text
            keys.append(made.json()["account_key"])
            if attempt:
                continue
            replay = client(next(workers).base_url).post("/api/accounts", json={"pow": solved})
            assert replay.status_code == 422 and "already used" in replay.text
        over = client(servers[0].base_url).post(
            "/api/accounts", json={"pow": _pow(client(servers[1].base_url))}
        )
        assert over.status_code == 429, "the sign-up limit is shared by every worker"

        # Each person signs in at one worker and then acts at the others.
        people = []
        for i, key in enumerate(keys):
            session = client(servers[i % 3].base_url)
            assert session.post("/api/session", json={"account_key": key}).status_code == 200
            people.append(session.cookies)

        def act(person: int, worker: int) -> httpx.Client:
            return httpx.Client(
                base_url=servers[worker].base_url, cookies=people[person], timeout=10
            )

        with act(0, 1) as op:
            draft = {"title": "三个进程", "body": "一个社区"}
            note = op.post("/api/notes", json=draft).json()["id"]
        bucket_ends()  # others can reply once the note is public
        posted = {}
        for person, worker, body in ((1, 2, "第一条"), (2, 0, "第二条"), (1, 0, "又是我")):
            with act(person, worker) as speaker:
                made = speaker.post(f"/api/notes/{note}/comments", json={"body": body})
                assert made.status_code == 201, made.text
                posted[body] = made.json()["id"]
        bucket_ends()
        with act(0, 2) as op:
            reply = {"body": "楼主回复", "reply_to": posted["第一条"]}
            made = op.post(f"/api/notes/{note}/comments", json=reply)
            assert made.status_code == 201, made.text
            posted["楼主回复"] = made.json()["id"]
        bucket_ends()

        anonymous = [client(server.base_url) for server in servers]
        pages = [reader.get(f"/api/notes/{note}").json() for reader in anonymous]
        assert pages[0] == pages[1] == pages[2], "every worker tells the same thread"
        voices = {c["body"]: c["voice_number"] for c in pages[0]["comments"]}
        assert voices["第一条"] == voices["又是我"] != voices["第二条"]
        replies = [r for c in pages[0]["comments"] for r in c["replies"]]
        assert [r["is_op"] for r in replies if r["body"] == "楼主回复"] == [True]

        # Likes on replies pile up in Redis-held counters: three likers, at three
        # workers, make the surge that one worker alone would never see.
        assert not pages[0]["damped"]
        for person in (1, 2, 3):
            with act(person, person % 3) as liker:
                liked = liker.post(f"/api/comments/{posted['楼主回复']}/like")
                assert liked.status_code == 200, liked.text
        assert all(r.get(f"/api/notes/{note}").json()["damped"] for r in anonymous)

        # The cached first page is warm on every worker; a delete at one clears all.
        for reader in anonymous:
            assert note in [
                card["id"] for card in reader.get("/api/feed?kind=latest").json()["items"]
            ]
        with act(0, 2) as op:
            assert op.delete(f"/api/notes/{note}").status_code == 200
        for reader in anonymous:
            items = reader.get("/api/feed?kind=latest").json()["items"]
            assert note not in [card["id"] for card in items], "a worker served a stale page"


@shared_services
def test_serve_with_workers_starts_interchangeable_processes(
    tmp_path: Path, database_template: str
) -> None:
    env = short_buckets(database_template, MOMO_REDIS_URL=str(REDIS_URL), MOMO_POW_DIFFICULTY="8")
    with running_server(tmp_path, env, args=("--workers", "2")) as server:
        children = [
            stat for stat in Path("/proc").glob("[0-9]*/stat") if _parent(stat) == server.pid
        ]
        assert len(children) >= 2, "uvicorn runs a process per worker"
        for _ in range(20):
            with httpx.Client(base_url=server.base_url, timeout=10) as fresh:
                assert fresh.get("/api/feed").status_code == 200
                assert fresh.get("/").status_code == 200


def test_workers_without_redis_are_refused(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "momo", "serve", "--workers", "2"],
        env={**os.environ, "MOMO_DATA_DIR": str(tmp_path / "data"), "MOMO_REDIS_URL": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "MOMO_REDIS_URL" in done.stderr


def _parent(stat: Path) -> int:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1
