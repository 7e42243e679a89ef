"""Request-scoped helpers: the Momo object, the signed-in viewer, the locale."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from momo.core import Momo
from momo.errors import NotSignedIn
from momo.identity.accounts import Viewer
from momo.web.i18n import negotiate

SESSION_COOKIE = "momo_session"
LANG_COOKIE = "momo_lang"


def get_momo(request: Request) -> Momo:
    momo: Momo = request.app.state.momo
    return momo


def get_viewer(request: Request, momo: Annotated[Momo, Depends(get_momo)]) -> Viewer | None:
    if hasattr(request.state, "viewer"):
        cached: Viewer | None = request.state.viewer
        return cached
    viewer = momo.accounts.resolve(request.cookies.get(SESSION_COOKIE))
    request.state.viewer = viewer
    return viewer


def require_viewer(viewer: Annotated[Viewer | None, Depends(get_viewer)]) -> Viewer:
    if viewer is None:
        raise NotSignedIn("sign in first")
    return viewer


def get_locale(request: Request, momo: Annotated[Momo, Depends(get_momo)]) -> str:
    return negotiate(
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
        momo.settings.default_locale,
    )


def client_subject(request: Request) -> str:
    """The rotating keyed hash that stands in for the client's address."""
    return str(request.scope.get("state", {}).get("client_subject", "unknown"))


MomoDep = Annotated[Momo, Depends(get_momo)]
ViewerDep = Annotated[Viewer | None, Depends(get_viewer)]
SignedInDep = Annotated[Viewer, Depends(require_viewer)]
LocaleDep = Annotated[str, Depends(get_locale)]
