"""Care when it matters: a calm card with crisis lines when a draft or a search
sounds like someone thinking of ending their life or hurting themselves.

The check answers the person who typed, in the same response, and nothing
else: it is not reported, counted, logged or stored, and the post is never
blocked. The phrase list is a reviewed, documented file
(``crisis_phrases.toml``); the lines per region are in ``crisis_lines.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from momo.content.text import fold
from momo.errors import InvalidInput
from momo.wellbeing.regions import CrisisRegion

HERE = Path(__file__).parent
DEFAULT_PHRASES = HERE / "crisis_phrases.toml"
DEFAULT_LINES = HERE / "crisis_lines.toml"
# Folding keeps apostrophes apart from letters; people type all of these.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
# People spell the same English words many ways; the phrase list is written
# once, for the spelling on the right, so a new phrase covers them all.
_ENGLISH_SPELLINGS = [
    (re.compile(r"\bwanna\b"), "want to"),
    (re.compile(r"\bgonna\b"), "going to"),
    (re.compile(r"\bwant(s|ed|ing)\b"), "want"),
    (re.compile(r"\b(dont|do not)\b"), "don't"),
    (re.compile(r"\b(cant|cannot|can not)\b"), "can't"),
    (re.compile(r"\b(im|i am)\b"), "i'm"),
    (re.compile(r"\b(ive|i have)\b"), "i've"),
]


@dataclass(frozen=True)
class CrisisLine:
    name: dict[str, str]
    phone: str | None = None
    url: str | None = None

    def label(self, locale: str) -> str:
        return self.name.get(locale) or self.name.get("en") or next(iter(self.name.values()))


@dataclass(frozen=True)
class PhraseList:
    match: re.Pattern[str]
    unless: re.Pattern[str] | None

    @classmethod
    def load(cls, path: Path) -> PhraseList:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            found = [p for section in data.values() for p in section.get("match", [])]
            skipped = [p for section in data.values() for p in section.get("unless", [])]
            if not found:
                raise ValueError("no 'match' patterns")
            return cls(
                re.compile("|".join(f"(?:{p})" for p in found)),
                re.compile("|".join(f"(?:{p})" for p in skipped)) if skipped else None,
            )
        except (OSError, ValueError, re.error, AttributeError) as error:
            raise InvalidInput(
                "the crisis phrase list %(path)s cannot be used: %(error)s", path=path, error=error
            ) from error


def load_lines(path: Path, region: str) -> list[CrisisLine]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        entries = data[region]
        return [
            CrisisLine(name=dict(e["name"]), phone=e.get("phone"), url=e.get("url"))
            for e in entries
        ]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InvalidInput(
            "the crisis lines in %(path)s have no usable %(region)r: %(error)s",
            path=path,
            region=region,
            error=error,
        ) from error


class CrisisCheck:
    """Decides whether to show the care card, and with which lines."""

    def __init__(
        self,
        region: str = CrisisRegion.international,
        phrases_file: Path | None = None,
        lines_file: Path | None = None,
    ) -> None:
        self._phrases = PhraseList.load(phrases_file or DEFAULT_PHRASES)
        self.lines = load_lines(
            lines_file or DEFAULT_LINES, "custom" if lines_file is not None else region
        )

    def needs_care(self, text: str) -> bool:
        folded = fold(text).translate(_APOSTROPHES)
        for spelling, written in _ENGLISH_SPELLINGS:
            folded = spelling.sub(written, folded)
        if self._phrases.unless is not None:
            folded = self._phrases.unless.sub(" ", folded)
        return self._phrases.match.search(folded) is not None
