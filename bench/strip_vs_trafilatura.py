"""Benchmark: the strip stage (``pipelines.cleaning.clean_page``) against trafilatura.

Same pages, one run: the labelled set in ``tests/fixtures/cleaning`` plus, when ``../shared`` is
present, the real report and portal detail pages there that are not already copied into it.
For each extractor: chrome strings leaked into the text, labelled body paragraphs lost, and pages
per second. Prints a markdown table; exits 0.

Usage: ``python bench/strip_vs_trafilatura.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from pipelines.cleaning import CHROME_STRINGS, clean_page  # noqa: E402

LABELLED = PROJECT / "tests" / "fixtures" / "cleaning"
SHARED = PROJECT.parent / "shared" / "corpus"
LIST_PAGES = {"hanweb-sthjt-jiangxi-1", "ucap-jyt-gansu-1"}
_SPACE_RE = re.compile(r"[\s|\u3000\xa0]+")


def _norm(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def load_pages() -> list[tuple[str, bytes, list[str]]]:
    """(name, raw bytes, labelled paragraphs); pages without labels get an empty list."""
    pages: list[tuple[str, bytes, list[str]]] = []
    seen: set[str] = set()
    for html in sorted(LABELLED.glob("*.html")):
        data = html.read_bytes()
        label = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
        pages.append((html.stem, data, label["paragraphs"]))
        seen.add(hashlib.sha256(data).hexdigest())
    if SHARED.is_dir():
        extra = sorted(SHARED.glob("*.html")) + sorted(
            p for p in (SHARED / "pages").glob("*.html") if p.stem not in LIST_PAGES
        )
        for html in extra:
            data = html.read_bytes()
            if hashlib.sha256(data).hexdigest() not in seen:
                pages.append((f"shared-{html.stem}", data, []))
    return pages


def run_strip(data: bytes) -> str:
    return clean_page(data).text


def run_trafilatura(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data, include_tables=True) or ""


def measure(name: str, extract, pages, repeat: int) -> dict:
    outputs = [extract(data) for _, data, _ in pages]  # warm-up and the texts judged below
    start = time.perf_counter()
    for _ in range(repeat):
        for _, data, _ in pages:
            extract(data)
    elapsed = time.perf_counter() - start
    leaked = lost = leak_pages = loss_pages = total_paragraphs = 0
    worst: list[str] = []
    for (page, _, paragraphs), text in zip(pages, outputs):
        leaks = [s for s in CHROME_STRINGS if s in text]
        norm = _norm(text)
        missing = [p for p in paragraphs if _norm(p) not in norm]
        total_paragraphs += len(paragraphs)
        leaked += len(leaks)
        lost += len(missing)
        leak_pages += bool(leaks)
        loss_pages += bool(missing)
        if leaks or missing:
            worst.append(f"{page}: leaked {leaks[:4]} lost {len(missing)}")
    return {
        "name": name,
        "pages": len(pages),
        "leaked": leaked,
        "leak_pages": leak_pages,
        "lost": lost,
        "loss_pages": loss_pages,
        "paragraphs": total_paragraphs,
        "pps": len(pages) * repeat / elapsed if elapsed else float("inf"),
        "details": worst,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the pages (default 3)")
    parser.add_argument("--details", action="store_true", help="list the pages with leaks or losses")
    args = parser.parse_args(argv)
    pages = load_pages()
    results = [measure("strip (pipelines.cleaning)", run_strip, pages, args.repeat)]
    try:
        results.append(measure("trafilatura.extract(include_tables=True)", run_trafilatura, pages, args.repeat))
    except ImportError:
        print("trafilatura is not installed; only the strip stage was measured")
    print(f"{len(pages)} pages ({sum(1 for p in pages if p[2])} labelled), {args.repeat} timed passes\n")
    print("| extractor | chrome strings leaked (pages) | body paragraphs lost (pages) | pages/s |")
    print("|---|---|---|---|")
    for r in results:
        print(
            f"| {r['name']} | {r['leaked']} ({r['leak_pages']}/{r['pages']}) "
            f"| {r['lost']}/{r['paragraphs']} ({r['loss_pages']}/{r['pages']}) | {r['pps']:.1f} |"
        )
    if len(results) == 2 and results[1]["pps"]:
        print(f"\nspeed ratio strip / trafilatura: {results[0]['pps'] / results[1]['pps']:.1f}x")
    if args.details:
        for r in results:
            print(f"\n{r['name']}:")
            for line in r["details"]:
                print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
