"""The framework ceiling that bench/scale.py measures Momo against.

A bare FastAPI app on one uvicorn worker, serving responses of the same size
and shape as Momo's: a declared-model JSON feed page (built and validated per
request, as FastAPI does), a note page, and a Jinja2 page rendered from a
template of the same size as Momo's home page. The payloads come from the
running Momo instance, through files named in the environment.

    uvicorn ceiling:app --app-dir bench
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import DictLoader, Environment

from momo.content.views import FeedPage, NoteView

_feed = json.loads(Path(os.environ["CEILING_FEED"]).read_text(encoding="utf-8"))
_note = json.loads(Path(os.environ["CEILING_NOTE"]).read_text(encoding="utf-8"))
_html = Path(os.environ["CEILING_HTML"]).read_text(encoding="utf-8")

# The home page as a template: its text is the template, one variable is filled in.
_templates = Jinja2Templates(
    env=Environment(
        loader=DictLoader({"home.html": "{{ title }}{% raw %}" + _html + "{% endraw %}"}),
        autoescape=True,
    )
)
app = FastAPI()


@app.get("/feed", response_model=FeedPage)
async def feed() -> Any:
    return FeedPage.model_validate(_feed)


@app.get("/note", response_model=NoteView)
async def note() -> Any:
    return NoteView.model_validate(_note)


@app.get("/html", response_class=HTMLResponse)
async def html(request: Request) -> HTMLResponse:
    return _templates.TemplateResponse(request, "home.html", {"title": ""})
