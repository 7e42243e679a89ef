"""Answer the busiest public pages from the response cache, before routing.

A first feed page is the same bytes for every reader (``feed.cache``), and
finding it costs a dictionary lookup. Most of a cached request's time went to
FastAPI instead: walking the routes and solving the parameters before the
route even looked in the cache. So a GET whose answer is already stored is
answered here, inside the client shield (limits and address stripping still
apply) and the browser guard (its headers still go out). Anything else, and
every miss, goes on to the route, which builds the page and stores it under
the same key: both sides take their keys from the functions below. Only what
a route stored is ever answered here, so nothing the route would refuse is.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from momo.core import Momo
from momo.web.deps import SESSION_COOKIE, get_locale

NOTE_PREFIX = "/api/notes/"
HTML_FEEDS = {"/": "discover", "/latest": "latest"}
JSON = (b"content-type", b"application/json")
HTML = (b"content-type", b"text/html; charset=utf-8")
HTML_CACHE_CONTROL = "private, max-age=0"


def feed_key(kind: str, locale: str, release: str, cursor: str | None) -> str:
    return f"api:{kind}:{locale}:{release}:{cursor or ''}"


def note_key(note_id: str, locale: str, release: str) -> str:
    return f"api:note:{note_id[:40]}:{locale}:{release}"


def html_feed_key(kind: str, locale: str, release: str) -> str:
    return f"html:{kind}:{locale}:{release}"


class CachedPages:
    def __init__(self, app: ASGIApp, momo: Momo) -> None:
        self.app = app
        self.momo = momo
        self.served = 0  # answered here, without routing (tests read it)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            found = self._stored(scope)
            if found is not None:
                body, headers = found
                self.served += 1
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [(b"content-length", str(len(body)).encode()), *headers],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def _stored(self, scope: Scope) -> tuple[bytes, list[tuple[bytes, bytes]]] | None:
        """The stored answer to this request, if the route would give exactly it.
        The path is looked at first: most requests are none of these."""
        path = scope["path"]
        if path == "/api/feed":
            key = self._feed_key(Request(scope))
            headers = [JSON]
        elif path.startswith(NOTE_PREFIX) and "/" not in path[len(NOTE_PREFIX) :]:
            request = Request(scope)
            if request.cookies.get(SESSION_COOKIE):
                return None  # a signed-in reader's view carries their own state
            key = note_key(path[len(NOTE_PREFIX) :], self._locale(request), self._release())
            headers = [JSON]
        elif path in HTML_FEEDS:
            request = Request(scope)
            if request.url.query or request.cookies.get(SESSION_COOKIE):
                return None
            key = html_feed_key(HTML_FEEDS[path], self._locale(request), self._release())
            headers = [HTML, (b"cache-control", HTML_CACHE_CONTROL.encode())]
        else:
            return None
        body = self.momo.feed_cache.fresh(key)
        return None if body is None else (body, headers)

    def _feed_key(self, request: Request) -> str:
        # No checks needed: a kind or cursor the route refuses was never stored.
        kind = request.query_params.get("kind", "discover")
        cursor = request.query_params.get("cursor")
        return feed_key(kind, self._locale(request), self._release(), cursor)

    def _locale(self, request: Request) -> str:
        return get_locale(request, self.momo)

    def _release(self) -> str:
        return self.momo.time.release_key()
