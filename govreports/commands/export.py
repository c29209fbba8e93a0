"""``govreports export IN.jsonl... --out DIR``: typed tables for analysts (see ``govreports.dataset``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "export feeds to reports/cells Parquet and CSV, cross_year.csv and a data dictionary"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("feeds", nargs="+", type=Path, help="JSON-lines feeds of the crawl; later lines of a report win")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created if missing)")


def missing_files(prog: str, paths) -> int:
    """Exit status 2 with an argparse-style message when a feed does not exist, else 0."""
    missing = [str(path) for path in paths if not Path(path).is_file()]
    if missing:
        print(f"usage: {prog} ...\n{prog}: error: no such feed: {', '.join(missing)}", file=sys.stderr)
        return 2
    return 0


def run(args: argparse.Namespace) -> int:
    status = missing_files("govreports export", args.feeds)
    if status:
        return status
    from govreports.dataset.export import export
    from govreports.dataset.records import read_feeds

    feed = read_feeds(args.feeds)
    for problem in feed.problems:
        print(f"skipped {problem}", file=sys.stderr)
    result = export(feed.records, args.out)
    for problem in result.problems:
        print(f"note: {problem}", file=sys.stderr)
    print(
        f"{feed.lines} lines, {result.reports} reports ({feed.merged} lines merged into others), {result.cells} cells; "
        f"cross-year: {result.cross_year_mismatches} mismatches of {result.cross_year_compared} pairs compared"
    )
    for path in result.files():
        print(path)
    return 1 if feed.problems else 0
