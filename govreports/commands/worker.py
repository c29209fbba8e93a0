"""``govreports worker --redis URL``: join a distributed crawl as one more worker (any machine)."""

from __future__ import annotations

import argparse

from govreports.commands.crawl import add_setting_option, setting_arguments

HELP = "work on a distributed crawl's shared sites in Redis until none is left"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--redis", required=True, metavar="URL", help="the crawl's Redis, e.g. redis://10.0.0.5:6379/0")
    parser.add_argument("-o", "--output", metavar="OUT.jsonl", help="this worker's items (default output/reports-HOST-PID.jsonl)")
    parser.add_argument("--idle", type=int, metavar="SECONDS", help="exit after this long with no shared work (0: never; default from the settings)")
    add_setting_option(parser)


def scrapy_arguments(args: argparse.Namespace) -> list[str]:
    import os
    import socket

    output = args.output or f"output/reports-{socket.gethostname()}-{os.getpid()}.jsonl"
    summary = output.removesuffix(".jsonl") + ".summary.json"
    argv = ["scrapy", "crawl", "reports", "-s", f"REDIS_URL={args.redis}", "-s", f"REPORTS_OUTPUT={output}", "-s", f"REPORTS_SUMMARY={summary}"]
    if args.idle is not None:
        argv += ["-s", f"MAX_IDLE_TIME_BEFORE_CLOSE={args.idle}"]
    return argv + setting_arguments(args.settings)


def run(args: argparse.Namespace) -> int:
    from govreports.commands.crawl import run_scrapy

    return run_scrapy(scrapy_arguments(args))
