"""Images people can look at, in Debian's chromium: previews, order and descriptions
in the composer, a gallery with arrows, dots, a counter and a lightbox, and a home
page of 20 photo cards under 600 KB over the wire."""

from __future__ import annotations

import io
import random
from pathlib import Path

import httpx
import pytest
from PIL import Image, ImageDraw, ImageFilter

from tests.server import bucket_ends, running_server, short_buckets, sign_up_over_http

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BUDGET = 600 * 1024


def photo(seed: int, size: tuple[int, int] = (3000, 4000)) -> bytes:
    """Something with a photo's texture (gradients, shapes, grain), not a flat colour
    that would compress to nothing."""
    rng = random.Random(seed)
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(40, 400)
        draw.ellipse([x, y, x + r, y + r], fill=tuple(rng.randrange(256) for _ in range(3)))
    grain = Image.effect_noise(size, 20).convert("RGB")
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(3)), grain, 0.15)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_photos_from_composer_to_gallery_and_the_page_weight(
    browser, tmp_path: Path, database_template: str
) -> None:  # type: ignore[no-untyped-def]
    env = short_buckets(database_template, MOMO_PROBATION_DAYS="0", MOMO_POW_DIFFICULTY="4")
    first, second = tmp_path / "first.jpg", tmp_path / "second.jpg"
    first.write_bytes(photo(1, (1200, 1600)))
    second.write_bytes(photo(2, (1600, 1200)))
    with running_server(tmp_path, env) as server:
        base = server.base_url
        writers = [httpx.Client(base_url=base, timeout=60) for _ in range(2)]
        for writer in writers:
            sign_up_over_http(writer)
        for i in range(20):
            writers[i % 2].post(
                "/api/notes/with-images",
                data={"title": f"Photo {i}", "body": "out and about"},
                files=[("images", (f"{i}.jpg", photo(100 + i), "image/jpeg"))],
            ).raise_for_status()
        session = writers[0].cookies["momo_session"]
        bucket_ends()

        # The home page: 20 photo cards, thumbnails only, under the budget.
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sizes: list[int] = []
        page.on("response", lambda r: sizes.append(len(r.body())) if r.ok else None)
        page.goto(base + "/", wait_until="networkidle")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        covers = page.locator(".grid .card img.cover")
        assert covers.count() == 20
        assert all("/media/t/" in (covers.nth(i).get_attribute("src") or "") for i in range(20))
        assert sum(sizes) < BUDGET, f"home page weighs {sum(sizes) / 1024:.0f} KB"

        # The composer: previews, a new order, a description per photo.
        context.add_cookies([{"name": "momo_session", "value": session, "url": base}])
        page.goto(base + "/compose")
        page.set_input_files("input[name=images]", [str(first), str(second)])
        previews = page.locator(".previews .preview")
        assert previews.count() == 2
        previews.nth(0).locator("input").fill("A red door")
        previews.nth(1).locator("input").fill("The harbour at dusk")
        previews.nth(1).get_by_role("button", name="← 2").click()
        assert (
            page.locator(".previews .preview input").nth(0).input_value() == "The harbour at dusk"
        )
        page.fill("input[name=title]", "Two photos")
        page.get_by_role("button", name="Publish").click()
        page.wait_for_url("**/notes/*")
        images = page.locator(".gallery img")
        assert [images.nth(i).get_attribute("alt") for i in range(2)] == [
            "The harbour at dusk",
            "A red door",
        ]
        assert int(images.nth(0).get_attribute("width") or 0) > int(
            images.nth(0).get_attribute("height") or 0
        ), "the landscape photo comes first now"

        # The gallery: a counter, arrows, dots, and a lightbox.
        counter = page.locator(".gallery-count")
        assert counter.inner_text() == "1 / 2"
        page.get_by_role("button", name="Next photo").click()
        counter.filter(has_text="2 / 2").wait_for()
        assert page.locator(".gallery-dots button").count() == 2
        images.nth(1).click()
        lightbox = page.locator("dialog.lightbox")
        assert (
            lightbox.is_visible() and lightbox.locator("img").get_attribute("alt") == "A red door"
        )
        page.keyboard.press("Escape")
        lightbox.wait_for(state="detached")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "note-gallery.png"))
        context.close()
        for writer in writers:
            writer.close()
