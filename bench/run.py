"""`make bench`: speed figures measured in one run, each against a baseline on the same input.

1. Parse throughput: the report chain (chrome stripping, parsing, validation, i.e. what the crawl
   runs per page) against ``trafilatura.extract(html, include_tables=True)`` alone, on the demo
   portal's report pages. Target: the chain at least 3x as fast as trafilatura's extraction.
2. Chrome stripping against trafilatura on labelled pages: ``bench/strip_vs_trafilatura.py``.
3. The offline command (``python -m pipelines.parse`` / ``govreports parse``) on 200 report pages,
   whole process and in process, against trafilatura: ``bench/parse_command.py`` (target 5x).
4. The crawl at scale (CPU split per report, 1 process vs 2 workers on Redis, memory of a
   worker): ``bench/distributed.py``.
5. Exporting 10,000 reports against reading their feed: ``bench/export_10k.py``.
6. Recrawl against first crawl on a state folder (requests at the portal, wall time, archive
   size per 100 reports): ``bench/recrawl.py``.
7. The bounded attachment reader against reading in process: ``bench/attachments_bounded.py``.

Figures are reports (pages) per second, median of several timed rounds, and their ratio.
Exit status 1 when the 3x target is missed.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

PORTAL_PAGES = PROJECT / "govreports" / "demo" / "site"
TARGET_RATIO = 3.0
ROUNDS = 5
MIN_ROUND_SECONDS = 0.5


def report_pages() -> list[tuple[str, str]]:
    """(url, html) of every demo-portal page that carries a report's tables."""
    from pipelines.cleaning import decode_html

    pages = []
    for path in sorted(PORTAL_PAGES.rglob("*")):
        if not path.is_file() or path.suffix in (".json", ".pdf", ".docx", ".png", ".txt"):
            continue
        html = decode_html(path.read_bytes())
        if "申请人情况" in html or "本年新收" in html:
            pages.append((f"http://127.0.0.1/{path.relative_to(PORTAL_PAGES)}", html))
    return pages


def throughput(function, pages) -> float:
    """Pages per second: median over rounds, each round repeating the page set >= MIN_ROUND_SECONDS."""
    rates = []
    for _ in range(ROUNDS):
        done, start = 0, time.perf_counter()
        while True:
            for url, html in pages:
                function(url, html)
            done += len(pages)
            elapsed = time.perf_counter() - start
            if elapsed >= MIN_ROUND_SECONDS:
                break
        rates.append(done / elapsed)
    return statistics.median(rates)


def run_chain_on(url: str, html: str) -> dict:
    from pipelines.chain import run_chain

    item = {"url": url, "raw_html": html, "attachments": [], "warnings": []}
    return run_chain(item)


def trafilatura_on(url: str, html: str):
    import trafilatura

    return trafilatura.extract(html, include_tables=True)


#: The other benchmark scripts of ``bench/``, run in this order; each exits 1 when it misses its target.
SUB_BENCHMARKS = (
    "strip_vs_trafilatura.py",
    "parse_command.py",
    "distributed.py",
    "export_10k.py",
    "recrawl.py",
    "attachments_bounded.py",
)


def main() -> int:
    pages = report_pages()
    if not pages:
        print(f"no report pages under {PORTAL_PAGES}", file=sys.stderr)
        return 1
    for url, html in pages:  # warm caches and check that every page parses
        item = run_chain_on(url, html)
        if item["format"] not in ("2021", "2019"):
            print(f"warning: {url} parsed as format {item['format']}", file=sys.stderr)
        trafilatura_on(url, html)
    ours = throughput(run_chain_on, pages)
    theirs = throughput(trafilatura_on, pages)
    ratio = ours / theirs
    print("## Parse throughput (demo portal report pages)\n")
    print(f"pages: {len(pages)}, rounds: {ROUNDS} (median)\n")
    print("| what | reports/s |")
    print("|---|---|")
    print(f"| strip + parse + validate (this project) | {ours:.1f} |")
    print(f"| trafilatura.extract(include_tables=True) | {theirs:.1f} |")
    print(f"\nratio: {ratio:.2f}x (target >= {TARGET_RATIO:.0f}x): {'PASS' if ratio >= TARGET_RATIO else 'FAIL'}\n")
    statuses = [subprocess.call([sys.executable, str(PROJECT / "bench" / name)], cwd=PROJECT) for name in SUB_BENCHMARKS]
    return 0 if ratio >= TARGET_RATIO and not any(statuses) else 1


if __name__ == "__main__":
    sys.exit(main())
