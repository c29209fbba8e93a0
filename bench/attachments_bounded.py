"""Overhead of reading attachments in the bounded worker (pipelines.readers.sandbox) against
reading them in-process, on the attachment fixtures (no OCR: OCR time would hide the overhead).

Figures: median seconds per attachment over rounds, both ways, their difference and ratio, and the
one-off cost of starting a worker (paid once per crawl thread and after each overrun).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

FILES = ["demo-report.docx", "report-merged.docx", "report.doc", "report.xls", "report.xlsx", "report.ofd", "demo-report.pdf", "report-2019.pdf"]
ROUNDS = 3


def per_file_seconds(read, files) -> float:
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for name, data in files:
            read(data, name, ocr=False)
        rounds.append((time.perf_counter() - start) / len(files))
    return statistics.median(rounds)


def main() -> int:
    from pipelines.readers import read_attachment
    from pipelines.readers.sandbox import BoundedReader

    folder = PROJECT / "tests" / "fixtures" / "attachments"
    files = [(name, (folder / name).read_bytes()) for name in FILES if (folder / name).is_file()]
    reader = BoundedReader()
    start = time.perf_counter()
    reader.read(b"2022\n", "warm.txt")
    startup = time.perf_counter() - start
    for name, data in files:  # warm both: imports and caches
        read_attachment(data, name, ocr=False)
        reader.read(data, name, ocr=False)
    inside = per_file_seconds(read_attachment, files)
    bounded = per_file_seconds(reader.read, files)
    reader.stop()
    print("## Bounded attachment reading (worker subprocess, RLIMIT_AS, wall-clock kill)\n")
    print(f"attachments: {len(files)} fixtures, rounds: {ROUNDS} (median)\n")
    print("| how | seconds per attachment |")
    print("|---|---|")
    print(f"| in-process read_attachment (baseline) | {inside:.3f} |")
    print(f"| bounded worker | {bounded:.3f} |")
    print(f"\noverhead: {1000 * (bounded - inside):+.1f} ms per attachment ({bounded / inside:.2f}x); worker start-up {startup:.2f} s once per thread\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
