"""WCAG 2.2 AA: axe-core (from npm) on every page, in both languages, at desktop and
phone sizes and in dark mode, signed out, signed in and as a moderator: no serious
or critical violation may remain."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from tests.conftest import jpeg_bytes
from tests.pages import public_pages, signed_in_pages
from tests.server import (
    bucket_ends,
    grant_moderator,
    running_server,
    short_buckets,
    sign_up_over_http,
)

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def axe_source() -> Path:
    if not AXE.exists():
        if os.environ.get("MOMO_REQUIRE_AXE"):
            pytest.fail("MOMO_REQUIRE_AXE is set but axe-core is not installed (npm install)")
        pytest.skip("axe-core is not installed: run npm install")
    return AXE


def _violations(page, axe: Path) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(axe))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
            return result.violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + (n.any[0] || n.all[0] || {message: ''}).message).join(' | ')}`);
        }""",
        TAGS,
    )
    return list(found)


def test_every_page_passes_axe(
    browser, axe_source: Path, tmp_path: Path, database_template: str
) -> None:  # type: ignore[no-untyped-def]
    env = short_buckets(database_template, MOMO_PROBATION_DAYS="0", MOMO_POW_DIFFICULTY="4")
    with running_server(tmp_path, env) as server:
        base = server.base_url
        with httpx.Client(base_url=base, timeout=30) as member:
            key = sign_up_over_http(member)
            note = member.post(
                "/api/notes/with-images",
                data={"title": "周末去爬山 Weekend hike", "body": "山顶的风很大 #旅行"},
                files=[("images", ("a.jpg", jpeg_bytes((600, 800), "orange"), "image/jpeg"))],
            ).json()["id"]
            member.post("/api/notes", json={"title": "Text only", "body": "A quiet day #日常"})
            bucket_ends()
            member.post(f"/api/notes/{note}/comments", json={"body": "好美！"})
            member.post(
                f"/api/notes/{note}/context-notes",
                json={
                    "body": "Taken in 2019.",
                    "sources": ["https://example.org"],
                    "reason": "outdated",
                },
            )
            session = member.cookies["momo_session"]
        bucket_ends()
        grant_moderator(server, key, env)

        public = public_pages(note)
        signed_in = signed_in_pages(note)
        failures: list[str] = []
        passes = [(locale, size, "light") for locale in ("zh-CN", "en-US") for size in SIZES]
        passes += [(locale, "desktop", "dark") for locale in ("zh-CN", "en-US")]
        for locale, size, scheme in passes:
            width, height = SIZES[size]
            context = browser.new_context(
                locale=locale,
                viewport={"width": width, "height": height},
                color_scheme=scheme,
                bypass_csp=True,
            )
            page = context.new_page()
            for path in public:
                page.goto(base + path)
                failures += [f"{locale} {size} {path}: {v}" for v in _violations(page, axe_source)]
            context.add_cookies([{"name": "momo_session", "value": session, "url": base}])
            for path in signed_in:
                page.goto(base + path)
                failures += [
                    f"{locale} {size} {scheme} {path} (signed in): {v}"
                    for v in _violations(page, axe_source)
                ]
            context.close()
    assert not failures, "\n".join(failures)
