"""The write lane: a few writing handlers at a time, never held by a slow body."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from momo.web.write_lane import WriteLane


class _Recorder:
    """An ASGI app that reads its body, works a little, and records how many of its
    handlers ran at once."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.finished: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(0.01)
        self.running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        self.finished.append(scope["path"])
        await send({"type": "http.response.body", "body": b"ok"})


def _scope(method: str, path: str, body: bytes | None) -> dict[str, Any]:
    headers = [] if body is None else [(b"content-length", str(len(body)).encode())]
    return {"type": "http", "method": method, "path": path, "headers": headers}


async def _request(app: Any, method: str, path: str, chunks: list[Any]) -> None:
    """Send ``chunks`` as the body; an asyncio.Event in the list holds the body there."""
    pending = list(chunks)

    async def receive() -> dict[str, Any]:
        while pending and isinstance(pending[0], asyncio.Event):
            await pending.pop(0).wait()
        if not pending:
            return {"type": "http.request", "body": b"", "more_body": False}
        chunk = pending.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(_message: dict[str, Any]) -> None:
        return None

    size = sum(len(c) for c in chunks if isinstance(c, bytes))
    await app(_scope(method, path, b"x" * size if chunks else None), receive, send)


def test_writes_take_turns_and_reads_do_not_wait() -> None:
    recorder = _Recorder()
    lane = WriteLane(recorder, lanes=2)

    async def run() -> None:
        await asyncio.gather(*(_request(lane, "POST", f"/w{i}", [b"{}"]) for i in range(10)))
        assert recorder.most == 2
        recorder.most = 0
        await asyncio.gather(*(_request(lane, "GET", f"/r{i}", []) for i in range(10)))
        assert recorder.most == 10, "reads never queue for a lane"

    asyncio.run(run())
    assert len(recorder.finished) == 20


def test_a_slow_body_holds_no_lane() -> None:
    """A client that sends half its upload and stalls must not stop other writes."""
    recorder = _Recorder()
    lane = WriteLane(recorder, lanes=1)

    async def run() -> None:
        stalled = asyncio.Event()
        slow = asyncio.create_task(_request(lane, "POST", "/slow", [b"half", stalled, b"rest"]))
        await asyncio.sleep(0.01)
        await asyncio.wait_for(_request(lane, "POST", "/quick", [b"{}"]), timeout=2)
        assert recorder.finished == ["/quick"]
        stalled.set()
        await slow

    asyncio.run(run())
    assert recorder.finished == ["/quick", "/slow"]


def test_a_failing_handler_gives_its_lane_back() -> None:
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        raise RuntimeError("boom")

    lane = WriteLane(broken, lanes=1)

    async def run() -> None:
        for _ in range(3):  # with the lane lost, the second would wait forever
            with pytest.raises(RuntimeError, match="boom"):
                await asyncio.wait_for(_request(lane, "POST", "/w", [b"{}"]), timeout=2)

    asyncio.run(run())


def test_a_bodiless_write_queues_at_once() -> None:
    recorder = _Recorder()
    lane = WriteLane(recorder, lanes=1)

    async def run() -> None:
        await asyncio.gather(*(_request(lane, "DELETE", f"/d{i}", []) for i in range(5)))

    asyncio.run(run())
    assert recorder.most == 1 and len(recorder.finished) == 5
