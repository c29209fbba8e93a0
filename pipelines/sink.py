"""The sink: one JSON line per report, UTF-8 with Chinese as is, never a partial line.

Targets: the ``.jsonl`` feeds the user asked for with ``-O``/``-o`` (the crawl command moves them
from ``FEEDS`` to ``REPORTS_FEEDS``, so Scrapy's feed exporter stays off for them), else
``REPORTS_OUTPUT`` (default ``output/reports.jsonl``) when no other feed was asked for. Each line
is handed whole to a keeper process that appends it and outlives the crawl (``pipelines.linefile``),
and the file is fsync'ed at most every ``REPORTS_SINK_FSYNC_SECONDS`` and at the end: a SIGKILL of
the crawl never leaves a partial line. A file opened for appending (``-o``) still has a partial last
line cut first (``sink/partial_lines_cut``: one another program left), and a run on a state folder
repairs the feeds of the interrupted run it resumes the same way.

It removes ``INTERNAL_FIELDS`` from the item so other feeds are clean too. A line holds the
``CONTRACT_FIELDS`` present, in contract order, then any other non-internal keys. The parse stage
may move ``report_id`` to an attachment's URL after the dedupe stage ran, so the sink drops a second
item with an id already written (``dedupe/late_duplicates``). With a state folder the line is
recorded in the store around the write (``crawler.incremental``), so a resumed crawl never writes
it again.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from scrapy.exceptions import DropItem

from crawler.stats_keys import site_key
from pipelines.contract import INTERNAL_FIELDS, public_dict
from pipelines.linefile import LineFile


def sink_targets(settings) -> list[tuple[Path, bool]]:
    """``(path, overwrite)`` of each file the sink writes."""
    feeds = settings.getdict("REPORTS_FEEDS")
    if feeds:
        return [(Path(path), bool((options or {}).get("overwrite"))) for path, options in feeds.items()]
    if settings.getdict("FEEDS"):
        return []
    return [(Path(settings.get("REPORTS_OUTPUT") or "output/reports.jsonl"), True)]


class JsonLinesSinkPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.targets = sink_targets(crawler.settings)
        self.fsync_every = crawler.settings.getfloat("REPORTS_SINK_FSYNC_SECONDS")
        self.files: list[LineFile] = []
        self.last_sync = time.monotonic()
        self.written: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def path(self) -> Path | None:
        """The first file written (None when only other feeds are)."""
        return self.targets[0][0] if self.targets else None

    def open_spider(self):
        for path, overwrite in self.targets:
            line_file = LineFile(path, overwrite)
            if line_file.partial_line_cut:
                self.crawler.stats.inc_value("sink/partial_lines_cut")
            self.files.append(line_file)

    def close_spider(self):
        for line_file in self.files:
            line_file.close()
        self.files.clear()

    def _incremental(self):
        from crawler.incremental import incremental_of

        return incremental_of(self.crawler) if self.crawler.spider is not None else None

    def process_item(self, item):
        report_id = item.get("report_id")
        if report_id and report_id in self.written:
            self.crawler.stats.inc_value("dedupe/late_duplicates")
            self.crawler.stats.inc_value(site_key(item.get("site"), "duplicates"))
            raise DropItem(f"duplicate report {report_id} (found again after parsing)", log_level="INFO")
        if report_id:
            self.written.add(report_id)
        for field in INTERNAL_FIELDS:
            item.pop(field, None)
        incremental = self._incremental()
        if incremental is not None:
            incremental.before_write(item)
        if self.files:
            line = (json.dumps(public_dict(item), ensure_ascii=False, default=str) + "\n").encode("utf-8")
            for line_file in self.files:
                line_file.write(line)
            self.crawler.stats.inc_value("sink/lines")
            if time.monotonic() - self.last_sync >= self.fsync_every:
                for line_file in self.files:
                    line_file.sync()
                self.last_sync = time.monotonic()
        if incremental is not None:
            incremental.after_write(item)
        return item
