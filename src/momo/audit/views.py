"""Response models of the style-exposure check (kept apart so the web app loads no scikit-learn)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Marker(BaseModel):
    kind: str  # "phrase", "punctuation", "ending", "emoji"
    text: str
    explanation: str  # in the reader's language: what the habit is and what to change


class Exposure(BaseModel):
    level: str  # "not enough history", "low", "medium", "high"
    chance: float | None = Field(
        description="Calibrated chance that an attacker holding other writing of yours "
        "picks you out among `candidates` people (see docs/audit.md)"
    )
    candidates: int
    summary: str  # the chance in words, in the reader's language
    own_posts: int
    community_posts: int
    markers: list[Marker]
