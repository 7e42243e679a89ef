"""Images the first release kept as files under ``data/media``, moved into the database.

Run once at start-up (``Momo.migrate``): each file is scrubbed again to the
standard sizes, stored under its old name, and deleted with its folder, whose
timestamps and inode times kept exact upload seconds.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import update

from momo.content.tables import media, note_images
from momo.errors import MomoError
from momo.privacy.images import CleanImage
from momo.storage.database import Database
from momo.storage.upsert import upsert_ignore

log = logging.getLogger(__name__)


def import_folder(folder: Path, db: Database, scrub: Callable[[bytes], CleanImage]) -> int:
    if not folder.is_dir():
        return 0
    moved = 0
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        try:
            image = scrub(path.read_bytes())
        except MomoError as error:
            log.warning("a legacy image could not be moved and is dropped: %s", error)
            continue
        with db.write() as conn:
            conn.execute(
                upsert_ignore(conn, media, name=path.name, full=image.data, thumb=image.thumb)
            )
            conn.execute(
                update(note_images)
                .where(note_images.c.file_name == path.name)
                .values(width=image.width, height=image.height)
            )
        moved += 1
    shutil.rmtree(folder)
    return moved
