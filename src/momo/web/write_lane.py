"""Handle a few writing requests at a time, once their bodies have arrived.

Python threads share one interpreter lock. When sixteen writes run their
handlers at once, the one holding the database's write lock (SQLite has one
writer) keeps losing the interpreter to the fifteen others: on this project's
benchmark machine a write transaction that takes 1.5 ms alone held the lock for
7 ms, and every writer queued behind it. Letting only a few handlers run at a
time keeps the lock holder running, which is faster for all of them.

A request takes a lane only when its whole body is in (so a slow upload holds
no lane) and gives it back when its response starts (so a slow reader holds
none either). Reads never wait for a lane.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteLane:
    def __init__(self, app: ASGIApp, lanes: int) -> None:
        self.app = app
        self.lanes = lanes
        # One semaphore per event loop: an asyncio primitive belongs to one loop.
        self._semaphores: dict[int, asyncio.Semaphore] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READING_METHODS or self.lanes < 1:
            await self.app(scope, receive, send)
            return
        lane = self._semaphores.setdefault(
            id(asyncio.get_running_loop()), asyncio.Semaphore(self.lanes)
        )
        held = False

        async def take() -> None:
            nonlocal held
            if not held:
                await lane.acquire()
                held = True

        def give_back() -> None:
            nonlocal held
            if held:
                held = False
                lane.release()

        async def receive_then_queue() -> Message:
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body", False):
                await take()
            return message

        async def send_and_leave(message: Message) -> None:
            if message["type"] == "http.response.start":
                give_back()
            await send(message)

        try:
            if not _has_body(scope):
                await take()
            await self.app(scope, receive_then_queue, send_and_leave)
        finally:
            give_back()


def _has_body(scope: Scope) -> bool:
    headers: dict[bytes, Any] = dict(scope.get("headers") or [])
    if b"transfer-encoding" in headers:
        return True
    return headers.get(b"content-length", b"0") not in (b"0", b"")


def default_lanes(dialect: str) -> int:
    """SQLite writes one transaction at a time anyway; PostgreSQL can overlap a few."""
    return 1 if dialect == "sqlite" else 2
