"""The audit reports as a layperson opens them: at 1200 px nothing is clipped, the plain
answer comes first, and the simulated part is said before any figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from momo.audit.corpus import load
from momo.audit.report import write_html, write_threats_html
from momo.audit.run import audit
from momo.audit.threats import assess

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "audit" / "data"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_reports_read_in_order_and_fit_at_1200_px(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    posts = load(DATA / "mail-ham-a-sample.jsonl")
    corpus_page, threats_page = tmp_path / "audit.html", tmp_path / "threats.html"
    write_html(audit(posts), corpus_page, "mail sample")
    write_threats_html(assess(posts), threats_page, "mail sample")
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    for report in (corpus_page, threats_page):
        page.goto(report.as_uri())
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('table, svg, p, ul')]
                .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .map((e) => e.tagName)"""
        )
        assert overflow == [], f"clipped at 1200 px in {report.name}: {overflow}"
        assert page.evaluate("document.documentElement.scrollWidth") <= 1200
        page.screenshot(path=str(ARTIFACTS / f"audit-{report.stem}-1200.png"), full_page=True)
    page.goto(corpus_page.as_uri())
    assert page.locator("h2").first.inner_text() == "What an attacker can and cannot do on Momo"
    text = page.locator("body").inner_text()
    assert text.index("simulated") < text.index("What an attacker can")
    assert text.index("Pair AUC") < text.index("Each regime, channel by channel")
    context.close()
