"""Scrub uploaded images down to their pixels.

Photos carry GPS positions, camera serials, edit histories and thumbnails of
what was cropped away. Every upload is decoded under limits, turned upright,
copied pixel by pixel into a new image and re-encoded, so nothing but pixels
survives. Files that hide a second format (polyglots) or are cut short are
refused rather than repaired.

Pixel sizes give cameras away (two notes with the same 4032×3024 cover came
from the same phone far more often than chance), so every image is cropped to
the nearest of a few standard shapes and resized to one size per shape, with
a card thumbnail beside it. Only these sizes are ever stored or served.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import math
import struct
import threading
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_FRAMES = 200
# Width:height shapes every image is cropped to, and the sizes they are served at.
SHAPES = ((3, 4), (1, 1), (4, 3), (9, 16), (16, 9))
FULL_LONG_EDGE = 1440
THUMB_WIDTH = 400


def full_size(shape: tuple[int, int]) -> tuple[int, int]:
    width, height = shape
    if width >= height:
        return FULL_LONG_EDGE, FULL_LONG_EDGE * height // width
    return FULL_LONG_EDGE * width // height, FULL_LONG_EDGE


def thumb_size(shape: tuple[int, int]) -> tuple[int, int]:
    width, height = shape
    return THUMB_WIDTH, THUMB_WIDTH * height // width


def nearest_shape(width: int, height: int) -> tuple[int, int]:
    ratio = width / height
    return min(SHAPES, key=lambda shape: abs(math.log(ratio * shape[1] / shape[0])))


class ImageRejected(ValueError):
    """The upload is not an image Momo will store; the message says why. It is an
    English msgid with %(name)s placeholders, filled from ``values``."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message % values if values else message)
        self.template = message
        self.values = values


@dataclass(frozen=True)
class CleanImage:
    data: bytes  # the full view, at the standard size of its shape
    thumb: bytes  # the card thumbnail
    extension: str
    width: int
    height: int


T = TypeVar("T")


def _return_memory() -> None:
    """Hand freed heap pages back to the system (glibc only). A decoded photo is
    hundreds of megabytes; without this the allocator keeps them after it is gone."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class ScrubGate:
    """Bounds what scrubbing costs the whole process. Images are decoded only on the
    gate's own ``workers`` threads, and at most ``pixel_budget`` decoded pixels are
    in memory together: a large image waits for room instead of pushing the process
    over. Keeping decoding on a few fixed threads also keeps the C allocator from
    growing a memory arena for every request thread that once decoded an image."""

    def __init__(self, workers: int, pixel_budget: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scrub")
        self._budget = pixel_budget
        self._in_use = 0
        self._room = threading.Condition()

    def run(self, work: Callable[[], T]) -> T:
        """Run ``work`` on a scrubbing thread and wait for its result."""

        def then_trim() -> T:
            try:
                return work()
            finally:
                _return_memory()

        return self._pool.submit(then_trim).result()

    @contextmanager
    def admit(self, pixels: int) -> Iterator[None]:
        pixels = min(pixels, self._budget)  # one image alone may always use it all
        with self._room:
            self._room.wait_for(lambda: self._in_use + pixels <= self._budget)
            self._in_use += pixels
        try:
            yield
        finally:
            with self._room:
                self._in_use -= pixels
                self._room.notify_all()


UNGATED = ScrubGate(workers=2, pixel_budget=2**62)


def scrub(raw: bytes, *, max_bytes: int, max_pixels: int, gate: ScrubGate = UNGATED) -> CleanImage:
    if not raw:
        raise ImageRejected("the file is empty")
    if len(raw) > max_bytes:
        raise ImageRejected("the file is larger than %(mb)s MB", mb=max_bytes // (1024 * 1024))
    kind = _sniff(raw)
    if kind is None:
        raise ImageRejected("the file is not a JPEG, PNG, GIF or WebP image")
    _check_no_trailing_data(raw, kind)

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(raw), formats=[kind]) as source:
                width, height = source.size
                if getattr(source, "n_frames", 1) > MAX_FRAMES:
                    raise ImageRejected("the image has more than %(max)s frames", max=MAX_FRAMES)
                shape = nearest_shape(width, height)
                if kind == "JPEG":  # decode at a reduced scale: far less memory and time
                    short_edge = min(full_size(shape))
                    source.draft(source.mode, (short_edge, short_edge))
                # The limit is on what decoding will hold in memory: a large JPEG decodes
                # at a fraction of its size, other formats at full size.
                decoded = source.size[0] * source.size[1]
                if decoded > max_pixels:
                    raise ImageRejected("the image has more than %(max)s pixels", max=max_pixels)
                with gate.admit(decoded):
                    small = _decode_small(source, shape)
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageRejected("the image expands to too many pixels") from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise ImageRejected("the image is damaged or cut short") from error

    upright = ImageOps.exif_transpose(small)
    mode = "RGBA" if _has_alpha(upright) else "RGB"
    pixels = upright.convert(mode)
    # A new image built from raw pixel bytes carries no info dict, no EXIF, no
    # ICC profile, no comments and no extra frames: there is nowhere for them to hide.
    fresh = Image.frombytes(mode, pixels.size, pixels.tobytes())
    shape = nearest_shape(*fresh.size)
    full = ImageOps.fit(fresh, full_size(shape), Image.Resampling.LANCZOS)
    thumb = ImageOps.fit(full, thumb_size(shape), Image.Resampling.LANCZOS)
    extension = "png" if mode == "RGBA" else "jpg"
    return CleanImage(_encode(full, mode), _encode(thumb, mode), extension, *full.size)


def _decode_small(source: Image.Image, shape: tuple[int, int]) -> Image.Image:
    """Decode the first frame and shrink it at once to just above the served size, so
    every later copy is small (a JPEG has already been set to decode at a reduced
    scale; other formats are reduced by a whole factor right after decoding)."""
    source.seek(0)
    long_edge, short_edge = sorted(full_size(shape), reverse=True)
    source.load()
    factor = max(1, min(min(source.size) // short_edge, max(source.size) // long_edge))
    small = source.reduce(factor) if factor > 1 else source.copy()
    small.info = dict(source.info)
    if "exif" not in small.info and source.getexif():
        small.info["exif"] = source.getexif().tobytes()  # the orientation, for exif_transpose
    return small


def _encode(image: Image.Image, mode: str) -> bytes:
    out = io.BytesIO()
    if mode == "RGBA":
        image.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="JPEG", quality=84, optimize=True, progressive=True)
    return out.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        low, _high = image.getchannel("A").getextrema()
        return bool(int(low) < 255)  # type: ignore[arg-type]
    return image.mode == "P" and "transparency" in image.info


def _sniff(raw: bytes) -> str | None:
    if raw.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if raw[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return "WEBP"
    return None


def _check_no_trailing_data(raw: bytes, kind: str) -> None:
    """Refuse files where bytes follow the image's own end: the mark of a polyglot."""
    try:
        end = {"JPEG": _jpeg_end, "PNG": _png_end, "GIF": _gif_end, "WEBP": _webp_end}[kind](raw)
    except (IndexError, struct.error) as error:
        raise ImageRejected("the image is damaged or cut short") from error
    if end is None:
        raise ImageRejected("the image is damaged or cut short")
    if raw[end:].strip(b"\x00\r\n\t "):
        raise ImageRejected("the file carries data after the image (a polyglot file)")


def _jpeg_end(raw: bytes) -> int | None:
    pos = 2
    length = len(raw)
    while pos < length:
        if raw[pos] != 0xFF:
            return None
        marker = raw[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:
            return pos + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        (segment,) = struct.unpack(">H", raw[pos + 2 : pos + 4])
        pos += 2 + segment
        if marker == 0xDA:  # start of scan: skip entropy-coded data
            while pos < length - 1:
                if raw[pos] == 0xFF and raw[pos + 1] != 0 and not 0xD0 <= raw[pos + 1] <= 0xD7:
                    break
                pos += 1
            else:
                return None
    return None


def _png_end(raw: bytes) -> int | None:
    pos = 8
    while pos + 8 <= len(raw):
        (size,) = struct.unpack(">I", raw[pos : pos + 4])
        chunk = raw[pos + 4 : pos + 8]
        pos += 12 + size
        if chunk == b"IEND":
            return pos if pos <= len(raw) else None
    return None


def _gif_end(raw: bytes) -> int | None:
    flags = raw[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    while pos < len(raw):
        block = raw[pos]
        if block == 0x3B:
            return pos + 1
        if block == 0x21:
            pos = _skip_sub_blocks(raw, pos + 2)
        elif block == 0x2C:
            local = raw[pos + 9]
            pos += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            pos = _skip_sub_blocks(raw, pos + 1)  # +1: LZW minimum code size
        else:
            return None
    return None


def _skip_sub_blocks(raw: bytes, pos: int) -> int:
    while raw[pos] != 0:
        pos += raw[pos] + 1
    return pos + 1


def _webp_end(raw: bytes) -> int | None:
    size = int.from_bytes(raw[4:8], "little")
    return 8 + size + (size & 1)
