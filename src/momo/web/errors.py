"""Every error becomes a clear 4xx: JSON under /api, a friendly page elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from momo.errors import MomoError, NotSignedIn, TooManyRequests

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
        return _respond(request, error.status, error.code, error.message, error.field, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        problems: list[dict[str, Any]] = list(error.errors())
        if any(p.get("type") == "json_invalid" for p in problems):
            return _respond(request, 400, "malformed_json", "the request body is not valid JSON")
        first = problems[0] if problems else {}
        where = ".".join(str(part) for part in first.get("loc", ())[1:]) or None
        message = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid input"
        return _respond(request, 422, "invalid_input", message, where)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        codes = {404: "not_found", 405: "method_not_allowed", 408: "timeout", 413: "too_large"}
        code = codes.get(error.status_code, "http_error")
        return _respond(request, error.status_code, code, str(error.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        # Logged without the request: no address, no cookie, no body.
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _respond(request, 500, "internal", "something went wrong on the server")


def _respond(
    request: Request,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        payload = {"error": {"code": code, "message": message, "field": field}}
        return JSONResponse(payload, status_code=status, headers=headers)
    from momo.web.pages import render_error  # the page renderer needs templates

    return render_error(request, status, message, headers)
