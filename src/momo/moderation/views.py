"""Response models for moderation. None of them carries an account id or key."""

from __future__ import annotations

from pydantic import BaseModel


class ContextLine(BaseModel):
    voice: str
    text: str
    is_target: bool


class QueueItem(BaseModel):
    target_type: str
    target_id: str
    note_id: str
    note_title: str
    content: str
    status: str
    reasons: dict[str, int]
    details: list[str]
    weight: float
    reported: str
    severity: int
    context: list[ContextLine]
    surge: bool


class Sanction(BaseModel):
    """One sanction, for the sanctioned person only: what the server decided."""

    action_id: str
    kind: str
    step: str  # "warning", "mute" or "ban": never shown to moderators
    rule: str
    target_type: str
    target_id: str
    content: str
    time: str
    until: str | None
    outcome: str
    appeal: str | None
    can_appeal: bool


class AppealView(BaseModel):
    id: str
    action_id: str
    kind: str
    rule: str
    target_type: str
    target_id: str
    content: str
    text: str
    time: str
    status: str
    you_acted: bool  # you took the action, or the content is yours: another moderator decides


class LogEntry(BaseModel):
    id: str
    time: str
    kind: str
    target_type: str
    target_id: str | None
    excerpt: str
    rule: str
    outcome: str
    actor: str


class ModLog(BaseModel):
    entries: list[LogEntry]
    next_cursor: str | None


class MonthFigures(BaseModel):
    month: str
    reports_by_reason: dict[str, int]
    actions_by_kind: dict[str, int]
    appeals: int
    overturned: int
    overturn_rate: float | None
    median_hours_to_action: float | None


class Transparency(BaseModel):
    months: list[MonthFigures]
