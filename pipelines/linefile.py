"""JSON-lines files written whole line by whole line (no Scrapy import: the state store uses it too).

:class:`LineFile` hands each line to a keeper process (``pipelines.line_keeper``) that outlives the
writer, so a SIGKILL of the crawl never leaves a partial line. Every writer of a file holds an
exclusive ``flock`` on it while it writes; opening a file for writing, and :func:`cut_partial_line`,
first wait until the previous writer's keeper has finished.
"""

from __future__ import annotations

import errno
import fcntl
import os
import struct
import subprocess
import sys
import time
from pathlib import Path

KEEPER = Path(__file__).with_name("line_keeper.py")
#: How long a writer waits for the file's previous writer (a killed crawl's keeper finishes its
#: line within milliseconds); a file still held after that is written by a live crawl.
LOCK_WAIT_SECONDS = 30.0
_HEADER = struct.Struct(">Q")
_ERRNO = struct.Struct(">I")


def _cut_partial_line(descriptor: int) -> bool:
    size = os.lseek(descriptor, 0, os.SEEK_END)
    if size == 0 or os.pread(descriptor, 1, size - 1) == b"\n":
        return False
    keep = 0
    position = size
    while position > 0:
        step = min(65536, position)
        position -= step
        index = os.pread(descriptor, step, position).rfind(b"\n")
        if index >= 0:
            keep = position + index + 1
            break
    os.ftruncate(descriptor, keep)
    os.fsync(descriptor)
    return True


def _lock(descriptor: int, path: Path) -> None:
    """Take the file's writer lock, waiting at most ``LOCK_WAIT_SECONDS`` for the previous writer."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise BlockingIOError(errno.EWOULDBLOCK, "another crawl is writing this file", str(path)) from None
            time.sleep(0.02)


def cut_partial_line(path: Path) -> bool:
    """Cut a trailing line without its newline (a write cut short); True if one was cut.

    Waits first for a writer still holding the file (the keeper of a killed crawl finishing its line)."""
    path = Path(path)
    if not path.is_file():
        return False
    descriptor = os.open(path, os.O_RDWR)
    try:
        _lock(descriptor, path)
        return _cut_partial_line(descriptor)
    finally:
        os.close(descriptor)


def wait_for_writers(path: Path) -> None:
    """Return once no writer holds ``path`` (its keepers have written their last line and exited)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH)
    finally:
        os.close(descriptor)


class LineFile:
    """A JSON-lines file written whole line by whole line, through a keeper that outlives this process.

    ``write`` returns once the keeper has appended the whole line (or raises the ``OSError`` the
    append gave, a full disk for example); ``sync`` fsyncs. Opening errors (a missing folder that
    cannot be made, no permission, a file another live crawl is writing) are raised here, by this
    process, before any keeper starts.
    """

    def __init__(self, path: Path, overwrite: bool):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            _lock(descriptor, path)
            regular = os.path.isfile(path)
            if overwrite and regular:
                os.ftruncate(descriptor, 0)
            self.partial_line_cut = regular and not overwrite and _cut_partial_line(descriptor)
            self.keeper = subprocess.Popen(
                [sys.executable, "-I", "-S", str(KEEPER), str(descriptor)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                pass_fds=(descriptor,),
                start_new_session=True,
            )
        finally:
            os.close(descriptor)

    def _ask(self, frame: bytes) -> None:
        try:
            self.keeper.stdin.write(frame)
            self.keeper.stdin.flush()
            answer = self.keeper.stdout.read(1)
        except BrokenPipeError:
            answer = b""
        if answer == b"k":
            return
        if answer == b"e":
            code = _ERRNO.unpack(self.keeper.stdout.read(_ERRNO.size))[0]
            raise OSError(code, os.strerror(code), str(self.path))
        raise OSError(errno.EPIPE, f"the line keeper of {self.path} is gone (exit {self.keeper.poll()})", str(self.path))

    def write(self, data: bytes) -> None:
        if data:
            self._ask(_HEADER.pack(len(data)) + data)

    def sync(self) -> None:
        self._ask(_HEADER.pack(0))

    def close(self) -> None:
        """Sync, let the keeper finish and exit, and wait for it."""
        if self.keeper.stdin.closed:
            return
        self.keeper.stdin.close()
        self.keeper.wait()
        self.keeper.stdout.close()
