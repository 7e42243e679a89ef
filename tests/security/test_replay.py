"""A spent proof-of-work must stay spent across a restart.

Without Redis, the first release remembered spent challenges in memory only, so
after a restart the same solved challenge opened another account for free.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from momo.config import Settings
from momo.core import Momo
from momo.errors import MomoError
from momo.identity.proof_of_work import solve
from momo.identity.tables import spent_challenges
from tests.conftest import PG_URL, FakeClock, empty_postgres
from tests.server import running_server, short_buckets


def test_a_spent_challenge_is_refused_after_a_restart(settings: Settings, clock: FakeClock) -> None:
    if PG_URL:
        empty_postgres(str(settings.database_url))
    first = Momo(settings, clock=clock)
    first.migrate()
    challenge = first.registration.challenge()
    nonce = solve(challenge.challenge, challenge.difficulty)
    first.registration.register("someone", challenge=challenge.challenge, nonce=nonce)
    first.close()

    restarted = Momo(settings, clock=clock)
    with pytest.raises(MomoError, match="already used"):
        restarted.registration.register("someone", challenge=challenge.challenge, nonce=nonce)
    with restarted.db.read() as conn:
        (row,) = conn.execute(select(spent_challenges)).all()
    assert challenge.challenge not in str(row), "only a digest is kept"
    assert row.expires_bucket % settings.time_granularity_seconds == 0, "and a coarse expiry"
    # Once the challenge has expired anyway, its row is cleared by the next sign-up.
    clock.advance(3600)
    fresh = restarted.registration.challenge()
    restarted.registration.register(
        "someone", challenge=fresh.challenge, nonce=solve(fresh.challenge, fresh.difficulty)
    )
    with restarted.db.read() as conn:
        assert len(conn.execute(select(spent_challenges)).all()) == 1
    restarted.close()


def test_a_replayed_proof_of_work_fails_after_the_server_restarts(
    tmp_path: Path, database_template: str
) -> None:
    env = short_buckets(database_template, MOMO_POW_DIFFICULTY="6")
    with running_server(tmp_path, env) as server:
        client = httpx.Client(base_url=server.base_url, timeout=30)
        challenge = client.get("/api/pow").json()
        answer = {
            "challenge": challenge["challenge"],
            "nonce": solve(challenge["challenge"], challenge["difficulty"]),
        }
        assert client.post("/api/accounts", json={"pow": answer}).status_code == 201
    with running_server(tmp_path, env) as restarted:
        client = httpx.Client(base_url=restarted.base_url, timeout=30)
        replay = client.post("/api/accounts", json={"pow": answer})
        assert replay.status_code in (403, 422) and "already used" in replay.text
