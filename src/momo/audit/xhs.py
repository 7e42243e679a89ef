"""The real momo regime on Xiaohongshu, measured from a researcher's own captures.

Zeeschuimer, the Digital Methods Initiative's research browser extension, saves what
the RedNote web client loads as NDJSON: one line per item, the platform's own JSON
under ``data`` and the capture's metadata beside it (``item_id``,
``timestamp_collected``, ``source_platform_url`` …). Its "RedNote/Xiaohongshu" module
saves notes (``note_card`` from the explore/search API, ``note`` from a post page's
embedded state, or a pared-down ``_zs-origin: html`` card); "RedNote (comments)" saves
comments (objects with ``sub_comment_count``). The field names follow 4CAT's
``datasources/xiaohongshu`` mapping.

From a capture this module measures what the momo trend really hides: how many
accounts wear a "momo" nickname and a shared avatar, and how many of those are still
told apart by what the platform itself shows (user id, avatar address, the
IP-location label, the posting time). Every figure is *measured* from the capture;
nothing is simulated. Nicknames and ids are only counted, never written out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from momo.audit.corpus import CorpusError

MOMO = "momo"
# A nickname is a momo variant when, folded (NFKC, case), it contains "momo" and what
# is left is decoration: digits, punctuation, symbols, emoji, or one or two letters
# (小momo, momo酱, Momo_2024, momo🌸). "Momoko" and "tomomo" are names, not the persona.
MAX_DECORATION_LETTERS = 2
# An avatar address shared by this many distinct accounts is a default, not a photo.
SHARED_AVATAR_ACCOUNTS = 3


@dataclass(frozen=True)
class CapturedItem:
    kind: str  # "note" or "comment"
    item_id: str
    user_id: str | None
    nickname: str | None
    avatar: str | None
    ip_location: str | None
    posted_ms: int | None
    text: str


@dataclass
class Capture:
    items: list[CapturedItem] = field(default_factory=list)
    lines: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def is_momo_variant(nickname: str | None) -> bool:
    if not nickname:
        return False
    folded = unicodedata.normalize("NFKC", nickname).casefold()
    if MOMO not in folded:
        return False
    rest = folded.replace(MOMO, "", 1)
    letters = [c for c in rest if unicodedata.category(c).startswith("L")]
    if any(c.isascii() for c in letters):
        return False  # momoko, tomomo: a name that contains the word
    return len(letters) <= MAX_DECORATION_LETTERS


def avatar_key(url: str | None) -> str | None:
    """The image an avatar address names, without size or format suffixes and query."""
    if not url:
        return None
    parts = urlsplit(url)
    path = re.sub(r"(\?.*)$|(![^/]*$)|(@[^/]*$)", "", parts.path)
    return f"{parts.netloc}{path}" or None


def read_capture(path: Path) -> Capture:
    """Every note and comment in a Zeeschuimer NDJSON file. A line that is not JSON,
    or JSON that is neither, is counted and skipped; an unreadable file is an error."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CorpusError(f"cannot read {path}: {error.strerror}") from error
    capture = Capture()
    for line in raw.splitlines():
        if not line.strip():
            continue
        capture.lines += 1
        try:
            record = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError):
            capture.skipped["not JSON"] += 1
            continue
        if not isinstance(record, dict):
            capture.skipped["not an object"] += 1
            continue
        found = list(_items(record))
        if not found:
            capture.skipped["neither a note nor a comment"] += 1
        capture.items.extend(found)
    if capture.lines and not capture.items:
        raise CorpusError(f"{path} holds no Xiaohongshu notes or comments")
    return capture


def _items(record: Mapping[str, Any]) -> Iterator[CapturedItem]:
    data = record.get("data", record)
    if not isinstance(data, dict):
        return
    fallback_id = str(record.get("item_id") or data.get("id") or data.get("note_id") or "")
    if "sub_comment_count" in data or ("content" in data and "user_info" in data):
        yield from _comment(data)
    elif "note_card" in data:
        card = data["note_card"]
        yield _note(card, str(data.get("id") or data.get("note_id") or fallback_id))
    elif isinstance(data.get("note"), dict):
        yield _note(data["note"], str(data.get("id") or fallback_id))
    elif data.get("_zs-origin") == "html":
        yield CapturedItem(
            kind="note",
            item_id=str(data.get("id") or fallback_id),
            user_id=None,
            nickname=data.get("author_name"),
            avatar=data.get("author_avatar_url"),
            ip_location=data.get("location"),
            posted_ms=_iso_ms(data.get("date_time")),
            text=str(data.get("title") or ""),
        )
    elif data.get("type") == "video" and "note_id" in data:
        yield _note(data, str(data["note_id"]))


def _note(card: Mapping[str, Any], item_id: str) -> CapturedItem:
    user = card.get("user") or {}
    return CapturedItem(
        kind="note",
        item_id=item_id,
        user_id=_text(user.get("user_id") or user.get("userId")),
        nickname=_text(user.get("nickname") or user.get("nick_name") or user.get("nickName")),
        avatar=_text(user.get("avatar") or user.get("image")),
        ip_location=_text(card.get("ip_location") or card.get("ipLocation")),
        posted_ms=_int(card.get("time")),
        text=f"{card.get('title') or card.get('display_title') or ''}\n{card.get('desc') or ''}",
    )


def _comment(data: Mapping[str, Any]) -> Iterator[CapturedItem]:
    user = data.get("user_info") or {}
    yield CapturedItem(
        kind="comment",
        item_id=str(data.get("id") or ""),
        user_id=_text(user.get("user_id")),
        nickname=_text(user.get("nickname")),
        avatar=_text(user.get("image") or user.get("avatar")),
        ip_location=_text(data.get("ip_location")),
        posted_ms=_int(data.get("create_time")),
        text=str(data.get("content") or ""),
    )
    for reply in data.get("sub_comments") or []:
        if isinstance(reply, dict):
            yield from _comment(reply)


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _iso_ms(value: object) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return None


# -- what the persona hides, and what still tells people apart ---------------
@dataclass(frozen=True)
class Regime:
    """Measured from one capture. Shares are of accounts (distinct user ids, or of
    items where a capture carries no ids)."""

    items: int
    notes: int
    comments: int
    accounts: int
    momo_nickname_share: float
    shared_avatar_share: float
    momo_persona_accounts: int  # a momo nickname and a shared (default) avatar
    unique_by: dict[str, float]  # among momo-persona items: share singled out by each
    skipped_lines: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return {
            "label": "measured from a Zeeschuimer capture",
            "items": self.items,
            "notes": self.notes,
            "comments": self.comments,
            "accounts": self.accounts,
            "momo_nickname_share": round(self.momo_nickname_share, 4),
            "shared_avatar_share": round(self.shared_avatar_share, 4),
            "momo_persona_accounts": self.momo_persona_accounts,
            "unique_by": {k: round(v, 4) for k, v in self.unique_by.items()},
            "skipped_lines": self.skipped_lines,
        }


def _account(item: CapturedItem) -> str:
    return item.user_id or f"item:{item.item_id}"


def _hour(item: CapturedItem) -> str | None:
    if item.posted_ms is None:
        return None
    return datetime.fromtimestamp(item.posted_ms / 1000, UTC).strftime("%Y-%m-%dT%H")


def measure(capture: Capture) -> Regime:
    items = capture.items
    accounts: dict[str, list[CapturedItem]] = defaultdict(list)
    for item in items:
        accounts[_account(item)].append(item)
    avatar_owners: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if (key := avatar_key(item.avatar)) is not None:
            avatar_owners[key].add(_account(item))
    shared = {key for key, owners in avatar_owners.items() if len(owners) >= SHARED_AVATAR_ACCOUNTS}

    def momo_named(account: str) -> bool:
        return any(is_momo_variant(i.nickname) for i in accounts[account])

    def default_avatar(account: str) -> bool:
        return any(avatar_key(i.avatar) in shared for i in accounts[account])

    persona = [a for a in accounts if momo_named(a) and default_avatar(a)]
    persona_items = [i for a in persona for i in accounts[a]]
    return Regime(
        items=len(items),
        notes=sum(i.kind == "note" for i in items),
        comments=sum(i.kind == "comment" for i in items),
        accounts=len(accounts),
        momo_nickname_share=_share(accounts, momo_named),
        shared_avatar_share=_share(accounts, default_avatar),
        momo_persona_accounts=len(persona),
        unique_by=_singled_out(persona_items),
        skipped_lines=dict(capture.skipped),
    )


def _share(accounts: Mapping[str, object], test: Any) -> float:
    return sum(1 for a in accounts if test(a)) / len(accounts) if accounts else 0.0


def _singled_out(items: list[CapturedItem]) -> dict[str, float]:
    """For each signal the platform shows next to a momo item, the share of momo items
    whose value no other momo *account* shares: those the crowd does not hide."""
    signals: dict[str, Callable[[CapturedItem], object]] = {
        "user id": lambda i: i.user_id,
        "avatar address": lambda i: avatar_key(i.avatar) if i.avatar else None,
        "IP-location label": lambda i: i.ip_location,
        "posting hour": _hour,
        "IP-location label and posting hour": lambda i: (
            f"{i.ip_location}|{_hour(i)}" if i.ip_location and _hour(i) else None
        ),
    }
    result = {}
    for name, signal in signals.items():
        owners: dict[object, set[str]] = defaultdict(set)
        for item in items:
            if (value := signal(item)) is not None:
                owners[value].add(_account(item))
        singled = 0
        for item in items:
            value = signal(item)
            if value is not None and len(owners[value]) == 1:
                singled += 1
        # An account with several items is still one person: it is singled out by a
        # value only it has, however often it uses it.
        result[name] = singled / len(items) if items else 0.0
    return result


def describe(regime: Regime) -> Iterable[str]:
    """Plain sentences for the terminal and the report."""
    yield (
        f"{regime.items} items ({regime.notes} notes, {regime.comments} comments) "
        f"from {regime.accounts} accounts, measured from the capture."
    )
    yield (
        f"{regime.momo_nickname_share:.0%} of accounts use a momo nickname; "
        f"{regime.shared_avatar_share:.0%} use an avatar shared by at least "
        f"{SHARED_AVATAR_ACCOUNTS} accounts; {regime.momo_persona_accounts} accounts do both."
    )
    for signal, share in regime.unique_by.items():
        yield f"Among their items, {share:.0%} are still singled out by the {signal}."
