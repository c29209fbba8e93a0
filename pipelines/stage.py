"""The common shape of the report stages: a pure step from ``pipelines.chain``, run off the reactor."""

from __future__ import annotations

import asyncio
import logging
from pipelines.warning_codes import warning

logger = logging.getLogger(__name__)


class ChainStage:
    """Base of the strip, parse and validate stages.

    A subclass names its ``step`` (a function of ``pipelines.chain``) and its ``stats_prefix``,
    and may add stats in ``count``. The step runs in a worker thread, so reading a large PDF or
    OCR never stalls the crawl. A step that raises (a bug, never bad input) is logged and counted;
    the item goes on with a warning instead of being lost.
    """

    step = staticmethod(lambda item: item)
    stats_prefix = "stage"

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def stats(self):
        return self.crawler.stats

    async def process_item(self, item):
        # imported here: itemadapter loads Scrapy, and the offline command imports the stage modules
        from itemadapter import ItemAdapter

        adapter = ItemAdapter(item)
        try:
            await asyncio.to_thread(self.step, adapter)
        except Exception as error:  # noqa: BLE001 - one bad report never stops a crawl
            logger.exception("%s failed on %s", self.stats_prefix, adapter.get("url"))
            self.stats.inc_value(f"{self.stats_prefix}/exception")
            warnings = adapter.get("warnings") or []
            warnings.append(warning("stage_failed", f"{self.stats_prefix} failed: {type(error).__name__}: {error}"))
            adapter["warnings"] = warnings
        self.count(adapter)
        return item

    def count(self, adapter) -> None:
        """Add this stage's stats for one item."""
