"""Build the FastAPI application around one Momo object."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from momo import __version__
from momo.core import Momo
from momo.web import api, context_routes, errors, moderation_api, moderation_pages, pages
from momo.web.browser_guard import BrowserGuard
from momo.web.cached_pages import CachedPages
from momo.web.client_shield import ClientShield
from momo.web.write_lane import WriteLane, default_lanes

STATIC = Path(__file__).parent / "static"
HOUSEKEEPING_SECONDS = 30.0
log = logging.getLogger(__name__)


async def _housekeeping(momo: Momo, every: float) -> None:
    """Publish ended buckets and empty the WAL, at least once a minute."""
    settled = False
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(momo.housekeeping)
        except Exception:  # keep the loop alive; the next round retries
            log.exception("housekeeping failed")
        if not settled:
            # By now the first requests have loaded what loads lazily (templates,
            # statements, modules): put that away too.
            settle_heap()
            settled = True


def settle_heap() -> None:
    """Take every object alive now out of the garbage collector's full passes.

    A full pass walks every object the process holds: about 180,000 once the
    server runs, 65 ms on the benchmark machine, and every request in flight
    waits for it. Such passes come rarely (when the long-lived objects have grown
    by a quarter), but each would be a latency spike. What stays alive from
    startup is never garbage, so the passes skip it; objects created later are
    collected as before."""
    gc.collect()  # nothing that is already garbage gets kept
    gc.freeze()


def factory() -> FastAPI:
    """The app for one worker process (``momo serve --workers N``, or any ASGI
    server run with ``--factory momo.web.app:factory``). Every setting comes from
    ``MOMO_*`` environment variables, exactly as the CLI reads them; migrations
    are the parent's job, done once before the workers start."""
    from momo.config import Settings

    return create_app(Momo(Settings()))


def create_app(momo: Momo, *, housekeeping_seconds: float = HOUSEKEEPING_SECONDS) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_housekeeping(momo, housekeeping_seconds))
        settle_heap()
        try:
            yield
        finally:
            gc.unfreeze()  # what this app held may be collected once it is gone
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            momo.close()  # checkpoints the WAL away and closes every connection

    app = FastAPI(
        lifespan=lifespan,
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
    # Routes are tried in this order: the busy ones (feeds, notes, the home page)
    # first. No two routers share a path, so the order changes nothing else.
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(context_routes.api)
    app.include_router(context_routes.pages)
    app.include_router(moderation_api.router)
    app.include_router(moderation_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    settings = momo.settings
    body_limit = settings.max_image_bytes * settings.max_images_per_note + 1024 * 1024
    # Innermost first: a page answered from the cache still passes the shield and
    # the guard, and skips only the routing.
    app.add_middleware(CachedPages, momo=momo)
    app.add_middleware(WriteLane, lanes=settings.write_lanes or default_lanes(momo.db.dialect))
    app.add_middleware(BrowserGuard)
    app.add_middleware(
        ClientShield,
        limiter=momo.limiter,
        trusted_proxies=settings.trusted_proxies,
        max_body_bytes=body_limit,
        body_seconds=settings.body_timeout_seconds,
        requests_per_minute=settings.requests_per_minute,
    )
    return app
