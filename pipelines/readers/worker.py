"""The bounded reader's worker: ``python -m pipelines.readers.worker MEMORY_MB``.

Sets its own address-space ceiling (inherited by the converters it starts), then answers
requests on stdin (length-prefixed JSON header + file bytes) with ``read_attachment`` results
on stdout, until stdin closes. A ``MemoryError`` is answered as ``{"memory": true}`` and ends the
worker (its heap is not trusted after that). In strict mode an error the reader raises is answered
as ``{"error": traceback}`` and raised again by the parent. See :mod:`pipelines.readers.sandbox`.
"""

from __future__ import annotations

import resource
import sys
import traceback


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the process that started it dies."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main(argv: list[str]) -> int:
    _die_with_parent()
    limit = int(argv[0]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    from pipelines.readers import read_attachment
    from pipelines.readers.sandbox import encode_result, read_message, write_message

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a library that prints must not corrupt the answers
    while True:
        try:
            header, data = read_message(stdin)
        except EOFError:
            return 0
        try:
            result = read_attachment(data, header.get("filename"), **header.get("options", {}))
            answer = {"result": encode_result(result)}
        except MemoryError:
            answer = {"memory": True}
        except Exception:  # noqa: BLE001 - only in strict mode does read_attachment raise: the parent re-raises it
            answer = {"error": traceback.format_exc()}
        if any(w.startswith("attachment_memory") for w in answer.get("result", {}).get("warnings", [])):
            answer = {"memory": True}
        del data
        write_message(stdout, answer)
        if answer.get("memory"):
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
