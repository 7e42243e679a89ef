"""Every string people read, in Simplified Chinese and English, through gettext.

Source strings are English and are marked where they are written: ``_()``,
``ngettext()`` and ``pgettext()`` in templates; ``N_()`` or an error class's first
argument in Python. Domain code only marks a string; whoever knows the reader's
locale translates it. ``pybabel extract`` (``make messages``) collects the marks
into ``locales/messages.pot``, and the catalogues are
``locales/<zh_CN|en>/LC_MESSAGES/messages.po``. They are compiled in memory the
first time they are used, so there is no build step and no compiled file to go
stale beside its source.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_skeleton, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = ("zh-CN", "en")
CATALOGUES = Path(__file__).parent / "locales"

# Error classes whose first argument is a message people read. Extraction treats
# them like gettext calls; a test checks every user-facing error class is listed.
ERROR_KEYWORDS = (
    "MomoError",
    "InvalidInput",
    "NotFound",
    "NotSignedIn",
    "Forbidden",
    "Conflict",
    "TooManyRequests",
    "PayloadTooLarge",
    "RateLimited",
    "ImageRejected",
    "MalformedAccountKey",
    "InvalidProof",
)
KEYWORDS: dict[str, object] = {
    "N_": None,
    "NP_": ((1, "c"), 2),
    "translate": (2,),
    "translate_plural": (2, 3),
    "translate_in_context": ((2, "c"), 3),
    **dict.fromkeys(ERROR_KEYWORDS, None),
}

_speaking: ContextVar[str] = ContextVar("momo_locale", default="zh-CN")


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Marks ``message`` for the catalogues; it is translated where it is shown."""
    return message


# A marked string, or (context, string) where one English word means two things.
Label = str | tuple[str, str]


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802
    """Marks ``message`` in ``context`` (``pgettext``) without translating it yet."""
    return context, message


def translate_label(locale: str, label: Label, **values: object) -> str:
    if isinstance(label, tuple):
        return translate_in_context(locale, label[0], label[1], **values)
    return translate(locale, label, **values)


def babel_locale(locale: str) -> str:
    return "en" if locale == "en" else "zh_CN"


@cache
def catalogue(locale: str) -> Translations:
    path = CATALOGUES / babel_locale(locale) / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as source:
        messages = read_po(source, locale=babel_locale(locale))
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(fp=compiled)


def translate(locale: str, message: str, **values: object) -> str:
    text = catalogue(locale).gettext(message)
    return text % values if values else text


def translate_plural(locale: str, singular: str, plural: str, n: int, **values: object) -> str:
    return str(catalogue(locale).ngettext(singular, plural, n)) % {"num": n, **values}


def translate_in_context(locale: str, context: str, message: str, **values: object) -> str:
    text = str(catalogue(locale).pgettext(context, message))
    return text % values if values else text


def relative_age(seconds: float, locale: str) -> str:
    """'3 hours ago' / '3小时前', in whole units (Babel's CLDR wording)."""
    # A minute is the finest unit shown for a bucket's age, so the wording is cached
    # by the minute: formatting it costs ~0.1 ms, and an uncached page has 20 cards.
    return _relative_minutes(round(seconds / 60), locale)


@lru_cache(maxsize=4096)
def _relative_minutes(minutes: int, locale: str) -> str:
    return format_timedelta(
        timedelta(minutes=-minutes),
        add_direction=True,
        threshold=1,
        format="long",
        locale=Locale.parse(babel_locale(locale)),
    )


# -- the locale of the page being rendered ----------------------------------
@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Templates render synchronously inside this block; their ``_()`` reads it."""
    token = _speaking.set(locale)
    try:
        yield
    finally:
        _speaking.reset(token)


def current_locale() -> str:
    return _speaking.get()


def template_gettext(message: str) -> str:
    return catalogue(_speaking.get()).gettext(message)


def template_ngettext(singular: str, plural: str, n: int) -> str:
    return str(catalogue(_speaking.get()).ngettext(singular, plural, n))


def template_pgettext(context: str, message: str) -> str:
    return str(catalogue(_speaking.get()).pgettext(context, message))


def template_npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return str(catalogue(_speaking.get()).npgettext(context, singular, plural, n))


def local_time(iso_minute: str, locale: str) -> str:
    """A stored bucket's ISO time ('2026-12-03T11:05Z') as the reader writes dates:
    '2026年12月3日 11:05' or 'Dec 3, 2026, 11:05' (UTC, to the minute, never finer)."""
    try:
        moment = datetime.strptime(iso_minute, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    except ValueError:
        return iso_minute
    where = babel_locale(locale)
    day = format_skeleton("yMMMd", moment, tzinfo=UTC, locale=where)
    return f"{day} {format_skeleton('Hm', moment, tzinfo=UTC, locale=where)} UTC"


def pybabel_keyword_flags() -> str:
    """``-k`` options for ``pybabel extract`` (the Makefile's ``messages`` target)."""
    flags = []
    for name, spec in KEYWORDS.items():
        if spec is None:
            flags.append(f"-k {name}")
            continue
        places = [f"{p[0]}c" if isinstance(p, tuple) else str(p) for p in spec]  # type: ignore[attr-defined]
        flags.append(f"-k {name}:{','.join(places)}")
    return " ".join(flags)
