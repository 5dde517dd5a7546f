"""Files and folders only the bot's own user may read: the database, the evidence units
send, the log. Created 0600 / 0700 whatever the umask allows more, so a shared machine's
other accounts read none of it. Existing files and folders are left as they are (the
operator may have chosen otherwise)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """Create `path` and any missing parent, each 0700 (mkdir -p would make the parents
    with the umask's mode); return it."""
    missing: list[Path] = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another writer
            folder.mkdir(mode=FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty, 0600, unless it exists (then it is left untouched)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    return path
