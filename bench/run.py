"""`make bench`: speed figures measured in one run, each against a baseline on the same input.

1. Parse throughput: the report chain (chrome stripping, parsing, validation, i.e. what the crawl
   runs per page) against ``trafilatura.extract(html, include_tables=True)`` alone, on the demo
   portal's report pages. Target: the chain at least 3x as fast as trafilatura's extraction.
2. Chrome stripping against trafilatura on labelled pages: ``bench/strip_vs_trafilatura.py``.

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

PORTAL_PAGES = PROJECT / "tests" / "fixtures" / "portal"
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
    strip_bench = PROJECT / "bench" / "strip_vs_trafilatura.py"
    strip_status = 0
    if strip_bench.exists():
        strip_status = subprocess.call([sys.executable, str(strip_bench)], cwd=PROJECT)
    attachments_bench = PROJECT / "bench" / "attachments_bounded.py"
    if attachments_bench.exists():
        subprocess.call([sys.executable, str(attachments_bench)], cwd=PROJECT)
    return 0 if ratio >= TARGET_RATIO and strip_status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
