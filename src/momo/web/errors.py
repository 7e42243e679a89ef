"""Every error becomes a clear 4xx: JSON under /api, a friendly page elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from momo.errors import MomoError, NotSignedIn, TooManyRequests
from momo.translation import N_, translate
from momo.web.deps import LANG_COOKIE, get_locale, get_momo

log = logging.getLogger("momo")


def install(app: FastAPI) -> None:
    @app.exception_handler(MomoError)
    async def domain_error(request: Request, error: MomoError) -> Response:
        wants_page = not request.url.path.startswith("/api") and request.method == "GET"
        if isinstance(error, NotSignedIn) and wants_page:
            return RedirectResponse("/signin", status_code=303)
        headers = {}
        if isinstance(error, TooManyRequests):
            headers["Retry-After"] = str(error.retry_after)
        return _respond(
            request, error.status, error.code, error.template, error.field, headers, error.values
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        problems: list[dict[str, Any]] = list(error.errors())
        if any(p.get("type") == "json_invalid" for p in problems):
            return _respond(
                request, 400, "malformed_json", N_("the request body is not valid JSON")
            )
        first = problems[0] if problems else {}
        where = ".".join(str(part) for part in first.get("loc", ())[1:]) or None
        # Pydantic's own wording names the field; it has no catalogue of ours.
        message = f"{where}: {first.get('msg', 'invalid')}" if where else N_("invalid input")
        return _respond(request, 422, "invalid_input", message, where)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        code, message = _HTTP_ERRORS.get(error.status_code, ("http_error", None))
        detail = str(error.detail)
        return _respond(request, error.status_code, code, message or detail)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        # Logged without the request: no address, no cookie, no body.
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _respond(request, 500, "internal", N_("something went wrong on the server"))


_HTTP_ERRORS = {
    404: ("not_found", N_("there is nothing at this address")),
    405: ("method_not_allowed", N_("this address does not take that kind of request")),
    408: ("timeout", N_("the request took too long to arrive")),
    413: ("too_large", N_("the request is too large")),
}


def _respond(
    request: Request,
    status: int,
    code: str,
    template: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    values: dict[str, object] | None = None,
) -> Response:
    """``template`` is an English msgid. A page is in the reader's language; an API
    answer too when the request names one, else English (stable for scripts)."""
    wants_json = request.url.path.startswith("/api") or "text/html" not in request.headers.get(
        "accept", ""
    )
    stated = request.cookies.get(LANG_COOKIE) or request.headers.get("accept-language")
    if wants_json and not stated:
        message = template % values if values else template
    else:
        message = translate(get_locale(request, get_momo(request)), template, **(values or {}))
    if wants_json:
        payload = {"error": {"code": code, "message": message, "field": field}}
        return JSONResponse(payload, status_code=status, headers=headers)
    from momo.web.pages import render_error  # the page renderer needs templates

    return render_error(request, status, message, headers)
