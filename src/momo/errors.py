"""Domain errors. The web layer maps each to an HTTP status; the CLI to a message."""

from __future__ import annotations

from typing import Any

from momo.translation import translate


class MomoError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, **values: Any) -> None:
        # ``message`` is the English source string (the catalogues' msgid) with
        # %(name)s placeholders; ``values`` fill them in whatever language is shown.
        self.template = message
        self.values = values
        self.message = message % values if values else message
        self.field = field
        super().__init__(self.message)

    def in_locale(self, locale: str) -> str:
        return translate(locale, self.template, **self.values)


class InvalidInput(MomoError):
    status = 422
    code = "invalid_input"


class NotFound(MomoError):
    status = 404
    code = "not_found"


class NotSignedIn(MomoError):
    status = 401
    code = "not_signed_in"


class Forbidden(MomoError):
    status = 403
    code = "forbidden"


class Conflict(MomoError):
    status = 409
    code = "conflict"


class TooManyRequests(MomoError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int, **values: Any) -> None:
        super().__init__(message, **values)
        self.retry_after = retry_after


class PayloadTooLarge(MomoError):
    status = 413
    code = "too_large"
