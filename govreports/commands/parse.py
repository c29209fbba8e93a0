"""``govreports parse FILE...``: the offline chain, as ``python -m pipelines.parse FILE...``."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "parse saved pages, texts or attachments offline; one JSON line per file on stdout"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from pipelines.parse import add_jobs_argument

    parser.add_argument("files", nargs="+", type=Path, help="saved pages, texts or attachments")
    add_jobs_argument(parser)


def run(args: argparse.Namespace) -> int:
    from pipelines.parse import parse_files

    return parse_files(args.files, args.jobs)
