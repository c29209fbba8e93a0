"""``govreports crawl SITES.csv``: the ``reports`` spider, as ``scrapy crawl reports -a sites=...``."""

from __future__ import annotations

import argparse
import sys

HELP = "crawl the annual-report columns of a site registry into JSON lines"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sites", help="registry CSV (name,region_code,url,family)")
    parser.add_argument("-o", "--output", metavar="OUT.jsonl", help="write the items here (overwrites); default output/reports.jsonl")
    parser.add_argument("--region", metavar="PREFIX", help="keep registry rows whose region code starts with PREFIX")
    parser.add_argument("--years", metavar="2021-2023", help="keep reports of these statistics years")
    parser.add_argument("--state", metavar="DIR", help="incremental crawl on this state folder (fetch only what changed, archive, resume)")
    parser.add_argument("--full", action="store_true", help="with --state: walk every column and re-ask every known report")
    parser.add_argument("--archive", metavar="DIR", help="write every response to a WARC file here (default with --state: DIR/archive)")
    add_setting_option(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    parser.add_argument("--redis", metavar="URL", help="distributed crawl: seed the sites into this Redis and work on them (other workers: govreports worker)")
    parser.add_argument(
        "--workers", type=int, metavar="N", help="run N worker processes here (a local redis-server unless --redis); output OUT-1.jsonl … OUT-N.jsonl"
    )


def setting_pair(text: str) -> str:
    """``-s NAME=VALUE``, checked by argparse (a usage error, exit 2)."""
    if "=" not in text or not text.split("=", 1)[0].strip():
        raise argparse.ArgumentTypeError(f"-s takes NAME=VALUE, not {text!r}")
    return text


def add_setting_option(parser: argparse.ArgumentParser) -> None:
    """The ``-s NAME=VALUE`` option every Scrapy-running subcommand takes."""
    parser.add_argument(
        "-s", "--set", dest="settings", action="append", default=[], type=setting_pair, metavar="NAME=VALUE", help="a Scrapy setting (repeatable)"
    )


def setting_arguments(settings: list[str]) -> list[str]:
    return [part for setting in settings for part in ("-s", setting)]


def scrapy_arguments(args: argparse.Namespace) -> list[str]:
    """The ``scrapy crawl reports`` command line that does what ``args`` ask."""
    argv = ["scrapy", "crawl", "reports", "-a", f"sites={args.sites}"]
    if args.region:
        argv += ["-a", f"region={args.region}"]
    if args.years:
        argv += ["-a", f"years={args.years}"]
    if args.state:
        argv += ["-a", f"state={args.state}"]
    if args.full:
        argv += ["-a", "full=1"]
    if args.archive:
        argv += ["-a", f"archive={args.archive}"]
    if args.output:
        # distributed: through the sink (whole lines, flushed, confirmed in Redis), not a buffered feed
        argv += ["-s", f"REPORTS_OUTPUT={args.output}"] if args.redis else ["-O", args.output]
    if args.quiet:
        argv += ["-s", "REPORTS_PROGRESS=0"]
    if args.redis:
        argv += ["-s", f"REDIS_URL={args.redis}"]
    return argv + setting_arguments(args.settings)


def run_scrapy(argv: list[str]) -> int:
    """Run a Scrapy command line in this process with the project's settings; its exit status."""
    import os

    from scrapy.cmdline import execute

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    try:
        execute(argv)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.workers is not None:
        return run_workers(args)
    return run_scrapy(scrapy_arguments(args))


def run_workers(args: argparse.Namespace) -> int:
    """``--workers N``: N worker processes on this machine (``govreports.cluster``)."""
    from pathlib import Path

    from govreports.cluster import run_cluster

    if args.workers < 1:
        raise SystemExit("govreports crawl: error: --workers takes a number >= 1")
    settings = dict(setting.split("=", 1) for setting in args.settings if "=" in setting)
    if args.quiet:
        settings["REPORTS_PROGRESS"] = "0"
    output = Path(args.output or "output/reports.jsonl")
    try:
        return run_cluster(args.sites, args.workers, output, args.redis, settings, args.region, args.years, args.quiet)
    except (ValueError, RuntimeError) as error:
        print(f"govreports crawl: error: {error}", file=sys.stderr)
        return 2
