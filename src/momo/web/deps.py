"""Request-scoped helpers: the Momo object, the signed-in viewer, the locale."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from momo.core import Momo
from momo.errors import NotSignedIn
from momo.identity.accounts import Viewer
from momo.web.i18n import negotiate

SESSION_COOKIE = "momo_session"
LANG_COOKIE = "momo_lang"


def get_momo(request: Request) -> Momo:
    momo: Momo = request.app.state.momo
    return momo


# Dependencies that do no I/O are coroutines: FastAPI runs a plain ``def``
# dependency in the thread pool, a hop per dependency per request.
async def momo_dependency(request: Request) -> Momo:
    return get_momo(request)


def get_viewer(request: Request, momo: Momo) -> Viewer | None:
    if hasattr(request.state, "viewer"):
        cached: Viewer | None = request.state.viewer
        return cached
    viewer = momo.accounts.resolve(request.cookies.get(SESSION_COOKIE))
    request.state.viewer = viewer
    return viewer


async def viewer_dependency(request: Request) -> Viewer | None:
    """The signed-in viewer; a request without a session cookie needs no lookup."""
    if not request.cookies.get(SESSION_COOKIE):
        return None
    return await run_in_threadpool(get_viewer, request, get_momo(request))


Result = TypeVar("Result")


async def as_signed_in(request: Request, work: Callable[[Momo, Viewer], Result]) -> Result:
    """Find the viewer and do ``work`` in one worker-thread hop, for the busiest writes.

    As a dependency and a plain route, a write made three hops (the viewer, the
    route, FastAPI's check of the response), and the hops cost more than the write's
    own SQL: each wakes a thread, and work moved between threads ran up to twice as
    long as on one (docs/performance.md, "Writes")."""
    momo = get_momo(request)

    def signed_in_work() -> Result:
        return work(momo, _signed_in(get_viewer(request, momo)))

    return await run_in_threadpool(signed_in_work)


async def require_viewer(viewer: Annotated[Viewer | None, Depends(viewer_dependency)]) -> Viewer:
    return _signed_in(viewer)


def _signed_in(viewer: Viewer | None) -> Viewer:
    if viewer is None:
        raise NotSignedIn("sign in first")
    return viewer


def get_locale(request: Request, momo: Momo) -> str:
    return negotiate(
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
        momo.settings.default_locale,
    )


async def locale_dependency(request: Request) -> str:
    return get_locale(request, get_momo(request))


def client_subject(request: Request) -> str:
    """The rotating keyed hash that stands in for the client's address."""
    return str(request.scope.get("state", {}).get("client_subject", "unknown"))


MomoDep = Annotated[Momo, Depends(momo_dependency)]
ViewerDep = Annotated[Viewer | None, Depends(viewer_dependency)]
SignedInDep = Annotated[Viewer, Depends(require_viewer)]
LocaleDep = Annotated[str, Depends(locale_dependency)]
