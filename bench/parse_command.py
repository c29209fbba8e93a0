"""Benchmark: the offline command on 200 report pages against trafilatura on the same files.

    python bench/parse_command.py [--pages 200] [--rounds 3]

The report pages (the demo portal's, plus the real report pages of ``../shared/corpus`` when it is
present) are copied, raw bytes, to a temporary folder until there are ``--pages`` files. Then, in
one run:

* whole process, start-up included: ``python -m pipelines.parse FILES`` and ``govreports parse
  FILES`` (as users run them: one process per core), and ``python -m pipelines.parse -j 1 FILES``
  (one process, one core) against ``python -c 'import trafilatura; trafilatura.extract(..., include_tables=True)'``
  over the same files (median wall time of ``--rounds``);
* in process: ``pipelines.parse.parse_file`` on each file against ``trafilatura.extract`` on each
  file's bytes (after a warm-up).

Prints files per second and the ratios; exit status 1 when the whole-process ratio of
``python -m pipelines.parse`` is under the 5x target.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

DEMO_SITE = PROJECT / "govreports" / "demo" / "site"
CORPUS = PROJECT.parent / "shared" / "corpus"
TARGET_RATIO = 5.0
REPORT_MARKERS = ("申请人情况".encode(), "本年新收".encode(), "申请人情况".encode("gb18030"), "本年新收".encode("gb18030"))

TRAFILATURA = """
import sys
import trafilatura
for name in sys.argv[1:]:
    with open(name, "rb") as handle:
        trafilatura.extract(handle.read(), include_tables=True)
"""


def report_pages() -> list[Path]:
    """Saved HTML pages that carry a report's tables (demo portal, then the corpus if present)."""
    candidates = [p for p in sorted(DEMO_SITE.rglob("*")) if p.is_file() and p.suffix != ".json"]
    if CORPUS.is_dir():
        candidates += sorted(CORPUS.rglob("*.html"))
    pages = []
    for path in candidates:
        data = path.read_bytes()
        if data.lstrip()[:1] == b"<" and any(marker in data for marker in REPORT_MARKERS):
            pages.append(path)
    return pages


def copy_pages(pages: list[Path], count: int, folder: Path) -> list[Path]:
    files = []
    for n in range(count):
        target = folder / f"{n:04d}-{pages[n % len(pages)].name}.html"
        shutil.copyfile(pages[n % len(pages)], target)
        files.append(target)
    return files


def wall_time(command: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(command, cwd=PROJECT, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(files: list[Path], rounds: int) -> tuple[float, float]:
    import trafilatura

    from pipelines.parse import parse_file

    def ours():
        for path in files:
            parse_file(path)

    def theirs():
        for path in files:
            trafilatura.extract(path.read_bytes(), include_tables=True)

    results = []
    for function in (ours, theirs):
        function()  # warm-up
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        results.append(statistics.median(times))
    return results[0], results[1]


def main(argv: list[str] | None = None) -> int:
    from pipelines.parse import default_jobs

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    pages = report_pages()
    if not pages:
        print("no report pages found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        files = copy_pages(pages, args.pages, Path(tmp))
        names = [str(f) for f in files]
        module = wall_time([sys.executable, "-m", "pipelines.parse", *names], args.rounds)
        one_job = wall_time([sys.executable, "-m", "pipelines.parse", "-j", "1", *names], args.rounds)
        command = wall_time([sys.executable, "-m", "govreports", "parse", *names], args.rounds)
        baseline = wall_time([sys.executable, "-c", TRAFILATURA, *names], args.rounds)
        ours, theirs = in_process(files, args.rounds)
    n = len(files)
    print(f"## Offline command vs trafilatura ({n} report pages from {len(pages)} distinct, median of {args.rounds})\n")
    print("| what | seconds | files/s | ratio |")
    print("|---|---|---|---|")
    print(f"| `python -m pipelines.parse` (whole process) | {module:.2f} | {n / module:.1f} | {baseline / module:.2f}x |")
    print(f"| `govreports parse` (whole process) | {command:.2f} | {n / command:.1f} | {baseline / command:.2f}x |")
    print(f"| `python -m pipelines.parse -j 1` (whole process, one core) | {one_job:.2f} | {n / one_job:.1f} | {baseline / one_job:.2f}x |")
    print(f"| trafilatura.extract(include_tables=True) (whole process) | {baseline:.2f} | {n / baseline:.1f} | 1x |")
    print(f"| parse_file (in process) | {ours:.2f} | {n / ours:.1f} | {theirs / ours:.2f}x |")
    print(f"| trafilatura.extract(include_tables=True) (in process) | {theirs:.2f} | {n / theirs:.1f} | 1x |")
    ratio = baseline / module
    print(f"\ncores: {default_jobs(n)} jobs by default on this machine")
    print(f"whole-process ratio: {ratio:.2f}x (target >= {TARGET_RATIO:.0f}x): {'PASS' if ratio >= TARGET_RATIO else 'FAIL'}")
    print(f"one-core whole-process ratio: {baseline / one_job:.2f}x; in-process ratio: {theirs / ours:.2f}x\n")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
