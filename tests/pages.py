"""Every page of the site, for the tests that must visit them all (accessibility in
both languages, no English left in the Chinese interface). A new page goes here once."""

from __future__ import annotations


def public_pages(note_id: str) -> list[str]:
    return [
        "/",
        "/latest",
        "/topics/旅行",
        "/search?q=爬山",
        f"/notes/{note_id}",
        "/about",
        "/signin",
        "/signup",
        "/modlog",
        "/transparency",
        "/wellbeing",
        "/context-notes/log",
        "/no-such-page",
    ]


def signed_in_pages(note_id: str) -> list[str]:
    """For a member who is also a moderator (the moderation queue is among them)."""
    return [
        "/compose",
        "/me",
        "/me/notices",
        "/me/replies",
        "/context-notes",
        "/mod",
        f"/notes/{note_id}",
    ]
