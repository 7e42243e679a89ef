"""Cross-site scripting, in Chromium: user text on every page that shows it.

Each payload would call ``alert`` or set ``window.__xss`` if it ran. They are posted
as note titles and bodies, comments, topics, a search, report details and an appeal,
then every page that shows them is loaded in Debian's chromium. Nothing may run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server import (
    bucket_ends,
    grant_moderator,
    running_server,
    short_buckets,
    sign_up_over_http,
)

pytestmark = pytest.mark.browser

MARK = "window.__xss=1;alert(1)"
PAYLOADS = [
    f"<script>{MARK}</script>",
    f"<img src=x onerror={MARK}>",
    f'<img src="x" onerror="{MARK}">',
    f"<svg onload={MARK}>",
    f"<svg><script>{MARK}</script></svg>",
    f"<body onload={MARK}>",
    f'<iframe src="javascript:{MARK}"></iframe>',
    f'<iframe srcdoc="<script>{MARK}</script>"></iframe>',
    f'<a href="javascript:{MARK}">x</a>',
    f"<details open ontoggle={MARK}>",
    f"<input autofocus onfocus={MARK}>",
    f"<video><source onerror={MARK}></video>",
    f"<audio src=x onerror={MARK}>",
    f"<marquee onstart={MARK}>x</marquee>",
    f'<object data="javascript:{MARK}"></object>',
    f'<embed src="javascript:{MARK}">',
    f"<math><mtext><table><mglyph><style><img src=x onerror={MARK}>",
    f"<form><button formaction=javascript:{MARK}>x</button></form>",
    f'<meta http-equiv=refresh content="0;url=javascript:{MARK}">',
    f'<link rel=import href="data:text/html,<script>{MARK}</script>">',
    f'"><script>{MARK}</script>',
    f"'><script>{MARK}</script>",
    f"</textarea><script>{MARK}</script>",
    f"</title><script>{MARK}</script>",
    f"</script><script>{MARK}</script>",
    f"<scr<script>ipt>{MARK}</scr</script>ipt>",
    f"<ScRiPt>{MARK}</sCrIpT>",
    "<img src=x:alert(1) onerror=eval(src)>",
    "<img src=x onerror=&#119;indow.__xss=1>",
    "<img src=x onerror=\\u0061lert(1)>",
    f"<svg><animate onbegin={MARK} attributeName=x dur=1s>",
    f"<style>@import 'javascript:{MARK}';</style>",
    f'<div style="background:url(javascript:{MARK})">x</div>',
    f'<base href="javascript:{MARK}//">',
    f"{{{{constructor.constructor('{MARK}')()}}}}",
    f"${{{MARK}}}",
    f"#<img src=x onerror={MARK}>",
    f"javascript:{MARK}",
    f"data:text/html,<script>{MARK}</script>",
    f"<x contenteditable onblur={MARK}>lose focus</x>",
    f'<noscript><p title="</noscript><img src=x onerror={MARK}>">',
    f"<template><script>{MARK}</script></template>",
    f"<select autofocus onfocus={MARK}>",
    f"<textarea autofocus onfocus={MARK}>x</textarea>",
    f"<keygen autofocus onfocus={MARK}>",
]


def _probe(page: Any, url: str, fired: list[str]) -> None:
    page.goto(url)
    page.wait_for_timeout(150)
    if page.evaluate("() => window.__xss === 1"):
        fired.append(url)


def test_no_payload_runs_on_any_page(browser, tmp_path: Path, database_template: str) -> None:  # type: ignore[no-untyped-def]
    assert len(PAYLOADS) >= 40
    # Guard the guard: on a page without escaping or CSP, the detector sees a payload run.
    bare = browser.new_page()
    bare.on("dialog", lambda dialog: dialog.dismiss())
    bare.set_content(PAYLOADS[1])
    bare.wait_for_timeout(150)
    assert bare.evaluate("() => window.__xss === 1")
    bare.close()
    env = short_buckets(database_template, MOMO_PROBATION_DAYS="0", MOMO_SIGNUPS_PER_HOUR="50")
    with running_server(tmp_path, env) as server:
        base = server.base_url
        author = httpx.Client(base_url=base, timeout=60)
        sign_up_over_http(author)
        reporter = httpx.Client(base_url=base, timeout=60)
        sign_up_over_http(reporter)
        moderator = httpx.Client(base_url=base, timeout=60)
        grant_moderator(server, sign_up_over_http(moderator), env)

        notes = []
        for index in range(0, 18, 2):
            title = PAYLOADS[index][:100]
            body = f"{PAYLOADS[index + 1]} #{PAYLOADS[index][:20]}"
            created = author.post("/api/notes", json={"title": title, "body": body})
            assert created.status_code == 201, created.text
            notes.append(created.json()["id"])
        bucket_ends()
        comments = []
        for index, payload in enumerate(PAYLOADS[18:]):
            made = author.post(
                f"/api/notes/{notes[index % len(notes)]}/comments", json={"body": payload}
            )
            assert made.status_code == 201, made.text
            comments.append(made.json()["id"])
        bucket_ends()
        for note_id, payload in zip(notes[:4], PAYLOADS, strict=False):
            reporter.post(
                "/api/reports",
                json={
                    "target_type": "note",
                    "target_id": note_id,
                    "reason": "spam",
                    "detail": payload,
                },
            )
        moderator.post(
            "/api/mod/actions",
            json={
                "target_type": "comment",
                "target_id": comments[0],
                "action": "sanction",
                "rule": "spam",
            },
        )
        (sanction,) = author.get("/api/me/sanctions").json()
        author.post("/api/appeals", json={"action_id": sanction["action_id"], "text": PAYLOADS[0]})

        fired: list[str] = []
        dialogs: list[str] = []
        for who in (author, moderator):
            context = browser.new_context(locale="en-US")
            context.add_cookies(
                [{"name": "momo_session", "value": who.cookies["momo_session"], "url": base}]
            )
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            urls = ["/", "/latest", "/me", "/modlog", "/me/notices", f"/search?q={PAYLOADS[1]}"]
            urls += [f"/notes/{n}" for n in notes]
            if who is moderator:
                urls.append("/mod")
            for url in urls:
                _probe(page, base + url, fired)
            context.close()
        assert not fired and not dialogs, (fired, dialogs)
