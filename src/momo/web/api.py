"""The JSON API under /api. Each route validates input, calls the domain, shapes output."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from momo.audit.views import Exposure
from momo.content.views import FeedPage, MyNote, NoteView, ReplyToMe
from momo.core import Momo
from momo.identity.accounts import Viewer
from momo.identity.persona import Persona
from momo.identity.voices import voice_label
from momo.privacy import pii
from momo.privacy.coarse_time import bucket_iso
from momo.web.cached_pages import feed_key, note_key
from momo.web.deps import (
    SESSION_COOKIE,
    LocaleDep,
    MomoDep,
    SignedInDep,
    ViewerDep,
    as_signed_in,
    client_subject,
    get_locale,
    get_momo,
    get_viewer,
)

router = APIRouter(prefix="/api", tags=["api"])


class AccountCreated(BaseModel):
    account_key: str = Field(
        description="Shown once. Only a hash is stored; it cannot be recovered."
    )


class ProofOfWorkAnswer(BaseModel):
    challenge: str = Field(max_length=200)
    nonce: str = Field(max_length=64)


class SignUp(BaseModel):
    pow: ProofOfWorkAnswer | None = None
    invite_code: str | None = Field(default=None, max_length=100)


class PowChallenge(BaseModel):
    challenge: str
    difficulty: int = Field(description="Leading zero bits SHA-256(challenge ':' nonce) needs")
    policy: str


class SignIn(BaseModel):
    account_key: str = Field(max_length=200)


class NoteDraft(BaseModel):
    title: str = Field(max_length=1000)
    body: str = Field(default="", max_length=50_000)


class Created(BaseModel):
    id: str


class Scheduled(BaseModel):
    """A new note or comment: it goes public with its whole time bucket, not at once."""

    id: str
    visible_from: str = Field(description="Earliest public moment (UTC, to the minute)")
    visible_by: str = Field(description="Latest public moment (the publish jitter adds delay)")


def scheduled(momo: Momo, item_id: str, *, comment: bool = False) -> Scheduled:
    earliest, latest = momo.time.release_window(comment=comment)
    return Scheduled(id=item_id, visible_from=bucket_iso(earliest), visible_by=bucket_iso(latest))


class CommentDraft(BaseModel):
    body: str = Field(max_length=10_000)
    reply_to: str | None = Field(default=None, max_length=100)


class CommentCreated(Scheduled):
    voice: str


class Count(BaseModel):
    count: int
    on: bool


class Ok(BaseModel):
    ok: bool = True


class TopicPage(FeedPage):
    name: str


# Hot reads first: FastAPI tries routes in the order they are declared, and
# walking forty others cost as much as serving a cached page.
@router.get("/feed", response_model=FeedPage)
async def feed(
    request: Request,
    kind: Literal["latest", "discover"] = "discover",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """A feed page, the same for everyone: served from the response cache, or one
    keyset query on the feed's own index when missing."""
    momo = get_momo(request)
    locale = get_locale(request, momo)

    def render() -> bytes:
        return momo.feeds.feed(kind, cursor, locale).model_dump_json().encode()

    # Feeds are identity-blind, so every reader walking a feed in the same release
    # asks for the same cursors: deeper pages are shared like the first.
    key = feed_key(kind, locale, momo.time.release_key(), cursor)
    body = await momo.feed_cache.get_or_build(key, render)
    return Response(body, media_type="application/json")


@router.get("/notes/{note_id}", response_model=NoteView)
async def get_note(note_id: str, request: Request) -> Response:
    """A note with its thread. Without a session it is the same for every reader, so
    it is cached like a feed page; a signed-in reader's view adds their own state."""
    momo = get_momo(request)
    locale = get_locale(request, momo)
    if request.cookies.get(SESSION_COOKIE):

        def personal() -> bytes:
            viewer = get_viewer(request, momo)
            return momo.notes.page(note_id, viewer, locale).model_dump_json().encode()

        body = await run_in_threadpool(personal)
    else:
        key = note_key(note_id, locale, momo.time.release_key())
        body = await momo.feed_cache.get_or_build(
            key, lambda: momo.notes.page(note_id, None, locale).model_dump_json().encode()
        )
    return Response(body, media_type="application/json")


@router.get("/search", response_model=FeedPage)
async def search(
    request: Request,
    q: Annotated[str, Query(max_length=100)],
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Matches newest first, the same for everyone. Not cached: each query reads the
    index. One worker-thread hop, and the page is serialised there, once: a plain
    route hopped again for FastAPI to check the returned model, then encoded it."""
    momo = get_momo(request)
    locale = get_locale(request, momo)
    body = await run_in_threadpool(
        lambda: momo.feeds.search(q, cursor, locale).model_dump_json().encode()
    )
    return Response(body, media_type="application/json")


@router.get("/topics/{name}", response_model=TopicPage)
def topic(
    name: str,
    momo: MomoDep,
    locale: LocaleDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> TopicPage:
    page = momo.feeds.topic(name, cursor, locale)
    return TopicPage(name=name, items=page.items, next_cursor=page.next_cursor)


@router.get("/persona", response_model=Persona)
def persona(momo: MomoDep) -> Persona:
    return momo.persona


@router.get("/pow", response_model=PowChallenge)
def pow_challenge(momo: MomoDep) -> PowChallenge:
    """A sign-up challenge. Find a nonce so SHA-256(challenge + ':' + nonce) starts with
    ``difficulty`` zero bits; ``momo client signup`` does it for scripts."""
    challenge = momo.registration.challenge()
    return PowChallenge(
        challenge=challenge.challenge,
        difficulty=challenge.difficulty,
        policy=momo.registration.policy.value,
    )


@router.post("/accounts", status_code=status.HTTP_201_CREATED, response_model=AccountCreated)
def create_account(momo: MomoDep, request: Request, body: SignUp | None = None) -> AccountCreated:
    body = body or SignUp()
    created = momo.registration.register(
        client_subject(request),
        challenge=body.pow.challenge if body.pow else None,
        nonce=body.pow.nonce if body.pow else None,
        invite_code=body.invite_code,
    )
    return AccountCreated(account_key=created.account_key)


class InviteCreated(BaseModel):
    code: str


@router.post("/invites", status_code=status.HTTP_201_CREATED, response_model=InviteCreated)
def create_invite(momo: MomoDep, viewer: SignedInDep) -> InviteCreated:
    return InviteCreated(code=momo.invites.issue(viewer))


@router.delete("/accounts/me", response_model=Ok)
def delete_account(
    momo: MomoDep, viewer: SignedInDep, response: Response, keep_notes: bool = True
) -> Ok:
    momo.delete_account(viewer, keep_notes=keep_notes)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return Ok()


@router.post("/session", response_model=Ok)
def sign_in(body: SignIn, momo: MomoDep, response: Response, request: Request) -> Ok:
    momo.limiter.enforce("signin", client_subject(request), 30, 300)
    token = momo.accounts.sign_in(body.account_key)
    set_session_cookie(request, response, momo, token)
    return Ok()


@router.delete("/session", response_model=Ok)
def sign_out(momo: MomoDep, viewer: ViewerDep, response: Response) -> Ok:
    if viewer is not None:
        momo.accounts.sign_out(viewer.token)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return Ok()


class ScanRequest(BaseModel):
    text: str = Field(max_length=20_000)


class FindingView(BaseModel):
    start: int = Field(description="Offset in code points")
    end: int
    kind: str
    text: str
    explanation: str


class ScanResult(BaseModel):
    findings: list[FindingView]
    care: bool = Field(
        default=False,
        description="The draft sounds like someone in crisis: show the crisis lines. "
        "Nothing is reported or stored, and the post is not blocked.",
    )


@router.post("/privacy/scan", response_model=ScanResult)
def privacy_scan(body: ScanRequest, momo: MomoDep, locale: LocaleDep) -> ScanResult:
    """Find personal data in a draft, and whether to offer crisis lines. Nothing
    is stored or logged."""
    return ScanResult(
        findings=finding_views(body.text, locale), care=momo.crisis.needs_care(body.text)
    )


def finding_views(text: str, locale: str) -> list[FindingView]:
    return [
        FindingView(**finding.as_dict(), explanation=pii.explain(finding.kind, locale))
        for finding in pii.scan(text)
    ]


class StyleRequest(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)


@router.post("/style/exposure", response_model=Exposure)
def style_exposure(
    body: StyleRequest, momo: MomoDep, viewer: SignedInDep, locale: LocaleDep
) -> Exposure:
    """How distinctive a draft is against your own posts and the community. Not stored."""
    return momo.style_exposure(viewer, body.text, locale)


@router.post("/notes", status_code=status.HTTP_201_CREATED, response_model=Scheduled)
async def create_note(draft: NoteDraft, request: Request) -> Scheduled:
    return await as_signed_in(
        request,
        lambda momo, viewer: scheduled(momo, momo.notes.create(viewer, draft.title, draft.body)),
    )


@router.post("/notes/with-images", status_code=status.HTTP_201_CREATED, response_model=Scheduled)
def create_note_with_images(
    momo: MomoDep,
    viewer: SignedInDep,
    title: Annotated[str, Form(max_length=1000)],
    body: Annotated[str, Form(max_length=50_000)] = "",
    images: Annotated[list[UploadFile], File()] = [],  # noqa: B006
    alts: Annotated[list[str], Form(description="One description per image, in order.")] = [],  # noqa: B006
) -> Scheduled:
    # A plain (not async) route: FastAPI runs it in a worker thread, so decoding
    # images never blocks the event loop that serves everyone else.
    raw = [upload.file.read() for upload in images if upload.filename]
    return scheduled(momo, momo.notes.create(viewer, title, body, raw, alts))


@router.patch("/notes/{note_id}", response_model=Ok)
def edit_note(note_id: str, draft: NoteDraft, momo: MomoDep, viewer: SignedInDep) -> Ok:
    momo.notes.edit(viewer, note_id, draft.title, draft.body)
    return Ok()


@router.delete("/notes/{note_id}", response_model=Ok)
def delete_note(note_id: str, momo: MomoDep, viewer: SignedInDep) -> Ok:
    momo.notes.delete(viewer, note_id)
    return Ok()


@router.post(
    "/notes/{note_id}/comments", status_code=status.HTTP_201_CREATED, response_model=CommentCreated
)
async def add_comment(note_id: str, draft: CommentDraft, request: Request) -> CommentCreated:
    def comment(momo: Momo, viewer: Viewer) -> CommentCreated:
        posted = momo.comments.add(viewer, note_id, draft.body, draft.reply_to)
        window = scheduled(momo, posted.id, comment=True)
        return CommentCreated(
            **window.model_dump(), voice=voice_label(posted.voice, momo.persona.name, "en")
        )

    return await as_signed_in(request, comment)


@router.delete("/comments/{comment_id}", response_model=Ok)
def delete_comment(comment_id: str, momo: MomoDep, viewer: SignedInDep) -> Ok:
    momo.comments.delete(viewer, comment_id)
    return Ok()


@router.post("/notes/{note_id}/like", response_model=Count)
def like(note_id: str, momo: MomoDep, viewer: SignedInDep) -> Count:
    return Count(count=momo.reactions.set_note_reaction(viewer, "like", note_id, True), on=True)


@router.delete("/notes/{note_id}/like", response_model=Count)
def unlike(note_id: str, momo: MomoDep, viewer: SignedInDep) -> Count:
    return Count(count=momo.reactions.set_note_reaction(viewer, "like", note_id, False), on=False)


@router.post("/notes/{note_id}/hug", response_model=Count)
def hug(note_id: str, momo: MomoDep, viewer: SignedInDep) -> Count:
    """抱抱: solidarity, counted like likes, never ranked."""
    return Count(count=momo.reactions.set_note_reaction(viewer, "hug", note_id, True), on=True)


@router.delete("/notes/{note_id}/hug", response_model=Count)
def unhug(note_id: str, momo: MomoDep, viewer: SignedInDep) -> Count:
    return Count(count=momo.reactions.set_note_reaction(viewer, "hug", note_id, False), on=False)


@router.post("/notes/{note_id}/collect", response_model=Count)
def collect(note_id: str, momo: MomoDep, viewer: SignedInDep) -> Count:
    return Count(count=momo.reactions.set_note_reaction(viewer, "collect", note_id, True), on=True)


@router.delete("/notes/{note_id}/collect", response_model=Count)
def uncollect(note_id: str, momo: MomoDep, viewer: SignedInDep) -> Count:
    count = momo.reactions.set_note_reaction(viewer, "collect", note_id, False)
    return Count(count=count, on=False)


@router.post("/comments/{comment_id}/like", response_model=Count)
def like_comment(comment_id: str, momo: MomoDep, viewer: SignedInDep) -> Count:
    return Count(count=momo.reactions.like_comment(viewer, comment_id, True), on=True)


@router.delete("/comments/{comment_id}/like", response_model=Count)
def unlike_comment(comment_id: str, momo: MomoDep, viewer: SignedInDep) -> Count:
    return Count(count=momo.reactions.like_comment(viewer, comment_id, False), on=False)


@router.get("/me/notes", response_model=list[MyNote])
def my_notes(momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> list[MyNote]:
    return momo.notes.mine(viewer, locale)


@router.get("/me/replies", response_model=list[ReplyToMe])
def my_replies(momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> list[ReplyToMe]:
    """Replies to your notes and comments, newest first, found through your vault.
    Nothing records that you looked: your device remembers what it has shown."""
    return momo.notes.replies_to(viewer, locale)


@router.get("/me/bookmarks", response_model=FeedPage)
def my_bookmarks(momo: MomoDep, viewer: SignedInDep, locale: LocaleDep) -> FeedPage:
    return momo.feeds.cards(momo.reactions.bookmarks(viewer), locale)


def set_session_cookie(request: Request, response: Response, momo: MomoDep, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=momo.settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        # Over HTTPS always; MOMO_COOKIE_SECURE covers a proxy that terminates TLS.
        secure=momo.settings.cookie_secure or request.url.scheme == "https",
        path="/",
    )
