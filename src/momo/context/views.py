"""What the API and the pages show of context notes: never a rater, never an author."""

from __future__ import annotations

from pydantic import BaseModel


class ContextNoteView(BaseModel):
    id: str
    note_id: str
    body: str
    sources: list[str]
    reason: str
    status: str
    rating_count: int
    time: str
    can_rate: bool = False
    my_rating: str | None = None


class ContextStatusChange(BaseModel):
    context_id: str
    note_id: str
    status: str
    time: str
