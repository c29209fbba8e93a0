"""``govreports demo``: start the embedded demo portal, crawl it, print the per-site summary."""

from __future__ import annotations

import argparse

HELP = "start the embedded demo portal on loopback and crawl it into output/reports.jsonl"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from govreports.demo.server import DEFAULT_PORT

    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"portal port (default {DEFAULT_PORT}; busy -> a free one)")
    parser.add_argument("-o", "--output", default="output/reports.jsonl", help="where the items go")
    scale = parser.add_argument_group("scale mode (govreports/demo/scale.py): N generated sites on loopback")
    scale.add_argument("--sites", type=int, metavar="N", help="serve N generated sites instead of the five demo sites")
    scale.add_argument("--reports", type=int, default=40, metavar="M", help="reports a site (default 40)")
    scale.add_argument("--latency", type=float, default=0.2, metavar="SECONDS", help="each answer's delay (default 0.2)")
    scale.add_argument("--workers", type=int, metavar="N", help="crawl with N worker processes on a local redis-server")


def run(args: argparse.Namespace) -> int:
    if args.sites or args.workers:
        from govreports.demo.scale import run_scale_demo

        return run_scale_demo(args.sites or 50, args.reports, args.latency, args.workers, args.output)
    from govreports.demo.run import run_demo

    return run_demo(args.port, args.output)
