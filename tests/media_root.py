"""One media folder per worker, put back in its expected state before each test that needs it.

The security and browser suites gave each of their ~4,500 tests its own ``tmp_path`` as
``MEDIA_ROOT`` and copied the shared world's files into it: pytest makes that folder by listing the
base folder for the next free number (thousands of entries by the end of the URL matrix), and the
folders are removed again later, about 12 ms a test in all. Almost no test writes a file.

:class:`ReusedMedia` keeps one folder instead. Before each test it compares the folder with what it
held after it was last filled (every entry's path, kind, size, modification time and content: a
file added, removed or written to changes one of them) and fills it again, from scratch, only
when it differs or when the files it must hold come from another place (another module's world).
So every test still starts with exactly the world's files, or an empty folder, and what a test
uploads never reaches another test.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

Listing = tuple[tuple[str, int, int, int, bytes], ...]


def listing(folder: Path) -> Listing:
    """What :class:`ReusedMedia` compares: each entry under ``folder`` (the folder itself too) with
    its mode, size, modification time in nanoseconds and, for a file, a digest of its content (a
    file rewritten within the clock's resolution keeps its time; the world's few files are small)."""
    entries: list[tuple[str, int, int, int, bytes]] = []
    for root, dirs, files in os.walk(folder):
        for name in [".", *dirs, *files]:
            path = os.path.join(root, name)
            stat = os.lstat(path)
            digest = b""
            if name in files:
                with open(path, "rb") as file:
                    digest = hashlib.file_digest(file, "blake2b").digest()
            entries.append((path, stat.st_mode, stat.st_size, stat.st_mtime_ns, digest))
    return tuple(sorted(entries))


class ReusedMedia:
    """A media folder reused test after test (see the module's docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._source: Path | None = None
        self._filled: Listing | None = None

    def ready(self, source: Path | None = None) -> Path:
        """The folder, holding exactly the files of ``source`` (nothing when ``None``)."""
        if self._filled is None or source != self._source or listing(self.folder) != self._filled:
            shutil.rmtree(self.folder, ignore_errors=True)
            if source is not None and source.exists():
                shutil.copytree(source, self.folder)
            else:
                self.folder.mkdir(parents=True)
            self._source, self._filled = source, listing(self.folder)
        return self.folder
