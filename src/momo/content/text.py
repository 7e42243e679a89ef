"""Text rules shared by notes, comments, topics and search."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

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


# Han and kana are written without spaces: they are indexed as character bigrams.
RUN_RANGES = ((0x3040, 0x30FF), (0x3400, 0x9FFF), (0xF900, 0xFAFF))
_RUN_CHARS = "".join(f"{chr(low)}-{chr(high)}" for low, high in RUN_RANGES)
_TOKEN = re.compile(rf"(?P<run>[{_RUN_CHARS}]+)|(?P<word>[^\W_{_RUN_CHARS}]+)")
WORD_MAX = 64


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """The form that is indexed and searched: NFKC, lower case, Simplified characters,
    so 台灣 finds 台湾 and ＬＩＮＵＸ finds linux."""
    folded: str = _to_simplified().convert(unicodedata.normalize("NFKC", text).lower())
    return folded


def index_tokens(text: str) -> list[str]:
    """The token sequence a note is indexed under, in text order.

    A run of Han or kana becomes its overlapping bigrams followed by its last
    character, so any substring of two or more characters is a phrase of
    bigrams, a single character is a prefix of some token, and two runs never
    join into a phrase across the gap between them. Other scripts give words.
    """
    tokens: list[str] = []
    for match in _TOKEN.finditer(fold(text)):
        run = match.group()
        if match.lastgroup == "run":
            tokens += map(str.__add__, run, run[1:])  # the bigrams, at C speed
            tokens.append(run[-1])
        else:
            tokens.append(run[:WORD_MAX])
    return tokens


def index_words(text: str) -> str:
    """The folded text cut down to its runs of Han or kana and its words, each
    between single spaces: ``index_tokens`` can be read off it again (PostgreSQL
    does so in its index expression), and a phrase matches exactly where its
    ``words`` appear in it."""
    pieces = [
        match.group() if match.lastgroup == "run" else match.group()[:WORD_MAX]
        for match in _TOKEN.finditer(fold(text))
    ]
    return f" {' '.join(pieces)} "


@dataclass(frozen=True)
class Phrase:
    """Consecutive tokens a match must contain; with ``prefix`` the last token is one
    character that the text may continue (a query ending in a lone Han character).

    ``words`` is the same phrase as a piece of ``index_words``: a space marks where
    the match must begin or end a word (or a run, between two pieces), and a run
    at either end may continue in the text."""

    tokens: tuple[str, ...]
    prefix: bool = False
    words: str = ""


def query_phrases(query: str) -> list[Phrase]:
    """One phrase per space-separated piece of the query; all must match."""
    phrases: list[Phrase] = []
    for piece in fold(query).split():
        matches = list(_TOKEN.finditer(piece))
        tokens: list[str] = []
        pieces: list[str] = []
        prefix = False
        for position, match in enumerate(matches):
            run = match.group()
            last = position == len(matches) - 1
            pieces.append(run if match.lastgroup == "run" else run[:WORD_MAX])
            if match.lastgroup != "run":
                tokens.append(run[:WORD_MAX])
            elif len(run) == 1 and last:
                tokens.append(run)
                prefix = True
            else:
                tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
                if not last:  # the text continues past this run inside the piece
                    tokens.append(run[-1])
        if tokens:
            opens = " " if matches[0].lastgroup != "run" else ""
            closes = " " if matches[-1].lastgroup != "run" else ""
            phrases.append(Phrase(tuple(tokens), prefix, f"{opens}{' '.join(pieces)}{closes}"))
    return phrases


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def language(text: str) -> str:
    """'zh', 'en', 'mixed' or 'und', from the script of the letters: enough for a
    researcher to split a bilingual community, not a language identifier."""
    han, latin = len(_HAN.findall(text)), len(_LATIN.findall(text))
    if han == 0 and latin == 0:
        return "und"
    # A Chinese character carries about as much as an English word of ~4 letters.
    han_weight, latin_weight = han * 4, latin
    if han_weight >= 4 * latin_weight:
        return "zh"
    if latin_weight >= 4 * han_weight:
        return "en"
    return "mixed"
