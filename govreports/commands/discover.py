"""``govreports discover HOMES.csv -o registry.csv``: the ``discover`` spider, as
``scrapy crawl discover -a homes=... -O registry.csv``, then the discovery summary printed."""

from __future__ import annotations

import argparse

from govreports.commands.crawl import add_setting_option, setting_arguments

HELP = "find the annual-report columns of portals from their home pages; write a registry CSV"
DEFAULT_OUTPUT = "output/registry.csv"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("homes", nargs="?", help="home pages CSV (name,region_code,url)")
    parser.add_argument("-o", "--output", metavar="REGISTRY.csv", default=DEFAULT_OUTPUT,
                        help=f"write the registry here (overwrites); default {DEFAULT_OUTPUT}")
    parser.add_argument("--directory", metavar="URL", help="a directory page of portals: each linked portal is a home page")
    add_setting_option(parser)


def scrapy_arguments(args: argparse.Namespace) -> list[str]:
    """The ``scrapy crawl discover`` command line that does what ``args`` ask."""
    argv = ["scrapy", "crawl", "discover"]
    if args.homes:
        argv += ["-a", f"homes={args.homes}"]
    if args.directory:
        argv += ["-a", f"directory={args.directory}"]
    argv += ["-O", f"{args.output}:csv"]
    return argv + setting_arguments(args.settings)


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from govreports.commands.crawl import run_scrapy

    if not args.homes and not args.directory:
        print("govreports discover: error: give HOMES.csv or --directory URL (or both)", file=sys.stderr)
        return 2
    status = run_scrapy(scrapy_arguments(args))
    summary = Path(args.output).with_name("discovery.json")
    if status == 0 and summary.is_file():
        from crawler.spiders.discover import format_summary

        rows = json.loads(summary.read_text(encoding="utf-8"))["sites"]
        print(format_summary(rows))
        print(f"\nregistry: {args.output} ({sum(len(r['columns']) for r in rows)} columns); summary: {summary}")
    return status
