"""Server-rendered HTML pages. They work without JavaScript; scripts only enhance."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from momo.content.text import TOPIC_PATTERN, normalize_topic
from momo.core import Momo
from momo.errors import Forbidden, NotFound
from momo.identity.accounts import Viewer
from momo.identity.voices import voice_label
from momo.privacy.coarse_time import clock_time
from momo.privacy.pii import Finding, explain, scan
from momo.translation import (
    LOCALES,
    current_locale,
    local_time,
    speaking,
    template_gettext,
    template_ngettext,
    template_npgettext,
    template_pgettext,
)
from momo.web.api import set_session_cookie
from momo.web.cached_pages import HTML_CACHE_CONTROL, html_feed_key
from momo.web.deps import (
    LANG_COOKIE,
    SESSION_COOKIE,
    LocaleDep,
    MomoDep,
    SignedInDep,
    ViewerDep,
    client_subject,
    get_locale,
    get_momo,
    get_viewer,
)
from momo.web.labels import label_for

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
)
# The page's locale is set around each render (``speaking``); these read it.
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    template_gettext,
    template_ngettext,
    newstyle=True,
    pgettext=template_pgettext,
    npgettext=template_npgettext,
)
templates.env.globals["label_for"] = label_for
templates.env.filters["local_time"] = lambda iso: local_time(iso, current_locale())


def render_body(body: str) -> Markup:
    """Escape, then turn #topics into links and newlines into breaks."""
    out: list[str] = []
    last = 0
    for match in TOPIC_PATTERN.finditer(body):
        out.append(str(escape(body[last : match.start()])))
        name = normalize_topic(match.group(1))
        out.append(f'<a class="topic" href="/topics/{quote(name)}">#{escape(match.group(1))}</a>')
        last = match.end()
    out.append(str(escape(body[last:])))
    # Every piece of user text above went through escape(); only our own tags remain.
    return Markup("".join(out).replace("\n", "<br>"))  # noqa: S704


templates.env.filters["render_body"] = render_body


def highlight(text: str, findings: list[Finding]) -> Markup:
    """The draft with each finding wrapped in <mark>, everything else escaped."""
    out: list[str] = []
    last = 0
    for finding in findings:
        out.append(str(escape(text[last : finding.start])))
        out.append(f'<mark class="pii" data-kind="{finding.kind}">{escape(finding.text)}</mark>')
        last = finding.end
    out.append(str(escape(text[last:])))
    return Markup("".join(out).replace("\n", "<br>"))  # noqa: S704 - pieces escaped above


templates.env.globals["highlight"] = highlight
templates.env.globals["explain"] = explain


def privacy_warnings(**fields: str) -> dict[str, list[Finding]]:
    """Findings per form field; empty when the draft gives nothing away."""
    return {name: found for name, value in fields.items() if (found := scan(value))}


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    momo = get_momo(request)
    locale = get_locale(request, momo)
    viewer = get_viewer(request, momo)
    base = {
        "request": request,
        "locale": locale,
        "viewer": viewer,
        "persona": momo.persona,
        "csrf": momo.accounts.csrf_token(viewer.token) if viewer else "",
        "voice_label": lambda n: voice_label(n, momo.persona.name, locale),
        "other_locale": "en" if locale == "zh-CN" else "zh-CN",
        "path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "crisis_lines": momo.crisis.lines,
    }
    with speaking(locale):
        response: HTMLResponse = templates.TemplateResponse(
            request, name, {**base, **context}, status_code=status
        )
    response.headers["Cache-Control"] = "no-store" if viewer else "private, max-age=0"
    return response


def render_error(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    response = page(request, "error.html", status=status, message=message)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def check_csrf(momo: MomoDep, viewer: Viewer, token: str) -> None:
    momo.accounts.check_csrf(viewer, token)


def back(url: str) -> RedirectResponse:
    # Only ever redirect inside this site.
    safe = url if url.startswith("/") and not url.startswith("//") else "/"
    return RedirectResponse(safe, status_code=303)


# -- browsing ---------------------------------------------------------------
async def _feed_page(request: Request, kind: str, cursor: str | None) -> Response:
    """A feed page. The first page for an anonymous reader is the same bytes for
    everyone of the same locale in the same bucket, and is served from the cache
    without a thread hop; anything else is rendered per request."""
    momo = get_momo(request)
    locale = get_locale(request, momo)

    def render() -> Response:
        feed = momo.feeds.feed(kind, cursor, locale)
        return page(request, "feed.html", feed=feed, tab=kind, topics=momo.feeds.popular_topics())

    if cursor or request.url.query or request.cookies.get(SESSION_COOKIE):
        return await run_in_threadpool(render)
    key = html_feed_key(kind, locale, momo.time.release_key())
    body = await momo.feed_cache.get_or_build(key, lambda: bytes(render().body))
    return HTMLResponse(body, headers={"Cache-Control": HTML_CACHE_CONTROL})


@router.get("/", response_class=HTMLResponse)
async def discover(request: Request, cursor: str | None = None) -> Response:
    return await _feed_page(request, "discover", cursor)


@router.get("/latest", response_class=HTMLResponse)
async def latest(request: Request, cursor: str | None = None) -> Response:
    return await _feed_page(request, "latest", cursor)


@router.get("/topics/{name}", response_class=HTMLResponse)
def topic(
    request: Request, name: str, momo: MomoDep, locale: LocaleDep, cursor: str | None = None
) -> Response:
    feed = momo.feeds.topic(name, cursor, locale)
    return page(
        request, "feed.html", feed=feed, tab="topic", topic=normalize_topic(name), topics=[]
    )


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request, momo: MomoDep, locale: LocaleDep, q: str = "", cursor: str | None = None
) -> Response:
    feed = momo.feeds.search(q, cursor, locale) if q.strip() else None
    return page(request, "search.html", feed=feed, q=q, care=momo.crisis.needs_care(q))


@router.get("/notes/{note_id}", response_class=HTMLResponse)
def note(
    request: Request, note_id: str, momo: MomoDep, viewer: ViewerDep, locale: LocaleDep
) -> Response:
    view = momo.notes.page(note_id, viewer, locale)
    posted = request.query_params.get("posted")
    release = None
    if viewer is not None and posted in ("note", "comment"):
        earliest, latest = momo.time.release_window(comment=posted == "comment")
        release = (posted, clock_time(earliest), clock_time(latest))
    return page(
        request,
        "note.html",
        note=view,
        reply_to=request.query_params.get("reply_to"),
        release=release,
        care=viewer is not None and request.query_params.get("care") == "1",
        contexts=momo.context_notes.for_note(note_id, locale, viewer),
        probation=viewer is not None and momo.policy.in_probation(viewer),
    )


@router.get("/media/{name}")
def media(name: str, momo: MomoDep) -> Response:
    return _image(momo, name, thumb=False)


@router.get("/media/t/{name}")
def media_thumb(name: str, momo: MomoDep) -> Response:
    return _image(momo, name, thumb=True)


def _image(momo: Momo, name: str, *, thumb: bool) -> Response:
    if not re.fullmatch(r"[A-Za-z0-9_-]{24}\.(jpg|png)", name):
        raise NotFound("no such image")
    data = momo.media.read(name, thumb=thumb)
    if data is None:
        raise NotFound("no such image")
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return Response(
        data, media_type=kind, headers={"Cache-Control": "public, max-age=31536000, immutable"}
    )


@router.get("/manifest.webmanifest")
def manifest(momo: MomoDep) -> Response:
    """Installable on a phone: the one persona is the app's name and icon."""
    body = {
        "name": momo.persona.name,
        "short_name": momo.persona.name,
        "start_url": "/",
        "display": "standalone",
        "background_color": "#fafafa",
        "theme_color": "#d91a36",
        "icons": [{"src": momo.persona.avatar, "sizes": "any", "purpose": "any"}],
    }
    return JSONResponse(body, media_type="application/manifest+json")


@router.get("/wellbeing", response_class=HTMLResponse)
def wellbeing(request: Request) -> Response:
    """Settings that live in the browser: the page is the same for everyone."""
    return page(request, "wellbeing.html")


@router.get("/about", response_class=HTMLResponse)
def about(request: Request) -> Response:
    return page(request, "about.html")


@router.get("/lang/{code}")
def switch_language(code: str, next: str = "/") -> Response:
    response = back(next)
    if code in LOCALES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax", path="/")
    return response


# -- accounts ---------------------------------------------------------------
@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request, momo: MomoDep) -> Response:
    challenge = momo.registration.challenge()
    return page(
        request,
        "signup.html",
        policy=momo.registration.policy.value,
        challenge=challenge.challenge,
        difficulty=challenge.difficulty,
    )


@router.post("/signup", response_class=HTMLResponse)
def signup(
    request: Request,
    momo: MomoDep,
    challenge: Annotated[str, Form(max_length=200)] = "",
    nonce: Annotated[str, Form(max_length=64)] = "",
    invite_code: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    created = momo.registration.register(
        client_subject(request),
        challenge=challenge or None,
        nonce=nonce if challenge else None,
        invite_code=invite_code or None,
    )
    token = momo.accounts.sign_in(created.account_key)
    response = page(request, "signup_done.html", account_key=created.account_key)
    response.headers["Cache-Control"] = "no-store"
    set_session_cookie(request, response, momo, token)
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request) -> Response:
    return page(request, "signin.html")


@router.post("/signin")
def signin(
    request: Request,
    momo: MomoDep,
    account_key: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    momo.limiter.enforce("signin", client_subject(request), 30, 300)
    token = momo.accounts.sign_in(account_key)
    response = back(next)  # back() only ever goes to a path on this site
    set_session_cookie(request, response, momo, token)
    return response


@router.post("/signout")
def signout(momo: MomoDep, viewer: SignedInDep, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(momo, viewer, csrf)
    momo.accounts.sign_out(viewer.token)
    response = back("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me", response_class=HTMLResponse)
def me(request: Request, momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> Response:
    return page(
        request,
        "me.html",
        notes=momo.notes.mine(viewer, locale),
        bookmarks=momo.feeds.cards(momo.reactions.bookmarks(viewer), locale),
    )


@router.get("/me/replies", response_class=HTMLResponse)
def replies(request: Request, momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> Response:
    return page(request, "replies.html", replies=momo.notes.replies_to(viewer, locale))


@router.post("/me/delete")
def delete_account(
    momo: MomoDep,
    viewer: SignedInDep,
    keep: Annotated[str, Form()] = "keep",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(momo, viewer, csrf)
    momo.delete_account(viewer, keep_notes=keep != "remove")
    response = back("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# -- writing ----------------------------------------------------------------
@router.get("/compose", response_class=HTMLResponse)
def compose_form(request: Request, viewer: SignedInDep) -> Response:
    return page(request, "compose.html", title="", body="", editing=None, warnings={})


@router.post("/compose")
def compose(
    request: Request,
    momo: MomoDep,
    viewer: SignedInDep,
    title: Annotated[str, Form(max_length=1000)],
    body: Annotated[str, Form(max_length=50_000)] = "",
    csrf: Annotated[str, Form()] = "",
    confirm_pii: Annotated[str, Form()] = "",
    alts: Annotated[str, Form(max_length=5000)] = "",
    images: Annotated[list[UploadFile], File()] = [],  # noqa: B006
) -> Response:
    check_csrf(momo, viewer, csrf)
    warnings = {} if confirm_pii else privacy_warnings(title=title, body=body, alts=alts)
    if warnings:
        dropped = any(upload.filename for upload in images)
        return page(
            request,
            "compose.html",
            title=title,
            body=body,
            alts=alts,
            editing=None,
            warnings=warnings,
            images_dropped=dropped,
        )
    # A plain route runs in a worker thread: decoding never blocks the event loop.
    raw = [upload.file.read() for upload in images if upload.filename]
    note_id = momo.notes.create(viewer, title, body, raw, alts.splitlines())
    # Without JavaScript the live check never ran: offer the lines after posting.
    care = "&care=1" if momo.crisis.needs_care(f"{title}\n{body}") else ""
    return back(f"/notes/{note_id}?posted=note{care}")


@router.post("/compose/style", response_class=HTMLResponse)
def compose_style(
    request: Request,
    momo: MomoDep,
    viewer: SignedInDep,
    locale: LocaleDep,
    title: Annotated[str, Form(max_length=1000)] = "",
    body: Annotated[str, Form(max_length=50_000)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """The style check: without JavaScript the draft comes back with the answer; with
    it, the script takes the answer's block from this same page."""
    check_csrf(momo, viewer, csrf)
    draft = f"{title}\n{body}"
    style = momo.style_exposure(viewer, draft, locale) if draft.strip() else None
    return page(
        request, "compose.html", title=title, body=body, editing=None, warnings={}, style=style
    )


@router.get("/notes/{note_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, note_id: str, momo: MomoDep, viewer: SignedInDep, locale: LocaleDep
) -> Response:
    view = momo.notes.page(note_id, viewer, locale)
    if not (view.viewer and view.viewer.is_author):
        raise Forbidden("only the note's author can change it")
    return page(
        request, "compose.html", title=view.title, body=view.body, editing=view.id, warnings={}
    )


@router.post("/notes/{note_id}/edit")
def edit(
    request: Request,
    note_id: str,
    momo: MomoDep,
    viewer: SignedInDep,
    title: Annotated[str, Form(max_length=1000)],
    body: Annotated[str, Form(max_length=50_000)] = "",
    csrf: Annotated[str, Form()] = "",
    confirm_pii: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(momo, viewer, csrf)
    warnings = {} if confirm_pii else privacy_warnings(title=title, body=body)
    if warnings:
        return page(
            request, "compose.html", title=title, body=body, editing=note_id, warnings=warnings
        )
    momo.notes.edit(viewer, note_id, title, body)
    return back(f"/notes/{note_id}")


@router.post("/notes/{note_id}/delete")
def delete_note(
    note_id: str, momo: MomoDep, viewer: SignedInDep, csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(momo, viewer, csrf)
    momo.notes.delete(viewer, note_id)
    return back("/me")


@router.post("/notes/{note_id}/comments")
def comment(
    request: Request,
    note_id: str,
    momo: MomoDep,
    viewer: SignedInDep,
    body: Annotated[str, Form(max_length=10_000)],
    reply_to: Annotated[str, Form(max_length=100)] = "",
    csrf: Annotated[str, Form()] = "",
    confirm_pii: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(momo, viewer, csrf)
    warnings = {} if confirm_pii else privacy_warnings(body=body)
    if warnings:
        return page(
            request,
            "comment_confirm.html",
            note_id=note_id,
            body=body,
            reply_to=reply_to,
            warnings=warnings,
        )
    momo.comments.add(viewer, note_id, body, reply_to or None)
    care = "&care=1" if momo.crisis.needs_care(body) else ""
    return back(f"/notes/{note_id}?posted=comment{care}#comments")


@router.post("/notes/{note_id}/react")
def react(
    note_id: str,
    momo: MomoDep,
    viewer: SignedInDep,
    kind: Annotated[str, Form()],
    on: Annotated[str, Form()] = "1",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(momo, viewer, csrf)
    if kind not in ("like", "hug", "collect"):
        raise NotFound("no such reaction")
    momo.reactions.set_note_reaction(viewer, kind, note_id, on == "1")
    return back(f"/notes/{note_id}#actions")


@router.post("/comments/{comment_id}/delete")
def delete_comment(
    comment_id: str,
    momo: MomoDep,
    viewer: SignedInDep,
    note_id: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(momo, viewer, csrf)
    momo.comments.delete(viewer, comment_id)
    return back(f"/notes/{note_id}#comments" if note_id else "/")
