"""The catalogues: every string people read is extracted by ``pybabel extract`` and
translated in both; plurals and dates follow each language's rules."""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.checkers import checkers
from babel.messages.pofile import read_po

import momo
from momo import errors, translation
from momo.translation import (
    local_time,
    translate,
    translate_in_context,
    translate_plural,
)

ROOT = Path(__file__).resolve().parents[1]


def _catalogue(locale: str):  # type: ignore[no-untyped-def]
    path = translation.CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as source:
        return read_po(source, locale=locale)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """What ``make messages`` would collect from the sources today."""
    pybabel = shutil.which("pybabel", path=str(Path(sys.executable).parent))
    assert pybabel, "pybabel (Babel) is a dependency"
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    keywords = translation.pybabel_keyword_flags().split()
    command = [pybabel, "extract", "-F", "babel.cfg", *keywords, "-o", str(out), "."]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    with out.open("rb") as source:
        return read_po(source)


def test_every_extracted_string_is_in_both_catalogues(extracted) -> None:  # type: ignore[no-untyped-def]
    assert len(extracted) > 300, "templates and domain messages are both extracted"
    for locale in ("zh_CN", "en"):
        catalogue = _catalogue(locale)
        missing = [
            message.id
            for message in extracted
            if message.id and catalogue.get(message.id, context=message.context) is None
        ]
        assert not missing, f"{locale} lacks {missing[:10]}: run make messages and translate"


def test_every_chinese_entry_is_translated_and_well_formed() -> None:
    catalogue = _catalogue("zh_CN")
    untranslated = [m.id for m in catalogue if m.id and not all(_strings(m.string))]
    assert not untranslated, f"untranslated in zh_CN: {untranslated[:10]}"
    assert not [m.id for m in catalogue if m.fuzzy and m.id], "fuzzy entries are not shipped"
    for locale in ("zh_CN", "en"):
        problems = [
            (message.id, str(error))
            for message in _catalogue(locale)
            if message.id and message.string
            for checker in checkers
            for error in _check(checker, _catalogue_ref(locale), message)
        ]
        assert not problems, problems[:5]


def _strings(string: object) -> tuple[str, ...]:
    return tuple(string) if isinstance(string, tuple) else (str(string),)


_cached: dict[str, object] = {}


def _catalogue_ref(locale: str):  # type: ignore[no-untyped-def]
    if locale not in _cached:
        _cached[locale] = _catalogue(locale)
    return _cached[locale]


def _check(checker, catalogue, message) -> list[Exception]:  # type: ignore[no-untyped-def]
    try:
        checker(catalogue, message)
    except Exception as error:  # a TranslationError names the placeholder mismatch
        return [error]
    return []


def test_every_error_class_people_see_is_an_extraction_keyword() -> None:
    for info in pkgutil.walk_packages(momo.__path__, "momo."):
        if info.name.startswith("momo.web") or info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    seen: set[str] = set()
    pending: list[type] = [errors.MomoError]
    while pending:
        cls = pending.pop()
        seen.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    assert seen <= set(translation.ERROR_KEYWORDS), seen - set(translation.ERROR_KEYWORDS)


def test_plural_forms_follow_each_language() -> None:
    one = "Show %(num)d more reply"
    many = "Show %(num)d more replies"
    assert translate_plural("en", one, many, 1) == "Show 1 more reply"
    assert translate_plural("en", one, many, 3) == "Show 3 more replies"
    assert translate_plural("zh-CN", one, many, 1) == "展开另外 1 条回复"
    assert translate_plural("zh-CN", one, many, 3) == "展开另外 3 条回复"


def test_one_english_word_with_two_meanings_keeps_both() -> None:
    assert translate_in_context("zh-CN", "bookmark", "Save") == "收藏"
    assert translate_in_context("zh-CN", "edit", "Save") == "保存"


def test_domain_messages_carry_their_values_into_either_language() -> None:
    error = errors.InvalidInput("a comment is at most %(max)s characters", max=1000)
    assert error.message == "a comment is at most 1000 characters"
    assert error.in_locale("zh-CN") == "评论最多 1000 个字"
    assert translate("zh-CN", "no such note") == "找不到这篇笔记"


def test_dates_are_written_the_way_each_reader_writes_them() -> None:
    assert local_time("2026-12-03T11:05Z", "zh-CN") == "2026年12月3日 11:05 UTC"
    assert local_time("2026-12-03T11:05Z", "en") == "Dec 3, 2026 11:05 UTC"
    assert local_time("not a time", "en") == "not a time"
