"""Context notes over HTTP: the JSON API and the no-JavaScript forms and pages."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from momo.context.views import ContextNoteView, ContextStatusChange
from momo.moderation.actions import require_moderator
from momo.web.deps import LocaleDep, MomoDep, SignedInDep, ViewerDep
from momo.web.pages import back, check_csrf, page

api = APIRouter(prefix="/api", tags=["context notes"])
pages = APIRouter(include_in_schema=False)

Reason = Literal["misleading", "missing_context", "outdated", "satire", "other"]
Rating = Literal["helpful", "somewhat", "not_helpful"]


class ContextDraft(BaseModel):
    body: str = Field(min_length=1, max_length=2000, description="At most 500 characters.")
    sources: list[str] = Field(min_length=1, max_length=10, description="http(s) links.")
    reason: Reason


class ContextCreated(BaseModel):
    id: str


class RatingIn(BaseModel):
    rating: Rating
    tags: list[str] = Field(default_factory=list, max_length=6)


class RatingResult(BaseModel):
    status: str
    rating_count: int


@api.post(
    "/notes/{note_id}/context-notes",
    status_code=status.HTTP_201_CREATED,
    response_model=ContextCreated,
)
def create(note_id: str, draft: ContextDraft, momo: MomoDep, viewer: SignedInDep) -> ContextCreated:
    """Attach context (补充说明) to a post: past probation, with a source link."""
    context_id = momo.context_notes.write(viewer, note_id, draft.body, draft.sources, draft.reason)
    return ContextCreated(id=context_id)


@api.get("/notes/{note_id}/context-notes", response_model=list[ContextNoteView])
def list_for_note(
    note_id: str, momo: MomoDep, viewer: ViewerDep, locale: LocaleDep
) -> list[ContextNoteView]:
    """Every context note on a post with its status (helpful ones show under it)."""
    return momo.context_notes.for_note(note_id, locale, viewer)


@api.post("/context-notes/{context_id}/ratings", response_model=RatingResult)
def rate(context_id: str, body: RatingIn, momo: MomoDep, viewer: SignedInDep) -> RatingResult:
    """Rate a context note; rating again replaces your rating for this epoch."""
    rated = momo.context_notes.rate(viewer, context_id, body.rating, body.tags)
    return RatingResult(status=rated.status, rating_count=rated.rating_count)


@api.get("/context-notes/queue", response_model=list[ContextNoteView])
def rating_queue(momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> list[ContextNoteView]:
    """Context notes that need ratings and that you may rate."""
    return momo.context_notes.queue(viewer, locale)


@api.get("/context-notes/log", response_model=list[ContextStatusChange])
def status_log(momo: MomoDep, locale: LocaleDep) -> list[ContextStatusChange]:
    """Public log of status changes, newest first."""
    return momo.context_notes.log(locale)


# -- pages ------------------------------------------------------------------
@pages.post("/notes/{note_id}/context")
def write_form(
    note_id: str,
    momo: MomoDep,
    viewer: SignedInDep,
    body: Annotated[str, Form(max_length=2000)],
    sources: Annotated[str, Form(max_length=3000)] = "",
    reason: Annotated[str, Form(max_length=30)] = "missing_context",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(momo, viewer, csrf)
    momo.context_notes.write(viewer, note_id, body, sources.split(), reason)
    return back(f"/notes/{note_id}?context=added#context")


@pages.post("/context-notes/{context_id}/rate")
def rate_form(
    context_id: str,
    momo: MomoDep,
    viewer: SignedInDep,
    rating: Annotated[str, Form(max_length=20)],
    tags: Annotated[list[str], Form()] = [],  # noqa: B006
    next: Annotated[str, Form(max_length=200)] = "/context-notes",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(momo, viewer, csrf)
    momo.context_notes.rate(viewer, context_id, rating, tags)
    return back(next)


@pages.get("/context-notes", response_class=HTMLResponse)
def queue_page(request: Request, momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> Response:
    return page(request, "context_queue.html", items=momo.context_notes.queue(viewer, locale))


@pages.get("/context-notes/log", response_class=HTMLResponse)
def log_page(request: Request, momo: MomoDep, locale: LocaleDep) -> Response:
    return page(request, "context_log.html", changes=momo.context_notes.log(locale))


@pages.post("/mod/context/{context_id}/clear")
def clear_burst(
    context_id: str, momo: MomoDep, viewer: SignedInDep, csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(momo, viewer, csrf)
    require_moderator(viewer, momo.time.now())
    momo.context_notes.clear_burst(context_id)
    return back("/mod")
