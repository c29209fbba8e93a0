"""Stage (distributed crawl only): write each report once across all the workers of a cluster.

Just before the sink, a worker claims the report's id in Redis (``SharedWork.claim``): an id some
worker already wrote, or one a live worker is writing, is dropped here (``cluster/duplicates``);
once the sink has written and flushed the line (``item_scraped``), the id joins the written set.
A claim expires with the lease time-out, so a report a killed worker claimed but never wrote is
written by the worker that takes its site over. The one window left is between the sink's flush
and the confirmation (a few Python calls): a worker killed exactly there has its report written
twice.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.exceptions import DropItem

from crawler.distributed import SharedWork
from crawler.stats_keys import site_key


class ExactlyOncePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.work = SharedWork.from_settings(crawler.settings)
        self.lease_seconds = crawler.settings.getfloat("REPORTS_LEASE_SECONDS")

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        return pipeline

    def process_item(self, item):
        report_id = item.get("report_id")
        if report_id and not self.work.claim(report_id, self.crawler.spider.worker, self.lease_seconds):
            self.crawler.stats.inc_value("cluster/duplicates")
            self.crawler.stats.inc_value(site_key(item.get("site"), "duplicates"))
            raise DropItem(f"report {report_id} is written by another worker", log_level="INFO")
        return item

    def item_scraped(self, item, response=None, spider=None):
        report_id = item.get("report_id")
        if report_id:
            self.work.confirm(report_id, item.get("site") or "unknown")
