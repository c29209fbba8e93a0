"""``govreports reparse WARC_OR_DIR... [-o OUT.jsonl]``: today's parser over archived crawls, offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "re-parse archived crawls (WARC files or folders of them) into JSON lines, with no network"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("archives", nargs="+", type=Path, metavar="WARC_OR_DIR", help="WARC files, or folders holding them (e.g. STATE/archive)")
    parser.add_argument("-o", "--output", type=Path, metavar="OUT.jsonl", help="write the items here (overwrites); default stdout")
    parser.add_argument("--state", type=Path, metavar="DIR", help="state folder for revision/supersedes (default: found beside the archive)")


def run(args: argparse.Namespace) -> int:
    import json

    from crawler.reparse import reparse

    try:
        items, problems = reparse(args.archives, args.state)
    except FileNotFoundError as error:
        print(f"govreports reparse: error: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    lines = "".join(json.dumps(item, ensure_ascii=False, default=str) + "\n" for item in items)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(lines, encoding="utf-8")
        print(f"{len(items)} reports written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(lines)
    return 0
