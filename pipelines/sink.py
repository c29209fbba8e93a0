"""The default sink: one JSON line per report, UTF-8 with Chinese as is, flushed as written.

It writes to ``REPORTS_OUTPUT`` (default ``output/reports.jsonl``) unless the user asked for a
feed (``-O``/``-o``, i.e. ``FEEDS`` is set); in every case it removes ``INTERNAL_FIELDS`` from the
item so feeds are clean too. A line holds the ``CONTRACT_FIELDS`` present, in contract order,
then any other non-internal keys. The parse stage may move ``report_id`` to an attachment's URL
after the dedupe stage ran, so the sink drops a second item with an id already written
(``dedupe/late_duplicates``): one line per report whichever way the report was reached.
"""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.exceptions import DropItem

from pipelines.contract import INTERNAL_FIELDS, public_dict
from crawler.stats_keys import site_key


class JsonLinesSinkPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.path = None if settings.getdict("FEEDS") else Path(settings.get("REPORTS_OUTPUT") or "output/reports.jsonl")
        self.handle = None
        self.written: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = self.path.open("w", encoding="utf-8")

    def close_spider(self):
        if self.handle is not None:
            self.handle.close()

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
        if self.handle is not None:
            self.handle.write(json.dumps(public_dict(item), ensure_ascii=False, default=str) + "\n")
            self.handle.flush()
            self.crawler.stats.inc_value("sink/lines")
        return item
