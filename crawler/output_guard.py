"""Stop the crawl with one clear message when its output cannot be written (unwritable folder,
disk full, read-only file system), instead of a traceback for every later item.

Before the crawl starts (the spider's ``check_arguments``, exit status 2) and again when it opens,
the output folder of the default sink (``REPORTS_OUTPUT``, when no ``-O``/``-o`` feed is given)
is created and a probe file written and removed there; when that fails the crawl is closed
(reason ``output_unwritable``) before fetching anything. During the crawl, the first item
whose writing fails with a storage error (no space, quota, read-only, I/O error, permission) logs
one line naming the file and the cause and closes the crawl; the items written so far are whole
lines. The stats say it: ``output/unwritable``.
"""

from __future__ import annotations

import asyncio
import errno
import os
from pathlib import Path

from scrapy import signals

STORAGE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EACCES, errno.EPERM, errno.EFBIG, errno.ENOTDIR}


class OutputGuard:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.path = None if settings.getdict("FEEDS") else Path(settings.get("REPORTS_OUTPUT") or "output/reports.jsonl")
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler):
        guard = cls(crawler)
        crawler.signals.connect(guard.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(guard.item_error, signal=signals.item_error)
        return guard

    def spider_opened(self, spider):
        problem = output_problem(self.crawler.settings)
        if problem:
            self.stop(problem)

    def item_error(self, item, response, spider, failure):
        error = failure.value
        if isinstance(error, OSError) and error.errno in STORAGE_ERRORS and not self.stopping:
            self.stop(f"cannot write the output {self.path or 'feed'}: {error.strerror or error}")

    def stop(self, message: str) -> None:
        self.stopping = True
        self.crawler.stats.set_value("output/unwritable", message)
        self.crawler.spider.logger.error("%s; the crawl stops (lines written so far are complete)", message)
        asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="output_unwritable"))


def output_problem(settings) -> str | None:
    """Why the default sink's output folder cannot be written (None when it can, or a feed is used)."""
    if settings.getdict("FEEDS"):
        return None
    folder = Path(settings.get("REPORTS_OUTPUT") or "output/reports.jsonl").parent
    problem = probe(folder)
    return f"cannot write the output folder {folder}: {problem}" if problem else None


def probe(folder: Path) -> str | None:
    """None when a file can be created, written and removed in ``folder`` (made if missing), else why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe_path = folder / f".write-probe-{os.getpid()}"
        with probe_path.open("wb") as handle:
            handle.write(b"probe\n")
            handle.flush()
            os.fsync(handle.fileno())
        probe_path.unlink()
    except OSError as error:
        return error.strerror or str(error)
    return None
