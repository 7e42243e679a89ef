"""Scrubbed images, stored in the database beside the notes that show them.

Files were given up because their inode change time (ctime) keeps the exact
second of every upload and no system call can set it back, and because each
new file also stamps its folder's modification time.
"""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, delete, insert, select

from momo.content.tables import media
from momo.errors import InvalidInput, PayloadTooLarge
from momo.privacy.images import CleanImage, ImageRejected, ScrubGate, scrub
from momo.storage.database import Database


class ImageIntake:
    """Uploaded bytes to a scrubbed image, under the operator's limits, through the
    process-wide gate that bounds decoding's memory and CPU. Refusals are 4xx."""

    def __init__(self, max_bytes: int, max_pixels: int, gate: ScrubGate) -> None:
        self._max_bytes = max_bytes
        self._max_pixels = max_pixels
        self._gate = gate

    def __call__(self, raw: bytes) -> CleanImage:
        if len(raw) > self._max_bytes:
            limit = self._max_bytes // (1024 * 1024)
            raise PayloadTooLarge(f"an image is at most {limit} MB", field="images")
        try:
            return self._gate.run(
                lambda: scrub(
                    raw, max_bytes=self._max_bytes, max_pixels=self._max_pixels, gate=self._gate
                )
            )
        except ImageRejected as error:
            raise InvalidInput(str(error), field="images") from error


class MediaStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, conn: Connection, image: CleanImage) -> str:
        name = f"{secrets.token_urlsafe(18)}.{image.extension}"
        conn.execute(insert(media).values(name=name, full=image.data, thumb=image.thumb))
        return name

    def remove(self, conn: Connection, name: str) -> None:
        conn.execute(delete(media).where(media.c.name == name))

    def read(self, name: str, *, thumb: bool = False) -> bytes | None:
        column = media.c.thumb if thumb else media.c.full
        with self._db.read() as conn:
            data = conn.scalar(select(column).where(media.c.name == name))
        return None if data is None else bytes(data)
