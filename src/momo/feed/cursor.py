"""Opaque keyset cursors: a page starts strictly after the last item of the previous one."""

from __future__ import annotations

import base64
import json
import math
from typing import NamedTuple

from momo.errors import InvalidInput

MAX_KEY = 2**53  # sort keys are bucket starts and hot ranks, far below this
MAX_SERVED = 1_000_000


class Cursor(NamedTuple):
    key: float
    tiebreak: str
    served: int  # items before this page: where a feed that ends (Discover) stops


def encode(first: float | int, second: str, served: int | None = None) -> str:
    parts: list[float | int | str] = [first, second]
    if served is not None:
        parts.append(served)
    raw = json.dumps(parts, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None) -> Cursor | None:
    if not cursor:
        return None
    try:
        if len(cursor) > 200:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        first, second, *rest = json.loads(raw)
        served = rest[0] if rest else 0
        if (
            not isinstance(first, int | float)
            or not isinstance(second, str)
            or len(rest) > 1
            or not isinstance(served, int)
        ):
            raise ValueError("wrong shape")
        # NaN, infinities and huge numbers are valid JSON to Python but no sort key
        # this server hands out, and a database cannot compare with them.
        if not math.isfinite(first) or abs(first) > MAX_KEY or len(second) > 40:
            raise ValueError("out of range")
        if not 0 <= served <= MAX_SERVED:
            raise ValueError("out of range")
        return Cursor(float(first), second, served)
    except (ValueError, TypeError) as error:
        raise InvalidInput("the cursor is not one this server gave out", field="cursor") from error
