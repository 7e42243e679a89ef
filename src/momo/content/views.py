"""Response models for the read paths. The API declares them; the templates render them."""

from __future__ import annotations

from pydantic import BaseModel

from momo.identity.persona import Persona


class ImageView(BaseModel):
    url: str
    thumb_url: str
    width: int
    height: int
    alt: str = ""  # the author's description of the image, for screen readers


def image_view(name: str, width: int, height: int, alt: str = "") -> ImageView:
    return ImageView(
        url=f"/media/{name}", thumb_url=f"/media/t/{name}", width=width, height=height, alt=alt
    )


class NoteCard(BaseModel):
    id: str
    title: str
    excerpt: str
    cover: ImageView | None
    like_count: int
    comment_count: int
    time: str
    time_ago: str
    has_context: bool = False  # a helpful context note shows under the post


class CommentView(BaseModel):
    id: str
    voice: str
    voice_number: int
    is_op: bool
    reply_to_voice: str | None
    reply_to_number: int | None
    parent_id: str | None
    reply_to_id: str | None = None  # the comment a reply answers
    body: str
    time: str
    time_ago: str
    like_count: int
    removed: bool
    collapsed: bool
    replies: list[CommentView] = []


class ViewerState(BaseModel):
    liked: bool
    # The viewer's own comments in this thread (from their vault), so they can delete them.
    my_comments: list[str] = []
    hugged: bool = False
    collected: bool
    is_author: bool
    voice: str | None


class NoteView(BaseModel):
    id: str
    title: str
    body: str
    topics: list[str]
    images: list[ImageView]
    persona: Persona
    time: str
    time_ago: str
    edited: bool
    like_count: int
    comment_count: int
    collect_count: int
    hug_count: int = 0
    locked: bool
    slow_mode_seconds: int
    damped: bool = False
    recent_voices: int = 0
    comments: list[CommentView]
    viewer: ViewerState | None = None


class ReplyToMe(BaseModel):
    """A reply in someone's notifications: to their note, or to their comment."""

    comment_id: str
    note_id: str
    note_title: str
    voice: str
    body: str
    to: str  # "note" or "comment"
    bucket: int  # the public bucket start, so the device can tell what is new
    time: str
    time_ago: str


class FeedPage(BaseModel):
    items: list[NoteCard]
    next_cursor: str | None
    # Discover ends after the day's set: "you're all caught up", not more to scroll.
    caught_up: bool = False


class MyNote(BaseModel):
    id: str
    title: str
    time: str
    time_ago: str
    status: str
    scheduled: bool
