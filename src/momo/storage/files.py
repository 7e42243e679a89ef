"""The data folder is private: 0700 for folders, 0600 for files.

SQLite creates its ``-wal`` and ``-shm`` files with the main file's mode, so
creating the main file 0600 before SQLite opens it keeps all three private.
"""

from __future__ import annotations

import os
from pathlib import Path


def private_folder(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    for child in path.rglob("*"):
        child.chmod(0o700 if child.is_dir() else 0o600)


def private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it is missing, else set its mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    path.chmod(0o600)
