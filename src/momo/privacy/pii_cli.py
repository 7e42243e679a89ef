"""``momo privacy scan``: JSON Lines in, JSON Lines out.

Each input line is ``{"id": …, "text": …}``; each output line is
``{"id": …, "findings": [{"start", "end", "kind", "text"}]}`` with offsets in code
points. A line that cannot be read gets ``{"id": …, "error": …}`` and the scan
goes on with the next one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from momo.privacy.pii import TextTooLong, scan


def scan_lines(lines: Iterable[bytes], out: IO[str]) -> int:
    """Scan every line; returns how many lines could not be scanned."""
    failures = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        record: dict[str, Any]
        try:
            record = _scan_line(raw, number)
        except ValueError as error:
            failures += 1
            record = {"id": _best_effort_id(raw), "error": str(error)}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return failures


def _scan_line(raw: bytes, number: int) -> dict[str, Any]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"line {number} is not valid UTF-8 (byte {error.start})") from error
    try:
        payload = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"line {number} is not valid JSON: {error.msg}") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
        raise ValueError(f'line {number} needs an object with a "text" string')
    try:
        findings = scan(payload["text"])
    except TextTooLong as error:
        raise ValueError(f"line {number}: {error}") from error
    return {"id": payload.get("id"), "findings": [f.as_dict() for f in findings]}


def _best_effort_id(raw: bytes) -> Any:
    try:
        payload = json.loads(raw.decode("utf-8", errors="replace"))
        return payload.get("id") if isinstance(payload, dict) else None
    except json.JSONDecodeError:
        return None
