"""``govreports coverage IN.jsonl... [--sites REGISTRY.csv] [--years 2019-2024] --out report.html``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govreports.commands.export import missing_files

HELP = "write a self-contained HTML coverage report: organs x years, charts, missing reports, cross-year mismatches"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("feeds", nargs="+", type=Path, help="JSON-lines feeds of the crawl")
    parser.add_argument("--sites", type=Path, help="the site registry CSV, so portals without any report show too")
    parser.add_argument("--years", help="statistics years to show: 2022 or 2019-2024 (default: the years found)")
    parser.add_argument("--out", type=Path, required=True, help="the HTML file to write")


def run(args: argparse.Namespace) -> int:
    prog = "govreports coverage"
    status = missing_files(prog, args.feeds)
    if status:
        return status
    from crawler.registry import RegistryError, load_registry
    from crawler.spiders.reports import parse_years
    from govreports.dataset.coverage import build_coverage, render_html
    from govreports.dataset.records import read_feeds

    try:
        years = parse_years(args.years)
        sites = [(site.name, site.region_code) for site in load_registry(args.sites)] if args.sites else None
    except (ValueError, RegistryError) as error:
        print(f"usage: {prog} ...\n{prog}: error: {error}", file=sys.stderr)
        return 2
    feed = read_feeds(args.feeds)
    for problem in feed.problems:
        print(f"skipped {problem}", file=sys.stderr)
    coverage = build_coverage(feed.records, sites=sites, years=years)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_html(coverage), encoding="utf-8")
    print(
        f"{len(coverage.reports)} reports of {sum(len(keys) for _, _, keys in coverage.groups)} organs, "
        f"{len(coverage.missing)} missing, {len(coverage.mismatches)} cross-year mismatches"
    )
    print(args.out)
    return 1 if feed.problems else 0
