"""The common shape of the report stages: a pure step from ``pipelines.chain``, run off the reactor."""

from __future__ import annotations

import logging
from collections import Counter

from crawler.stats_keys import warning_key
from pipelines.warning_codes import code_of, warning

logger = logging.getLogger(__name__)


class ChainStage:
    """Base of the strip, parse and validate stages.

    A subclass names its ``step`` (a function of ``pipelines.chain``) and its ``stats_prefix``,
    and may add stats in ``count``. The step runs in a worker thread, so reading a large PDF or
    OCR never stalls the crawl, except for a page of at most ``REPORTS_INLINE_CHAIN_MAX_CHARS``
    characters with no attachment to read: a few milliseconds of work, done on the reactor's
    thread (a hand-off to a thread costs more CPU than that, in the GIL). A step that raises (a
    bug, never bad input) is logged, counted and becomes a ``stage_failed`` warning so the item
    goes on, unless ``REPORTS_STRICT`` is on: then the error is raised (the test suite runs so).

    Every warning the step adds is counted as ``parse/warning/<code>``; the first stage
    (``counts_earlier_warnings``) also counts those the item brought with it (the attachments
    stage's), so each warning of a written item is counted once.
    """

    step = staticmethod(lambda item: item)
    stats_prefix = "stage"
    counts_earlier_warnings = False

    def __init__(self, crawler):
        self.crawler = crawler
        self.strict = crawler.settings.getbool("REPORTS_STRICT")
        self.inline_max_chars = crawler.settings.getint("REPORTS_INLINE_CHAIN_MAX_CHARS")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def stats(self):
        return self.crawler.stats

    async def process_item(self, item):
        # imported here: itemadapter loads Scrapy, and the offline command imports the stage modules
        import asyncio

        from itemadapter import ItemAdapter

        adapter = ItemAdapter(item)
        before = 0 if self.counts_earlier_warnings else len(adapter.get("warnings") or [])
        try:
            if self.runs_inline(adapter):
                self.step(adapter)
            else:
                await asyncio.to_thread(self.step, adapter)
        except Exception as error:  # noqa: BLE001 - the stage boundary: one bad report never stops a crawl
            if self.strict:
                raise
            logger.exception("%s failed on %s", self.stats_prefix, adapter.get("url"))
            self.stats.inc_value(f"{self.stats_prefix}/exception")
            warnings = adapter.get("warnings") or []
            warnings.append(warning("stage_failed", f"{self.stats_prefix} failed: {type(error).__name__}: {error}"))
            adapter["warnings"] = warnings
        self.count_warnings((adapter.get("warnings") or [])[before:])
        self.count(adapter)
        return item

    def runs_inline(self, adapter) -> bool:
        """A small page with no attachment file to read: its step runs on the calling thread."""
        if adapter.get("attachment_files"):
            return False
        size = len(adapter.get("raw_html") or "") + len(adapter.get("text") or "")
        return 0 < size <= self.inline_max_chars

    def count_warnings(self, warnings: list[str]) -> None:
        for code, n in Counter(code_of(text) for text in warnings).items():
            self.stats.inc_value(warning_key(code), n)

    def count(self, adapter) -> None:
        """Add this stage's stats for one item."""
