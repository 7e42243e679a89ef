"""Scrubbed images, stored in the database beside the notes that show them.

Files were given up because their inode change time (ctime) keeps the exact
second of every upload and no system call can set it back, and because each
new file also stamps its folder's modification time.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence

from sqlalchemy import Connection, delete, insert, select, update

from momo.content.object_storage import ObjectStore
from momo.content.tables import media, note_images
from momo.errors import InvalidInput, PayloadTooLarge
from momo.privacy.images import CleanImage, ImageRejected, ScrubGate, scrub
from momo.storage.database import Database

IN_DATABASE, IN_OBJECTS = "database", "objects"


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
            raise PayloadTooLarge("an image is at most %(mb)s MB", field="images", mb=limit)
        try:
            return self._gate.run(
                lambda: scrub(
                    raw, max_bytes=self._max_bytes, max_pixels=self._max_pixels, gate=self._gate
                )
            )
        except ImageRejected as error:
            raise InvalidInput(error.template, field="images", **error.values) from error


class MediaStore:
    """Image bytes: in the ``media`` table, or, once their note is published and an
    object store is configured, in the object store (``content/object_storage.py``)."""

    def __init__(self, db: Database, objects: ObjectStore | None = None) -> None:
        self._db = db
        self._objects = objects

    def save(self, conn: Connection, image: CleanImage) -> str:
        name = f"{secrets.token_urlsafe(18)}.{image.extension}"
        conn.execute(insert(media).values(name=name, full=image.data, thumb=image.thumb))
        return name

    def offload(self, conn: Connection, note_ids: Sequence[str]) -> int:
        """Move the images of newly published notes to the object store, shuffled;
        returns how many moved. Without an object store this does nothing."""
        if self._objects is None or not note_ids:
            return 0
        rows = conn.execute(
            select(media.c.name, media.c.full, media.c.thumb)
            .join(note_images, note_images.c.file_name == media.c.name)
            .where(note_images.c.note_id.in_(list(note_ids)), media.c.location == IN_DATABASE)
        ).all()
        order = list(rows)
        random.SystemRandom().shuffle(order)
        for name, full, thumb in order:
            self._objects.put(f"full/{name}", bytes(full))
            self._objects.put(f"thumb/{name}", bytes(thumb))
            conn.execute(
                update(media)
                .where(media.c.name == name)
                .values(full=b"", thumb=b"", location=IN_OBJECTS)
            )
        return len(order)

    def remove(self, conn: Connection, name: str) -> None:
        location = conn.scalar(select(media.c.location).where(media.c.name == name))
        conn.execute(delete(media).where(media.c.name == name))
        if location == IN_OBJECTS and self._objects is not None:
            self._objects.delete(f"full/{name}")
            self._objects.delete(f"thumb/{name}")

    def read(self, name: str, *, thumb: bool = False) -> bytes | None:
        column = media.c.thumb if thumb else media.c.full
        with self._db.read() as conn:
            row = conn.execute(select(media.c.location, column).where(media.c.name == name)).first()
        if row is None:
            return None
        if row[0] == IN_OBJECTS:
            if self._objects is None:
                return None  # moved out, and the store is no longer configured
            return self._objects.get(f"{'thumb' if thumb else 'full'}/{name}")
        return bytes(row[1])
