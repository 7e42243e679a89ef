"""Which language a reader gets (the text itself is in ``momo.translation``).

The locale comes from the ``momo_lang`` cookie when the person chose one,
else from Accept-Language, else from the operator's default.
"""

from __future__ import annotations

from momo.translation import LOCALES


def negotiate(cookie: str | None, accept_language: str | None, default: str) -> str:
    """The cookie's choice, else the browser's most preferred language we speak
    (``Accept-Language`` q-values, highest first), else the instance default."""
    if cookie in LOCALES:
        return cookie
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()))
    for negative_quality, _, tag in sorted(ranked):
        if negative_quality >= 0:
            break  # q=0 means "not this one", and everything after is worse
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return default if default in LOCALES else "zh-CN"
