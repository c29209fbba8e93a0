"""Write a report once even when it is reachable under two URLs (two list entries, a redirect).

Items with a ``report_id`` already seen in this crawl are dropped and counted as
``dedupe/duplicates`` (and ``site/<name>/duplicates``).
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.stats_keys import site_key


class DedupePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        key = item.get("report_id") or item.get("url")
        if key in self.seen:
            self.crawler.stats.inc_value("dedupe/duplicates")
            self.crawler.stats.inc_value(site_key(item.get("site"), "duplicates"))
            raise DropItem(f"duplicate report {key}", log_level="INFO")
        self.seen.add(key)
        return item
