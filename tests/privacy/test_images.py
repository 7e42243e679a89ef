import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from momo.privacy.images import ImageRejected, full_size, scrub
from tests.conftest import jpeg_bytes, png_bytes

LIMITS = {"max_bytes": 5 * 1024 * 1024, "max_pixels": 4_000_000}
EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(
    EXIFTOOL is None and not os.environ.get("MOMO_REQUIRE_EXIFTOOL"),
    reason="exiftool (libimage-exiftool-perl) is not installed",
)


def _exif_with_gps_and_orientation() -> bytes:
    image = Image.new("RGB", (80, 40), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "SpyCam Inc"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (39.0, 54.0, 15.0)
    gps[3], gps[4] = "E", (116.0, 23.0, 30.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"home sweet home")
    return out.getvalue()


def test_metadata_is_gone_and_the_photo_is_upright() -> None:
    cleaned = scrub(_exif_with_gps_and_orientation(), **LIMITS)
    reopened = Image.open(io.BytesIO(cleaned.data))
    assert reopened.format == "JPEG"
    assert (cleaned.width, cleaned.height) == full_size((9, 16)), "EXIF orientation applied"
    assert reopened.size == (cleaned.width, cleaned.height)
    assert not reopened.getexif()
    assert "comment" not in reopened.info and "icc_profile" not in reopened.info
    assert b"SpyCam" not in cleaned.data and b"home sweet" not in cleaned.data


def test_png_text_chunks_and_icc_profiles_are_dropped() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Zhang San")
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 100))
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, icc_profile=b"\0" * 200)
    cleaned = scrub(out.getvalue(), **LIMITS)
    assert cleaned.extension == "png"
    assert b"Zhang San" not in cleaned.data
    assert "icc_profile" not in Image.open(io.BytesIO(cleaned.data)).info


def test_animated_gif_keeps_one_frame() -> None:
    frames = [Image.new("RGB", (10, 10), c) for c in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    cleaned = scrub(out.getvalue(), **LIMITS)
    assert getattr(Image.open(io.BytesIO(cleaned.data)), "n_frames", 1) == 1


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"hello, I am a text file", "not a JPEG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "not a JPEG"),
        (jpeg_bytes()[:200], "damaged"),
        (png_bytes()[:60], "damaged"),
        (jpeg_bytes() + b"PK\x03\x04zip-payload" + b"\0" * 30, "polyglot"),
        (png_bytes() + b"<script>alert(1)</script>", "polyglot"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(ImageRejected, match=reason):
        scrub(raw, **LIMITS)


def test_decompression_bombs_and_huge_files_are_refused() -> None:
    bomb = png_bytes(size=(3000, 3000), mode="RGB")  # 9 MP, compresses to a few KB
    assert len(bomb) < 200_000
    with pytest.raises(ImageRejected, match="pixels"):
        scrub(bomb, **LIMITS)
    with pytest.raises(ImageRejected, match="larger"):
        scrub(jpeg_bytes(), max_bytes=100, max_pixels=10_000)


def _exiftool(path: Path) -> dict[str, object]:
    assert EXIFTOOL is not None
    output = subprocess.run(
        [EXIFTOOL, "-j", "-a", "-G1", "-b", str(path)], capture_output=True, check=True, text=True
    ).stdout
    return json.loads(output)[0]  # type: ignore[no-any-return]


@needs_exiftool
def test_exiftool_finds_nothing_left(tmp_path: Path) -> None:
    if EXIFTOOL is None:
        pytest.fail("MOMO_REQUIRE_EXIFTOOL is set but exiftool is missing")
    thumb = tmp_path / "thumb.jpg"
    thumb.write_bytes(jpeg_bytes((16, 16), "green"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes((120, 90), "white"))
    subprocess.run(
        [
            EXIFTOOL,
            "-q",
            "-overwrite_original",
            "-GPSLatitude=31.2304",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=121.4737",
            "-GPSLongitudeRef=E",
            "-XMP-dc:Creator=Li Lei",
            "-XMP-dc:Description=secret place",
            "-Comment=taken at home",
            "-Make=SpyCam",
            "-SerialNumber=SN-12345",
            f"-ThumbnailImage<={thumb}",
            str(photo),
        ],
        check=True,
    )
    before = _exiftool(photo)
    assert any("GPS" in key for key in before), "the fixture must carry GPS to begin with"
    assert any(key.startswith("XMP") for key in before)
    assert any("Thumbnail" in key for key in before)

    cleaned = tmp_path / "clean.jpg"
    cleaned.write_bytes(scrub(photo.read_bytes(), **LIMITS).data)
    after = _exiftool(cleaned)
    groups = {key.split(":")[0] for key in after if ":" in key}
    assert not groups & {
        "GPS",
        "XMP-dc",
        "XMP-x",
        "IFD0",
        "IFD1",
        "ExifIFD",
        "ICC_Profile",
        "IPTC",
        "Photoshop",
    }, after
    flat = json.dumps(after)
    for secret in ("Li Lei", "secret place", "taken at home", "SpyCam", "SN-12345"):
        assert secret not in flat
    assert not any("Thumbnail" in key or "Comment" in key for key in after)


def test_camera_sizes_are_served_at_one_standard_size(client, momo) -> None:  # type: ignore[no-untyped-def]
    """The attack: two covers of the same odd size come from the same phone. After
    scrubbing, photos of 4032×3024, 4000×3000 and 1234×925 are indistinguishable."""
    from tests.conftest import publish, sign_up

    sign_up(client)
    served = []
    for size in ((4032, 3024), (4000, 3000), (1234, 925)):
        response = client.post(
            "/api/notes/with-images",
            data={"title": f"{size}", "body": ""},
            files=[("images", ("p.jpg", jpeg_bytes(size, "green"), "image/jpeg"))],
        )
        assert response.status_code == 201, response.text
        page = client.get(f"/api/notes/{response.json()['id']}").json()
        (image,) = page["images"]
        full = Image.open(io.BytesIO(client.get(image["url"]).content))
        thumb = Image.open(io.BytesIO(client.get(image["thumb_url"]).content))
        served.append((full.size, thumb.size, image["width"], image["height"]))
    assert len(set(served)) == 1
    assert served[0][0] == full_size((4, 3)) and served[0][1] == (400, 300)
    # A feed card carries the thumbnail, not the full view.
    publish(momo)
    cards = client.get("/api/feed", params={"kind": "latest"}).json()["items"]
    covers = [client.get(card["cover"]["thumb_url"]) for card in cards]
    assert all(Image.open(io.BytesIO(c.content)).size[0] == 400 for c in covers)
    html = client.get("/latest", headers={"accept": "text/html"}).text
    assert all(card["cover"]["thumb_url"] in html for card in cards)
    assert not any(f'src="{card["cover"]["url"]}"' in html for card in cards)


def test_every_shape_maps_to_its_standard_size() -> None:
    from momo.privacy.images import SHAPES, nearest_shape, thumb_size

    for width, height in ((1500, 2000), (1000, 1000), (1920, 1080), (1080, 1920), (3000, 600)):
        shape = nearest_shape(width, height)
        assert shape in SHAPES
        cleaned = scrub(jpeg_bytes((width, height)), **LIMITS)
        assert (cleaned.width, cleaned.height) == full_size(shape)
        assert Image.open(io.BytesIO(cleaned.thumb)).size == thumb_size(shape)


def test_the_pixel_limit_counts_what_an_image_decodes_to() -> None:
    """A JPEG decodes at a reduced scale, so a large photo passes; a PNG of the same
    size would sit in memory whole, so it is refused."""
    big = (4000, 3000)  # 12 MP; the JPEG decodes at half scale, 3 MP
    assert scrub(jpeg_bytes(big), max_bytes=LIMITS["max_bytes"], max_pixels=4_000_000).width
    out = io.BytesIO()
    Image.new("RGB", big, "white").save(out, format="PNG")
    with pytest.raises(ImageRejected, match="pixels"):
        scrub(out.getvalue(), max_bytes=LIMITS["max_bytes"], max_pixels=4_000_000)
