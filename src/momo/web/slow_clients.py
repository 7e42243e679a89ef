"""A deadline for request headers, which uvicorn does not have.

A client that opens a connection and sends its headers a byte at a time (the
"slowloris" attack) holds a connection for as long as it likes: uvicorn times out
idle keep-alive connections, but not a request whose headers never finish. This
protocol closes the connection when a request's headers have not all arrived
within ``header_seconds`` of the connection opening or of the previous response.
The body has its own deadline in ``ClientShield``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

try:
    # httptools parses a request in C: under sixteen writing clients the pure-Python
    # h11 parser was a tenth of the server's time. Both keep ``cycle`` the same way.
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as HttpProtocol
except ImportError:  # pragma: no cover - httptools is a dependency; h11 still works
    HttpProtocol = H11Protocol  # type: ignore[assignment,misc]


class HeaderDeadlineProtocol(HttpProtocol):
    header_seconds = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._awaiting_headers() and self._header_timer is None:
            self._arm()  # the first bytes of a further request on a kept-alive connection
        cycle = self.cycle
        super().data_received(data)
        if self.cycle is not cycle:  # a new request's headers are complete
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _awaiting_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if self._awaiting_headers() and not self.transport.is_closing():
            self.transport.close()


def with_header_deadline(seconds: float) -> type[HeaderDeadlineProtocol]:
    """The protocol class to hand to uvicorn, with this deadline."""
    return type("HeaderDeadline", (HeaderDeadlineProtocol,), {"header_seconds": seconds})


class ConfiguredHeaderDeadline(HeaderDeadlineProtocol):
    """The same protocol for worker processes, which receive it by import path and so
    cannot take a class built at run time: the deadline comes from the settings
    (``MOMO_HEADER_TIMEOUT_SECONDS``), as everything else in a worker does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from momo.config import Settings

        self.header_seconds = Settings().header_timeout_seconds
        super().__init__(*args, **kwargs)
