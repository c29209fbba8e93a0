"""``govreports demo``: start the embedded demo portal, crawl it, print the per-site summary."""

from __future__ import annotations

import argparse

HELP = "start the embedded demo portal on loopback and crawl it into output/reports.jsonl"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from govreports.demo.server import DEFAULT_PORT

    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"portal port (default {DEFAULT_PORT}; busy -> a free one)")
    parser.add_argument("-o", "--output", default="output/reports.jsonl", help="where the items go")


def run(args: argparse.Namespace) -> int:
    from govreports.demo.run import run_demo

    return run_demo(args.port, args.output)
