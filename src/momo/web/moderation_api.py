"""JSON routes for reports, the moderator queue, sanctions, appeals and the public log."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from momo.moderation.views import AppealView, ModLog, QueueItem, Sanction, Transparency
from momo.web.deps import LocaleDep, MomoDep, SignedInDep

router = APIRouter(prefix="/api", tags=["moderation"])

Reason = Literal["privacy", "illegal", "harassment", "misinformation", "spam", "other"]
TargetType = Literal["note", "comment"]


class ReportDraft(BaseModel):
    target_type: TargetType
    target_id: str = Field(max_length=100)
    reason: Reason
    detail: str = Field(default="", max_length=5000)


class ActionDraft(BaseModel):
    target_type: TargetType
    target_id: str = Field(max_length=100)
    action: Literal[
        "remove",
        "restore",
        "lock",
        "unlock",
        "slow_mode",
        "sanction",
        "dismiss",
        "undamp",
    ]
    rule: Literal["privacy", "illegal", "harassment", "misinformation", "spam", "other", "surge"]
    seconds: int | None = Field(default=None, description="For slow_mode: minimum interval")


class AppealDraft(BaseModel):
    action_id: str = Field(max_length=100)
    text: str = Field(max_length=10_000)


class Decision(BaseModel):
    outcome: Literal["upheld", "overturned"]


class Created(BaseModel):
    id: str


class Ok(BaseModel):
    ok: bool = True


@router.post("/reports", status_code=status.HTTP_201_CREATED, response_model=Created)
def report(draft: ReportDraft, momo: MomoDep, viewer: SignedInDep) -> Created:
    report_id = momo.reports.report(
        viewer, draft.target_type, draft.target_id, draft.reason, draft.detail
    )
    return Created(id=report_id)


@router.get("/mod/queue", response_model=list[QueueItem])
def queue(momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> list[QueueItem]:
    return momo.moderation.queue(viewer, locale)


@router.post("/mod/actions", status_code=status.HTTP_201_CREATED, response_model=Created)
def act(draft: ActionDraft, momo: MomoDep, viewer: SignedInDep) -> Created:
    action_id = momo.moderation.act(
        viewer,
        draft.target_type,
        draft.target_id,
        draft.action,
        draft.rule,
        seconds=draft.seconds,
    )
    return Created(id=action_id)


@router.get("/mod/appeals", response_model=list[AppealView])
def pending_appeals(momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> list[AppealView]:
    return momo.appeals.pending(viewer, locale)


@router.post("/mod/appeals/{appeal_id}/decision", response_model=Ok)
def decide(appeal_id: str, decision: Decision, momo: MomoDep, viewer: SignedInDep) -> Ok:
    momo.appeals.decide(viewer, appeal_id, decision.outcome)
    return Ok()


@router.get("/me/sanctions", response_model=list[Sanction])
def my_sanctions(momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> list[Sanction]:
    return momo.appeals.sanctions(viewer, locale)


@router.post("/appeals", status_code=status.HTTP_201_CREATED, response_model=Created)
def appeal(draft: AppealDraft, momo: MomoDep, viewer: SignedInDep) -> Created:
    return Created(id=momo.appeals.appeal(viewer, draft.action_id, draft.text))


@router.get("/modlog", response_model=ModLog)
def modlog(
    momo: MomoDep, locale: LocaleDep, cursor: Annotated[str | None, Query(max_length=200)] = None
) -> ModLog:
    return momo.modlog.entries(cursor, locale)


@router.get("/transparency", response_model=Transparency)
def transparency(momo: MomoDep) -> Transparency:
    return momo.modlog.transparency()
