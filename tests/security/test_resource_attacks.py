"""Attacks on the server's time and memory, against a real ``momo serve``.

* One upload of nine 40 MP PNGs (1.1 MB on the wire) made an unrelated GET take
  12.7 s: images were decoded on the event loop, before the posting limit and
  the image count were checked.
* A 150 MB chunked body was read in full: only ``Content-Length`` was checked.
"""

from __future__ import annotations

import io
import socket
import statistics
import threading
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.conftest import PG_URL, empty_postgres
from tests.server import running_server, sign_up_over_http


def _env(tmp_path: Path, database_template: str) -> dict[str, str]:
    env = {"MOMO_POW_DIFFICULTY": "4", "MOMO_SIGNUPS_PER_HOUR": "50"}
    if PG_URL:
        empty_postgres(database_template)
        env["MOMO_DATABASE_URL"] = database_template
    return env


def _big_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def test_a_heavy_upload_does_not_freeze_other_requests(
    tmp_path: Path, database_template: str
) -> None:
    picture = _big_png(6000, 5000)  # 30 MP, the largest a PNG may be, about 90 KB
    with running_server(tmp_path, _env(tmp_path, database_template)) as server:
        uploader = httpx.Client(base_url=server.base_url, timeout=120)
        sign_up_over_http(uploader)
        reader = httpx.Client(base_url=server.base_url, timeout=30)
        reader.get("/api/persona")
        done = threading.Event()
        result: dict[str, int] = {}

        def upload() -> None:
            files = [("images", (f"{i}.png", picture, "image/png")) for i in range(9)]
            response = uploader.post(
                "/api/notes/with-images", data={"title": "nine", "body": ""}, files=files
            )
            result["status"] = response.status_code
            done.set()

        thread = threading.Thread(target=upload)
        started = time.monotonic()
        thread.start()
        latencies = []
        while not done.is_set() and time.monotonic() - started < 120:
            before = time.perf_counter()
            assert reader.get("/api/persona").status_code == 200
            latencies.append(time.perf_counter() - before)
            time.sleep(0.02)
        thread.join()
        assert result["status"] == 201
        assert len(latencies) >= 10, "the upload must take long enough to measure beside"
        p99 = statistics.quantiles(latencies, n=100)[98]
        assert p99 < 0.2, f"p99 of a concurrent GET was {p99 * 1000:.0f} ms"


def test_limits_and_counts_are_checked_before_any_decoding(
    tmp_path: Path, database_template: str
) -> None:
    picture = _big_png(6000, 5000)
    with running_server(tmp_path, _env(tmp_path, database_template)) as server:
        client = httpx.Client(base_url=server.base_url, timeout=60)
        sign_up_over_http(client)
        files = [("images", (f"{i}.png", picture, "image/png")) for i in range(30)]
        before = time.perf_counter()
        response = client.post("/api/notes/with-images", data={"title": "30"}, files=files)
        assert response.status_code == 422 and "at most 9" in response.json()["error"]["message"]
        assert time.perf_counter() - before < 2, "thirty images were refused, not decoded"
        for i in range(10):  # probation: five notes an hour (the refused one counted)
            if client.post("/api/notes", json={"title": f"{i}"}).status_code == 429:
                break
        else:
            raise AssertionError("the hourly note limit never applied")
        before = time.perf_counter()
        limited = client.post("/api/notes/with-images", data={"title": "over"}, files=files[:9])
        assert limited.status_code == 429
        assert time.perf_counter() - before < 2, "over the limit: refused before decoding"


def test_a_chunked_body_is_cut_off_at_the_limit(tmp_path: Path, database_template: str) -> None:
    """Send a chunked JSON body without a length, a megabyte at a time, and read the
    answer after three: the server must already have said 413."""
    with running_server(tmp_path, _env(tmp_path, database_template)) as server:
        host, port = server.base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(
                b"POST /api/notes HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            chunk = b"a" * (1024 * 1024)
            for _ in range(3):
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        client = httpx.Client(base_url=server.base_url, timeout=30)
        assert client.get("/api/persona").status_code == 200, "and it keeps serving"
        assert _peak_rss_mb(server.pid) < 200, "the body was never held in memory"


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field}")


def _peak_rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmHWM")


def _rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_four_concurrent_heavy_uploads_stay_within_a_memory_bound(
    tmp_path: Path, database_template: str
) -> None:
    """The first release reached 836 MB decoding one 128 KB PNG. Here four people each
    upload nine 30 MP PNGs, the largest allowed, at once. What decoding adds to the
    idle server is bounded by the scrub gate's pixel budget (measured: about 180 MB);
    the idle server itself grows with features and is not what this test is about."""
    picture = _big_png(6000, 5000)
    with running_server(tmp_path, _env(tmp_path, database_template)) as server:
        clients = [httpx.Client(base_url=server.base_url, timeout=300) for _ in range(4)]
        for client in clients:
            sign_up_over_http(client)
        idle = _rss_mb(server.pid)
        statuses: list[int] = []

        def upload(client: httpx.Client) -> None:
            files = [("images", (f"{i}.png", picture, "image/png")) for i in range(9)]
            response = client.post(
                "/api/notes/with-images", data={"title": "nine", "body": ""}, files=files
            )
            statuses.append(response.status_code)

        threads = [threading.Thread(target=upload, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [201] * 4
        growth = _peak_rss_mb(server.pid) - idle
        print(f"idle {idle:.0f} MB, growth {growth:.0f} MB")
        assert growth < 220, f"decoding grew the server by {growth:.0f} MB"
