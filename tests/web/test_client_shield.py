"""X-Forwarded-For is believed only from configured proxies."""

from __future__ import annotations

from momo.privacy.ratelimit import MemoryCounters, RateLimiter
from momo.web.client_shield import ClientShield
from tests.conftest import FakeClock


def _shield(trusted: list[str]) -> ClientShield:
    async def app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        return None

    return ClientShield(app, RateLimiter(MemoryCounters(), 3600, FakeClock()), trusted, 10**6)


def _scope(peer: str, forwarded: str | None) -> dict[str, object]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return {"type": "http", "client": (peer, 5555), "headers": headers}


def test_untrusted_peer_cannot_spoof_its_address() -> None:
    shield = _shield([])
    assert shield._client_address(_scope("10.0.0.5", "1.2.3.4")) == "10.0.0.5"


def test_trusted_proxy_forwards_the_first_untrusted_hop() -> None:
    shield = _shield(["10.0.0.0/8"])
    assert shield._client_address(_scope("10.0.0.5", "9.9.9.9, 1.2.3.4, 10.0.0.7")) == "1.2.3.4"
    assert shield._client_address(_scope("192.0.2.1", "1.2.3.4")) == "192.0.2.1"


async def _run(shield: ClientShield, scope: dict[str, object]) -> dict[str, object]:
    seen: dict[str, object] = {}

    async def app(inner, receive, send) -> None:  # type: ignore[no-untyped-def]
        seen.update(inner)

    shield.app = app
    await shield(scope, None, None)  # type: ignore[arg-type]
    return seen


def test_the_address_never_reaches_the_app() -> None:
    import asyncio

    seen = asyncio.run(_run(_shield(["10.0.0.0/8"]), _scope("10.0.0.5", "1.2.3.4")))
    assert seen["client"] is None
    assert all(key != b"x-forwarded-for" for key, _ in seen["headers"])  # type: ignore[attr-defined]
    assert "1.2.3.4" not in repr(seen) and "10.0.0.5" not in repr(seen)
