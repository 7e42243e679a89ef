"""Run a real `momo serve` in a subprocess for tests that need one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass
class RunningServer:
    base_url: str
    data_dir: Path
    stdout: Path
    stderr: Path
    pid: int = 0


def sign_up_over_http(client: httpx.Client) -> str:
    """Solve the proof-of-work, open an account and sign the client in; returns the key."""
    from momo.identity.proof_of_work import solve

    challenge = client.get("/api/pow").json()
    nonce = solve(challenge["challenge"], challenge["difficulty"])
    key: str = client.post(
        "/api/accounts", json={"pow": {"challenge": challenge["challenge"], "nonce": nonce}}
    ).json()["account_key"]
    client.post("/api/session", json={"account_key": key})
    return key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(
    tmp_path: Path,
    extra_env: dict[str, str] | None = None,
    local_address: str | None = None,
    *,
    data_dir: Path | None = None,
    args: tuple[str, ...] = (),
) -> Iterator[RunningServer]:
    data_dir = data_dir or tmp_path / "data"
    port = free_port()
    env = {**os.environ, "MOMO_DATA_DIR": str(data_dir), **(extra_env or {})}
    server_info = RunningServer(
        f"http://127.0.0.1:{port}", data_dir, tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    )
    with server_info.stdout.open("wb") as out, server_info.stderr.open("wb") as err:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "momo", "serve"),
                *("--host", "127.0.0.1", "--port", str(port), *args),
            ],
            env=env,
            stdout=out,
            stderr=err,
        )
        try:
            transport = httpx.HTTPTransport(local_address=local_address)
            deadline = time.monotonic() + 30
            while True:
                try:
                    with httpx.Client(transport=transport, timeout=1) as client:
                        client.get(server_info.base_url + "/api/persona")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise AssertionError(
                            "the server did not start: " + server_info.stderr.read_text()
                        ) from None
                    time.sleep(0.2)
            server_info.pid = process.pid
            yield server_info
        finally:
            process.terminate()
            process.wait(timeout=20)


BUCKET_SECONDS = 3  # batched publication, with buckets short enough for a test


def short_buckets(database_template: str, **extra: str) -> dict[str, str]:
    """Environment for a real server with 3-second buckets, on PostgreSQL when the suite
    runs there (emptied first: a fresh data folder has no secrets for old accounts)."""
    from tests.conftest import PG_URL, empty_postgres

    minutes = str(BUCKET_SECONDS / 60)
    env = {"MOMO_TIME_GRANULARITY_MINUTES": minutes, "MOMO_COMMENT_GRANULARITY_MINUTES": minutes}
    if PG_URL:
        empty_postgres(database_template)
        env["MOMO_DATABASE_URL"] = database_template
    return {**env, **extra}


def bucket_ends() -> None:
    """Wait until what was just written has been published with its bucket."""
    time.sleep(BUCKET_SECONDS + 0.5)


def grant_moderator(server: RunningServer, key: str, env: dict[str, str]) -> None:
    """``momo admin grant moderator`` against the server's data, the key on stdin."""
    subprocess.run(
        [sys.executable, "-m", "momo", "admin", "grant", "moderator"],
        input=key + "\n",
        text=True,
        check=True,
        env={**os.environ, **env, "MOMO_DATA_DIR": str(server.data_dir)},
        capture_output=True,
        timeout=60,
    )
