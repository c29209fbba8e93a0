"""JSON-lines files written whole line by whole line (no Scrapy import: the state store uses it too)."""

from __future__ import annotations

import os
from pathlib import Path


def cut_partial_line(path: Path) -> bool:
    """Cut a trailing line without its newline (a write a kill cut short); True if one was cut."""
    path = Path(path)
    if not path.is_file():
        return False
    with path.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return False
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return False
        keep = 0
        position = size
        while position > 0:
            step = min(65536, position)
            position -= step
            handle.seek(position)
            index = handle.read(step).rfind(b"\n")
            if index >= 0:
                keep = position + index + 1
                break
        handle.truncate(keep)
        os.fsync(handle.fileno())
        return True


class LineFile:
    """A JSON-lines file written whole line by whole line."""

    def __init__(self, path: Path, overwrite: bool):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.partial_line_cut = False if overwrite else cut_partial_line(path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if overwrite else 0)
        self.descriptor = os.open(path, flags, 0o644)

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.descriptor, view):]

    def sync(self) -> None:
        os.fsync(self.descriptor)

    def close(self) -> None:
        os.fsync(self.descriptor)
        os.close(self.descriptor)


