"""Sign-up in Debian's chromium: the puzzle runs in a Web Worker with progress, the
key can be copied, downloaded or saved by the password manager, and without
JavaScript an invite code opens the way."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest

from tests.server import running_server, short_buckets, sign_up_over_http

pytestmark = pytest.mark.browser


def test_sign_up_with_and_without_javascript(
    browser, tmp_path: Path, database_template: str
) -> None:  # type: ignore[no-untyped-def]
    env = short_buckets(database_template, MOMO_PROBATION_DAYS="0", MOMO_POW_DIFFICULTY="14")
    with running_server(tmp_path, env) as server:
        base = server.base_url
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        workers: list[str] = []
        page.on("worker", lambda worker: workers.append(worker.url))
        page.goto(base + "/signup")
        page.get_by_role("button", name="Create my account key").click()
        key = page.get_by_test_id("account-key").inner_text().strip()
        assert workers == [base + "/static/pow-worker.js"], "the puzzle ran off the page"
        download = page.get_by_role("link", name="Download as a file")
        assert download.get_attribute("download") == "momo-account-key.txt"
        assert key in unquote(download.get_attribute("href") or "")
        saved = page.locator("form.save-key input[type=password]")
        assert saved.get_attribute("autocomplete") == "new-password"
        assert saved.input_value() == key
        page.get_by_role("button", name="I have saved it, continue").click()
        page.wait_for_url(base + "/")
        assert page.get_by_role("link", name="Me").is_visible()
        context.close()

        with httpx.Client(base_url=base, timeout=30) as member:
            sign_up_over_http(member)
            code = member.post("/api/invites").json()["code"]
        plain = browser.new_context(locale="zh-CN", java_script_enabled=False)
        page = plain.new_page()
        page.goto(base + "/signup")
        assert page.get_by_test_id("signup-nojs").is_visible()
        page.locator("details.alternatives > summary").click()
        assert "momo client signup" in page.locator("details.alternatives").inner_text()
        page.fill("details.alternatives input[name=invite_code]", code)
        page.get_by_role("button", name="用邀请码加入").click()
        assert page.get_by_test_id("account-key").inner_text().startswith("mo-")
        plain.close()
