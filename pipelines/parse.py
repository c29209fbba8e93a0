"""Stage: parse each report into the structured item; also the offline command.

As a stage, it runs ``pipelines.chain.parse_step`` on every crawled item. As a command,

    python -m pipelines.parse FILE [FILE ...]

runs the whole chain of the crawl (stripping, parsing, validation) on saved files and prints one
JSON item per file to stdout, in the order given (a batch is shared by one process per core;
``--jobs N`` sets how many). What a file is comes from its content, not its
name: an HTML page, plain text, or an attachment kind (PDF, Word, spreadsheet, OFD, image). A page
that is not a report still gives its line (``format: unknown``); a file that cannot be read gives
a clear error on stderr, a line with a warning, and exit status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

from crawler.stats_keys import missing_field_key
from pipelines.chain import parse_step, run_chain
from pipelines.contract import CONTRACT_FIELDS, public_dict, report_id_for
from pipelines.stage import ChainStage
from pipelines.warning_codes import warning

#: Fields whose gaps are counted as ``parse/field/<name>/missing``.
COUNTED_FIELDS = ("organ", "year", "published", "title", "active", "requests", "review_litigation")


class ParsePipeline(ChainStage):
    step = staticmethod(parse_step)
    stats_prefix = "parse"

    def count(self, adapter):
        for name in COUNTED_FIELDS:
            if adapter.get(name) in (None, "", {}):
                self.stats.inc_value(missing_field_key(name))
        self.stats.inc_value(f"parse/format/{adapter.get('format')}")
        self.stats.inc_value(f"parse/source/{(adapter.get('source') or {}).get('kind')}")
        if adapter.get("warnings"):
            self.stats.inc_value("parse/items_with_warnings")


def _blank_item(path: Path) -> dict:
    url = path.absolute().as_uri()
    item: dict = {name: None for name in CONTRACT_FIELDS}
    item.update(report_id=report_id_for(url), url=url, attachments=[], warnings=[], page_meta={}, text="")
    return item


def _load_file(item: dict, path: Path) -> None:
    """Fill the item a saved file starts as, before the chain runs (by the file's content)."""
    from pipelines.cleaning import decode_html
    from pipelines.readers import sniff_kind

    url = item["url"]
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    kind = sniff_kind(data, path.name)
    if kind == "html":
        item["raw_html"] = decode_html(data)
        item["source"] = {"kind": "html", "url": url, "sha256": digest}
    elif kind == "text":
        item["text"] = decode_html(data)  # the same charset rule: BOM, valid UTF-8, else GB18030
        item["source"] = {"kind": "text", "url": url, "sha256": digest}
    else:
        item["text"] = ""
        item["attachments"] = [{"url": url, "filename": path.name, "kind": kind, "sha256": digest}]
        item["attachment_files"] = {url: data}
        item["source"] = {"kind": kind, "url": url, "sha256": digest}


def parse_file(path: Path) -> tuple[dict, str | None]:
    """Run the chain on one saved file: (item, error message or None)."""
    item = _blank_item(path)
    error = None
    try:
        _load_file(item, path)
    except OSError as problem:
        error = f"cannot read file: {problem.strerror or problem}"
        item["warnings"].append(warning("file_unreadable", error))
        item["source"] = {"kind": "text", "url": item["url"], "sha256": None}
    run_chain(item)
    return public_dict(item), (f"{path}: {error}" if error else None)


#: A batch is split over several processes only when each gets at least this many files.
FILES_PER_JOB = 8


def default_jobs(count: int) -> int:
    """Processes for ``count`` files: one per usable core, as long as each gets ``FILES_PER_JOB`` files."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, count // FILES_PER_JOB))


def _parsed_line(path: Path) -> tuple[str, str | None]:
    item, error = parse_file(path)
    return json.dumps(item, ensure_ascii=False) + "\n", error


def parse_files(paths: list[Path], jobs: int | None = None) -> int:
    """Print one JSON line per file, in the order given; 1 if any file could not be read, else 0.

    ``jobs`` processes share the files (forked from this one, so they start at once); None picks
    ``default_jobs``. The lines are the same whatever the number of jobs.
    """
    jobs = default_jobs(len(paths)) if jobs is None else max(1, jobs)
    if jobs == 1:
        return _print_lines(map(_parsed_line, paths))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(paths) // (jobs * 8))
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return _print_lines(pool.map(_parsed_line, paths, chunksize=chunk))


def _print_lines(results) -> int:
    status = 0
    for line, error in results:
        if error:
            print(f"error: {error}", file=sys.stderr)
            status = 1
        sys.stdout.write(line)
        sys.stdout.flush()
    return status


def add_jobs_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N",
        help=f"processes to parse with (default: one per core, at least {FILES_PER_JOB} files each)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.parse", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="saved pages, texts or attachments")
    add_jobs_argument(parser)
    args = parser.parse_args(argv)
    return parse_files(args.files, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
