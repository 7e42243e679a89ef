"""Build the FastAPI application around one Momo object."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from momo import __version__
from momo.core import Momo
from momo.web import api, errors, moderation_api, moderation_pages, pages
from momo.web.client_shield import ClientShield

STATIC = Path(__file__).parent / "static"


def create_app(momo: Momo) -> FastAPI:
    app = FastAPI(
        title="Momo",
        version=__version__,
        description="A community where everyone is Momo. No identifiers, no exact times, "
        "no addresses: see docs/threat-model.md.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.momo = momo
    errors.install(app)
    app.include_router(api.router)
    app.include_router(moderation_api.router)
    app.include_router(pages.router)
    app.include_router(moderation_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    settings = momo.settings
    body_limit = settings.max_image_bytes * settings.max_images_per_note + 1024 * 1024
    app.add_middleware(
        ClientShield,
        limiter=momo.limiter,
        trusted_proxies=settings.trusted_proxies,
        max_body_bytes=body_limit,
    )
    return app
