"""ASGI middleware that takes the client's address away from everything after it,
and bounds how much a client may send.

The address is used once, here, to compute a rotating keyed hash for rate
limits. Then ``scope["client"]`` is cleared and forwarding headers are dropped,
so no route, log line or error report further in can see or record it.

Bodies are counted as they stream in, so a chunked upload without a
``Content-Length`` stops at the limit too: about 1 MB for everything but
multipart uploads, which get the configured image budget. A body must also
arrive within ``body_seconds``, so a client that trickles bytes cannot hold a
connection and a worker for ever.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from momo.privacy.ratelimit import RateLimiter

FORWARDING_HEADERS = {b"x-forwarded-for", b"x-real-ip", b"forwarded"}
REQUESTS_PER_MINUTE = 900
REQUEST_COUNT_BATCH = 10  # with Redis: one round trip for the request limit per 10 requests
FORM_BODY_BYTES = 1024 * 1024  # JSON and plain forms: a note is at most a few KB
TOO_LARGE = "the request body is too large"


class ClientShield:
    def __init__(
        self,
        app: ASGIApp,
        limiter: RateLimiter,
        trusted_proxies: list[str],
        max_body_bytes: int,
        body_seconds: float = 60.0,
        requests_per_minute: int = REQUESTS_PER_MINUTE,
    ) -> None:
        self.requests_per_minute = requests_per_minute
        self.body_seconds = body_seconds
        self.app = app
        self.limiter = limiter
        self.trusted = [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        address = self._client_address(scope)
        scope["client"] = None
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k not in FORWARDING_HEADERS]
        subject = self.limiter.subject_hash("client", address)
        scope.setdefault("state", {})["client_subject"] = subject
        decision = self.limiter.check_batched(
            "requests", subject, self.requests_per_minute, 60, batch=REQUEST_COUNT_BATCH
        )
        if not decision.allowed:
            await _reply(
                send,
                429,
                {"error": {"code": "rate_limited", "message": "too many requests"}},
                [(b"retry-after", str(decision.retry_after).encode())],
            )
            return
        limit = self.max_body_bytes if _is_multipart(scope) else FORM_BODY_BYTES
        deadline = time.monotonic() + self.body_seconds
        length = _content_length(scope)
        if length is not None and length > limit:
            await _reply(send, 413, {"error": {"code": "too_large", "message": TOO_LARGE}})
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            try:
                # A client that trickles its body holds a connection and a worker.
                message = await asyncio.wait_for(receive(), deadline - time.monotonic())
            except TimeoutError:
                raise HTTPException(408, "the request body arrived too slowly") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # An HTTPException passes through FastAPI's body parsing as it is.
                    raise HTTPException(413, TOO_LARGE)
            return message

        await self.app(scope, counted, send)

    def _client_address(self, scope: Scope) -> str:
        client = scope.get("client")
        peer = str(client[0]) if client else "unknown"
        if not self.trusted or not self._is_trusted(peer):
            return peer
        # Walk X-Forwarded-For from the right: the first hop we do not trust is the client.
        forwarded: list[str] = [
            value.decode("latin-1") for key, value in scope["headers"] if key == b"x-forwarded-for"
        ]
        hops = [hop.strip() for line in forwarded for hop in line.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self._is_trusted(hop):
                return str(hop)
        return peer

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.trusted)


def _is_multipart(scope: Scope) -> bool:
    for key, value in scope["headers"]:
        if key == b"content-type":
            return bool(value.lower().startswith(b"multipart/form-data"))
    return False


def _content_length(scope: Scope) -> int | None:
    for key, value in scope["headers"]:
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _reply(
    send: Send,
    status: int,
    payload: dict[str, Any],
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
