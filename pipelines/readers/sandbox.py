"""Read untrusted attachments in a bounded place: a worker subprocess with a memory ceiling
(``RLIMIT_AS``, inherited by the converters it starts: antiword, catdoc, tesseract) and a
wall-clock kill of its whole process group.

:func:`read_attachment_bounded` takes the same arguments as
:func:`pipelines.readers.read_attachment` and gives a :class:`~pipelines.readers.ReadResult`;
when the reader overruns a bound, the result is empty with an ``attachment_timeout`` or
``attachment_memory`` warning and the next call starts a fresh worker. No library bug, present or
future, can hang the caller or take the machine's memory.

One worker per calling thread is kept between calls (the imports are paid once). The bounds come
from the environment: ``REPORTS_READER_TIME_LIMIT`` (seconds, default 300: OCR of a scanned page on a loaded machine) and
``REPORTS_READER_MEMORY_MB`` (address space of the worker and its converters, default 1024).

Pure: nothing here imports Scrapy. Messages between the processes are length-prefixed JSON
(never pickle), so a compromised worker cannot make the caller run code.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from pipelines.document import Table
from pipelines.warning_codes import warning

TIME_LIMIT = float(os.environ.get("REPORTS_READER_TIME_LIMIT", "300"))
MEMORY_LIMIT_MB = int(os.environ.get("REPORTS_READER_MEMORY_MB", "1024"))
PROJECT_ROOT = Path(__file__).resolve().parents[2]
_HEADER = struct.Struct(">Q")


class ReaderError(RuntimeError):
    """A reader raised in the worker (strict mode only: otherwise the reader boundary turns errors into warnings)."""


def encode_result(result) -> dict:
    blocks = [b if isinstance(b, str) else {"cells": b.cells, "copied": b.copied} for b in result.blocks]
    return {"kind": result.kind, "blocks": blocks, "warnings": list(result.warnings), "ocr": bool(result.ocr)}


def _table_from_payload(block: dict) -> Table:
    return Table([list(map(str, row)) for row in block["cells"]], [list(map(bool, row)) for row in block["copied"]])


def decode_result(payload: dict):
    from pipelines.readers import ReadResult

    blocks = [b if isinstance(b, str) else _table_from_payload(b) for b in payload.get("blocks") or []]
    return ReadResult(str(payload.get("kind") or "unknown"), blocks, [str(w) for w in payload.get("warnings") or []], bool(payload.get("ocr")))


def write_message(stream, header: dict, data: bytes = b"") -> None:
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    stream.write(_HEADER.pack(len(head)) + head + _HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def read_exactly(stream, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("stream closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_message(stream) -> tuple[dict, bytes]:
    (size,) = _HEADER.unpack(read_exactly(stream, _HEADER.size))
    header = json.loads(read_exactly(stream, size).decode("utf-8"))
    (size,) = _HEADER.unpack(read_exactly(stream, _HEADER.size))
    return header, read_exactly(stream, size)


class BoundedReader:
    """One worker subprocess, restarted after any overrun or crash."""

    def __init__(self, time_limit: float = TIME_LIMIT, memory_limit_mb: int = MEMORY_LIMIT_MB):
        self.time_limit = time_limit
        self.memory_limit_mb = memory_limit_mb
        self.process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
        env.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract: one thread, a predictable footprint
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.readers.worker", str(self.memory_limit_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env, cwd=str(PROJECT_ROOT), start_new_session=True,
        )
        return self.process

    def stop(self) -> int | None:
        """Kill the worker and everything it started; its exit status (negative: the signal)."""
        process, self.process = self.process, None
        if process is None:
            return None
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                process.kill()
        try:
            os.killpg(process.pid, signal.SIGKILL)  # converters left behind by a worker that died
        except (ProcessLookupError, PermissionError):
            pass
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        return process.wait()

    def read(self, data: bytes, filename: str | None = None, **options):
        from pipelines.readers import ReadResult, sniff_kind

        label = filename or "attachment"
        kind = sniff_kind(data or b"", filename)
        process = self.process if self.process is not None and self.process.poll() is None else self._start()
        deadline = time.monotonic() + self.time_limit
        try:
            write_message(process.stdin, {"filename": filename, "options": options}, data)
            header = self._answer(process, deadline)
        except TimeoutError:
            self.stop()
            return ReadResult(kind, [], [warning("attachment_timeout", f"{label}: {kind} reader stopped after {self.time_limit:g} s; not read")])
        except (EOFError, OSError, ValueError):
            status = self.stop()
            return ReadResult(kind, [], [self._death_warning(label, kind, status)])
        if "error" in header:
            raise ReaderError(f"{label}: the {kind} reader raised in the worker:\n{header['error']}")
        if header.get("memory"):
            self.stop()
            return ReadResult(kind, [], [warning("attachment_memory", f"{label}: {kind} reader reached the {self.memory_limit_mb} MB memory limit; not read")])
        return decode_result(header["result"])

    def _answer(self, process, deadline: float) -> dict:
        stdout = process.stdout
        left = deadline - time.monotonic()
        while left > 0:
            ready, _, _ = select.select([stdout], [], [], left)
            if ready:
                header, _ = read_message(stdout)
                return header
            left = deadline - time.monotonic()
        raise TimeoutError

    def _death_warning(self, label: str, kind: str, status: int | None) -> str:
        if status in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS) or status == 137:
            return warning("attachment_memory", f"{label}: {kind} reader died (status {status}) within the {self.memory_limit_mb} MB memory limit; not read")
        return warning("file_corrupt", f"{label}: {kind} reader crashed (status {status}); not read")


_local = threading.local()
_all_readers: list[BoundedReader] = []
_lock = threading.Lock()


def _reader() -> BoundedReader:
    reader = getattr(_local, "reader", None)
    if reader is None:
        reader = _local.reader = BoundedReader()
        with _lock:
            _all_readers.append(reader)
    return reader


def read_attachment_bounded(data: bytes, filename: str | None = None, **options):
    """:func:`pipelines.readers.read_attachment` in the bounded worker of this thread."""
    return _reader().read(data, filename, **options)


@atexit.register
def stop_workers() -> None:
    with _lock:
        for reader in _all_readers:
            reader.stop()
        _all_readers.clear()
