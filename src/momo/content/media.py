"""Where scrubbed images live on disk."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from momo.privacy.images import CleanImage


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, image: CleanImage, bucket_start: int) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"{secrets.token_urlsafe(18)}.{image.extension}"
        path = self.root / name
        path.write_bytes(image.data)
        # A file's own timestamps would give the exact upload time away.
        os.utime(path, (bucket_start, bucket_start))
        return name

    def remove(self, name: str) -> None:
        (self.root / name).unlink(missing_ok=True)

    def path(self, name: str) -> Path | None:
        if "/" in name or "\\" in name or name.startswith("."):
            return None
        candidate = self.root / name
        return candidate if candidate.is_file() else None
