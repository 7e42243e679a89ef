"""HTML pages for reporting, the moderator queue, notices, appeals, the log and transparency."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from momo.web.deps import LocaleDep, MomoDep, SignedInDep
from momo.web.pages import back, check_csrf, page

router = APIRouter(include_in_schema=False)


@router.post("/report")
def report(
    momo: MomoDep,
    viewer: SignedInDep,
    target_type: Annotated[str, Form(max_length=10)],
    target_id: Annotated[str, Form(max_length=100)],
    reason: Annotated[str, Form(max_length=20)],
    detail: Annotated[str, Form(max_length=5000)] = "",
    note_id: Annotated[str, Form(max_length=100)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(momo, viewer, csrf)
    momo.reports.report(viewer, target_type, target_id, reason, detail)
    if not note_id:
        return back("/")
    spot = "#actions" if target_type == "note" else f"#c-{quote(target_id)}"
    return back(f"/notes/{note_id}?reported={quote(target_id)}{spot}")


@router.get("/mod", response_class=HTMLResponse)
def queue(request: Request, momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> Response:
    return page(
        request,
        "mod.html",
        items=momo.moderation.queue(viewer, locale),
        appeals=momo.appeals.pending(viewer, locale),
        bursts=momo.context_notes.bursts(),
    )


@router.post("/mod/act")
def act(
    momo: MomoDep,
    viewer: SignedInDep,
    target_type: Annotated[str, Form(max_length=10)],
    target_id: Annotated[str, Form(max_length=100)],
    action: Annotated[str, Form(max_length=20)],
    rule: Annotated[str, Form(max_length=20)],
    seconds: Annotated[int | None, Form()] = None,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(momo, viewer, csrf)
    momo.moderation.act(viewer, target_type, target_id, action, rule, seconds=seconds)
    return back("/mod")


@router.post("/mod/appeals/{appeal_id}")
def decide(
    appeal_id: str,
    momo: MomoDep,
    viewer: SignedInDep,
    outcome: Annotated[str, Form(max_length=20)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(momo, viewer, csrf)
    momo.appeals.decide(viewer, appeal_id, outcome)
    return back("/mod")


@router.get("/me/notices", response_class=HTMLResponse)
def notices(request: Request, momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> Response:
    return page(request, "notices.html", sanctions=momo.appeals.sanctions(viewer, locale))


@router.post("/me/appeal")
def appeal(
    momo: MomoDep,
    viewer: SignedInDep,
    action_id: Annotated[str, Form(max_length=100)],
    text: Annotated[str, Form(max_length=10_000)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(momo, viewer, csrf)
    momo.appeals.appeal(viewer, action_id, text)
    return back("/me/notices")


@router.get("/modlog", response_class=HTMLResponse)
def modlog(
    request: Request, momo: MomoDep, locale: LocaleDep, cursor: str | None = None
) -> Response:
    return page(request, "modlog.html", log=momo.modlog.entries(cursor, locale))


@router.get("/transparency", response_class=HTMLResponse)
def transparency(request: Request, momo: MomoDep) -> Response:
    return page(request, "transparency.html", figures=momo.modlog.transparency())
