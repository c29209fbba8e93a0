"""Time to export 10,000 reports (``govreports export``'s work) and to write their coverage page.

The 10,000 items are synthesised from real parsed reports (the seeds and parsing fixtures run
through the offline chain): 2,000 organs over five years, numbers shifted per item, blanks kept.
The baseline, measured in the same run (the steps take turns in each round), is reading the feed and ``json.loads`` of every line:
the least any consumer of the feed pays. Figures are seconds (median of ROUNDS) and their ratio.
"""

from __future__ import annotations

import copy
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

REPORTS = 10_000
YEARS = 5
ROUNDS = 3
SOURCES = ["seeds/*.txt", "parsing/*-2021.txt", "parsing/spaced-2019.txt", "parsing/*.html"]


def real_items() -> list[dict]:
    from pipelines.parse import parse_file

    paths = sorted({p for pattern in SOURCES for p in (PROJECT / "tests" / "fixtures").glob(pattern)})
    items = [parse_file(path)[0] for path in paths]
    return [item for item in items if item["format"] in ("2021", "2019")]


def synthesise(items: list[dict], count: int) -> list[dict]:
    out = []
    for index in range(count):
        item = copy.deepcopy(items[index % len(items)])
        organ_number, year = divmod(index, YEARS)
        url = f"http://127.0.0.1/site{organ_number % 50}/nb/{organ_number}/{2019 + year}.html"
        item.update(
            report_id=hashlib.sha1(url.encode()).hexdigest(),
            url=url,
            site=f"site-{organ_number % 50}",
            region_code=f"{230100 + organ_number % 50}",
            organ=f"示例{organ_number}镇人民政府",
            title=f"示例{organ_number}镇人民政府{2019 + year}年政府信息公开工作年度报告",
            year=2019 + year,
            crawled_at="2026-11-29T00:00:00Z",
        )
        item["source"] = dict(item["source"], url=url, sha256=hashlib.sha256(url.encode()).hexdigest())
        for row in (item.get("requests") or {}).values():
            for column, value in row.items():
                if isinstance(value, int):
                    row[column] = value + index % 7
        out.append(item)
    return out


def timed_rounds(steps: dict) -> dict[str, float]:
    """Median seconds of each step; the steps take turns in every round, so a busy machine slows
    the baseline as much as the rest."""
    times = {name: [] for name in steps}
    for _ in range(ROUNDS):
        for name, function in steps.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    import pyarrow.parquet as pq

    from govreports.dataset.coverage import build_coverage, render_html
    from govreports.dataset.export import export
    from govreports.dataset.records import read_feeds

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "reports.jsonl"
        lines = [json.dumps(item, ensure_ascii=False) for item in synthesise(real_items(), REPORTS)]
        feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
        records = read_feeds([feed]).records
        page = Path(tmp) / "coverage.html"
        seconds = timed_rounds(
            {
                "baseline": lambda: [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()],
                "reading": lambda: read_feeds([feed]),
                "writing": lambda: export(records, Path(tmp) / "dataset"),
                "coverage": lambda: page.write_text(render_html(build_coverage(records)), encoding="utf-8"),
            }
        )
        baseline, reading, writing, coverage = (seconds[k] for k in ("baseline", "reading", "writing", "coverage"))
        sizes = {p.name: p.stat().st_size for p in sorted((Path(tmp) / "dataset").iterdir())}
        cells = pq.ParquetFile(Path(tmp) / "dataset" / "cells.parquet").metadata.num_rows
    total = reading + writing
    print(f"## Export of {REPORTS:,} reports ({len(records):,} rows, {cells:,} cells), median of {ROUNDS}\n")
    print("| step | seconds | x baseline |")
    print("|---|---|---|")
    print(f"| baseline: read the feed + json.loads every line | {baseline:.2f} | 1.0 |")
    print(f"| read_feeds (parse + merge duplicates) | {reading:.2f} | {reading / baseline:.1f} |")
    print(f"| export (reports/cells Parquet + CSV, cross_year, README) | {writing:.2f} | {writing / baseline:.1f} |")
    print(f"| **govreports export, total** | **{total:.2f}** | **{total / baseline:.1f}** |")
    print(f"| coverage page (grid, 3 charts, lists) | {coverage:.2f} | {coverage / baseline:.1f} |")
    print("\nfiles: " + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sizes.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
