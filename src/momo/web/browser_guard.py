"""ASGI middleware between the browser and every route: same-origin writes and
defensive response headers.

* A request that can change state (anything but GET, HEAD, OPTIONS) is refused
  when the browser says it came from another origin (``Sec-Fetch-Site``) or
  names another origin (``Origin``). That covers sign-in and sign-up (login
  CSRF), the bodyless like and bookmark POSTs, and every route added later:
  the check sits in front of all of them, so none can forget it. A request
  with neither header is not from a browser page and passes; cookies are
  SameSite=Lax as well.
* Every response carries a Content-Security-Policy without inline script,
  ``frame-ancestors 'none'``, ``nosniff`` and ``Referrer-Policy: no-referrer``
  (a referrer would tell other sites which note someone was reading).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The interactive API docs load Swagger UI from its CDN and run inline script; they
# show no user content, so they get a policy of their own.
DOCS_CSP = (
    "default-src 'self' https://cdn.jsdelivr.net; "
    "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; frame-ancestors 'none'"
)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


class BrowserGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS and _cross_origin(scope):
            await _refuse(send)
            return
        policy = DOCS_CSP if scope["path"] == "/api/docs" else CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"content-security-policy", policy.encode()),
                    *HEADERS,
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


def _cross_origin(scope: Scope) -> bool:
    headers: dict[bytes, bytes] = dict(scope["headers"])
    fetch_site = headers.get(b"sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in (b"same-origin", b"none")
    origin = headers.get(b"origin")
    if origin is None:
        return False  # not sent by a page: a script, curl, or a same-origin GET-like form
    host = headers.get(b"host", b"").decode("latin-1").lower()
    return urlsplit(origin.decode("latin-1")).netloc.lower() != host


async def _refuse(send: Send) -> None:
    body = json.dumps(
        {
            "error": {
                "code": "cross_origin",
                "message": "requests that change something must come from this site's own pages",
                "field": None,
            }
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
