"""Response models of the style-exposure check (kept apart so the web app loads no scikit-learn)."""

from __future__ import annotations

from pydantic import BaseModel


class Marker(BaseModel):
    kind: str  # "phrase", "punctuation", "emoji"
    text: str
    explanation: str


class Exposure(BaseModel):
    level: str  # "not enough history", "low", "medium", "high"
    score: float | None
    own_posts: int
    community_posts: int
    markers: list[Marker]
