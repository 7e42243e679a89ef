"""Opaque keyset cursors: a page starts strictly after the last item of the previous one."""

from __future__ import annotations

import base64
import json
import math

from momo.errors import InvalidInput

MAX_KEY = 2**53  # sort keys are bucket starts and hot ranks, far below this


def encode(first: float | int, second: str) -> str:
    raw = json.dumps([first, second], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None) -> tuple[float, str] | None:
    if not cursor:
        return None
    try:
        if len(cursor) > 200:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        first, second = json.loads(raw)
        if not isinstance(first, int | float) or not isinstance(second, str):
            raise ValueError("wrong shape")
        # NaN, infinities and huge numbers are valid JSON to Python but no sort key
        # this server hands out, and a database cannot compare with them.
        if not math.isfinite(first) or abs(first) > MAX_KEY or len(second) > 40:
            raise ValueError("out of range")
        return float(first), second
    except (ValueError, TypeError) as error:
        raise InvalidInput("the cursor is not one this server gave out", field="cursor") from error
