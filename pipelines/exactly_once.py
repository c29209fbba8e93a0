"""Stage (distributed crawl only): write each report once across all the workers of a cluster.

Just before the sink, a worker claims the report's id in Redis (``SharedWork.claim``): an id some
worker already wrote is dropped here (``cluster/duplicates``); one another worker claimed waits
for that claim to end (``cluster/claims_waited``, below).
In a distributed crawl the project's sink is replaced by ``ConfirmingSink``, the same sink that
adds the id to the written set as soon as its line is flushed, in the same call (a confirmation
on ``item_scraped`` came several items later: a worker killed in between had its last lines
written twice). Without that sink (items go elsewhere), ``item_scraped`` confirms instead. A claim
expires with the lease time-out, so a report a killed worker claimed but never wrote is written
by the worker that takes its site over: a report claimed by another worker and not confirmed yet
is not dropped but waits (without holding the crawl) until it is confirmed (then it is a
duplicate) or the claim is free (then it is written here). A taker can reach a report sooner
than the dead worker's claim expires: dropping it then lost it. The one window left is between
the flush and the Redis answer (one round trip): a worker killed exactly there has its report
written twice.
"""

from __future__ import annotations

import inspect
import logging
import time

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.asyncio import sleep

from crawler.distributed import CONFIRMING_SINK, SharedWork
from crawler.stats_keys import site_key
from pipelines.sink import JsonLinesSinkPipeline

logger = logging.getLogger(__name__)
#: Seconds between two claims of a report another worker holds.
CLAIM_RETRY_SECONDS = 0.2


class ExactlyOncePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.work = SharedWork.from_settings(crawler.settings)
        self.lease_seconds = crawler.settings.getfloat("REPORTS_LEASE_SECONDS")

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        if CONFIRMING_SINK not in crawler.settings.getdict("ITEM_PIPELINES"):
            crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        return pipeline

    def process_item(self, item):
        report_id = item.get("report_id")
        if not report_id:
            return item
        state = self.claim(report_id)
        if state == "pending":
            return self.wait_for_claim(item, report_id)
        return self.after_claim(item, report_id, state)

    def claim(self, report_id: str) -> str:
        return self.work.claim(report_id, self.crawler.spider.worker, self.lease_seconds)

    def after_claim(self, item, report_id: str, state: str):
        if state == "written":
            self.crawler.stats.inc_value("cluster/duplicates")
            self.crawler.stats.inc_value(site_key(item.get("site"), "duplicates"))
            raise DropItem(f"report {report_id} is written by another worker", log_level="INFO")
        return item

    async def wait_for_claim(self, item, report_id: str):
        """Ask again until the other worker's claim ends: confirmed, or expired with its lease."""
        self.crawler.stats.inc_value("cluster/claims_waited")
        deadline = time.monotonic() + 2 * self.lease_seconds
        state = "pending"
        while state == "pending" and time.monotonic() < deadline:
            await sleep(CLAIM_RETRY_SECONDS)
            state = self.claim(report_id)
        if state == "pending":  # a claim outlived its time-out: Redis is not what it should be; keep the report
            self.crawler.stats.inc_value("cluster/claims_given_up")
            logger.error("report %s: another worker's claim did not end in %.0f s; written here too", report_id, 2 * self.lease_seconds)
            return item
        return self.after_claim(item, report_id, state)

    def item_scraped(self, item, response=None, spider=None):
        report_id = item.get("report_id")
        if report_id:
            self.work.confirm(report_id, item.get("site") or "unknown")


class ConfirmingSink(JsonLinesSinkPipeline):
    """The project's sink; each report it writes is confirmed in Redis right after its flush."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.work = SharedWork.from_settings(crawler.settings)

    def process_item(self, item):
        report_id, site = item.get("report_id"), item.get("site") or "unknown"
        result = super().process_item(item)
        if inspect.isawaitable(result):
            return self.confirm_after(result, report_id, site)
        if report_id:
            self.work.confirm(report_id, site)
        return result

    async def confirm_after(self, result, report_id, site):
        item = await result
        if report_id:
            self.work.confirm(report_id, site)
        return item
