"""The process that appends a JSON-lines file's lines for its writer, and outlives it.

    python -I -S pipelines/line_keeper.py DESCRIPTOR   (started by ``pipelines.linefile.LineFile``)

A SIGKILL that lands while a process is inside ``write()`` of a large line leaves the part of the
line the kernel had copied: the kernel checks for a fatal signal between pages. So the crawl does
not write its feed itself. It hands each line to this keeper, a child in a session of its own, which
a kill of the crawl (or of the crawl's process group) does not reach. The keeper appends a line
only once it holds all of it, and when the crawl dies it finishes the line it is writing, syncs the
file and exits: a killed crawl leaves whole lines only.

The file comes as an inherited descriptor (its number is the argument), opened for appending and holding an exclusive ``flock`` that the
keeper keeps until it exits (the next writer of the file, and a resumed crawl's repair, wait on it).
Protocol on stdin, one frame at a time: an 8-byte big-endian length, then that many bytes to
append; a length of 0 asks for an ``fsync``. Each frame is answered on stdout with ``k`` when done,
or ``e`` and a 4-byte errno when the write failed (a full disk); the writer raises that error.
End of stdin at a frame boundary, or in the middle of one (the writer died while sending it: that
line is dropped whole), ends the keeper after an ``fsync``.

Standard library only, run with ``-I -S`` so it starts in milliseconds.
"""

import os
import signal
import struct
import sys

FILE_DESCRIPTOR = int(sys.argv[1]) if len(sys.argv) > 1 else -1
HEADER = struct.Struct(">Q")


def read_exactly(count: int) -> bytes | None:
    """``count`` bytes from stdin, or None at end of input before all of them came."""
    chunks = []
    while count:
        chunk = os.read(0, min(count, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def append(data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(FILE_DESCRIPTOR, view):]


def serve() -> None:
    while True:
        header = read_exactly(HEADER.size)
        if header is None:
            return
        (length,) = HEADER.unpack(header)
        data = read_exactly(length) if length else b""
        if data is None:
            return
        try:
            if length:
                append(data)
            else:
                os.fsync(FILE_DESCRIPTOR)
        except OSError as error:
            os.write(1, b"e" + struct.pack(">I", error.errno or 0))
        else:
            os.write(1, b"k")


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        serve()
    finally:
        try:
            os.fsync(FILE_DESCRIPTOR)
        except OSError:
            pass


if __name__ == "__main__":
    main()
    sys.exit(0)
