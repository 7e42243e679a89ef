"""Text rules shared by notes, comments, topics and search."""

from __future__ import annotations

import re
import secrets
import unicodedata

TITLE_MAX = 100
BODY_MAX = 5000
COMMENT_MAX = 1000
TOPIC_MAX = 40

# A topic is '#' followed by letters, digits, CJK or '_' (XHS style '#话题#' closes with '#').
TOPIC_PATTERN = re.compile(r"#([0-9A-Za-z_\u3400-\u9fff\uf900-\ufaff]{1,40})#?")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9a-z]+(?:['’][a-z]+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def new_public_id() -> str:
    """Random, neither sequential nor derived from time: ids reveal no order."""
    return secrets.token_urlsafe(9)


def is_public_id(value: str) -> bool:
    return len(value) == 12 and re.fullmatch(r"[A-Za-z0-9_-]{12}", value) is not None


def clean(text: str) -> str:
    """NFC, no control characters, trimmed: what is stored and what is searched agree."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()


def normalize_topic(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().lstrip("#").rstrip("#").lower()


def extract_topics(body: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in TOPIC_PATTERN.finditer(body):
        seen.setdefault(normalize_topic(match.group(1)), None)
    return list(seen)[:10]


def search_terms(text: str) -> set[str]:
    """Index terms: CJK character bigrams (so any 2+ character substring is findable)
    and lower-cased Latin words."""
    folded = unicodedata.normalize("NFKC", text).lower()
    terms: set[str] = set()
    for run in _CJK.findall(folded):
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    terms.update(word[:64] for word in _WORD.findall(folded))
    return terms


def query_terms(query: str) -> tuple[set[str], list[str]]:
    """Terms a query needs, and the literal pieces a match must contain."""
    folded = unicodedata.normalize("NFKC", query).lower()
    terms = search_terms(folded)
    pieces = [piece for piece in re.split(r"\s+", folded) if piece]
    return terms, pieces


def matches(pieces: list[str], title: str, body: str) -> bool:
    haystack = unicodedata.normalize("NFKC", f"{title}\n{body}").lower()
    for piece in pieces:
        if _CJK.search(piece):
            if piece not in haystack:
                return False
        elif not all(word in _WORD.findall(haystack) for word in _WORD.findall(piece)):
            return False
    return True
