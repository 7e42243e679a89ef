"""Domain errors. The web layer maps each to an HTTP status; the CLI to a message."""

from __future__ import annotations


class MomoError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PayloadTooLarge(MomoError):
    status = 413
    code = "too_large"
