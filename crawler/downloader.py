"""Scrapy's downloader with the per-slot concurrency limit kept when a slot has no delay.

Scrapy 2.19 under the asyncio reactor starts a slot's downloads as asyncio tasks and counts a
request as transferring only once its task runs; with ``DOWNLOAD_DELAY`` 0 the loop in
``Downloader._process_queue`` therefore starts every queued request of the slot at once, and
``CONCURRENT_REQUESTS_PER_DOMAIN`` is not applied (measured at the scale portal: 16 at once on one
host for a limit of 2). Here a request counts as transferring from the moment it is scheduled.
With a delay, Scrapy starts one request a pass and its own code runs unchanged.

In a distributed crawl a slot's queue also loses the requests of a site the worker no longer holds
(``DistributedSites.holds``: handed over, lease lost) before they start: each fails with
``IgnoreRequest``, which the spider counts (``cluster/requests_dropped``), not as an error.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader, Slot
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import _schedule_coro
from twisted.python.failure import Failure


class SlotLimitedDownloader(Downloader):
    def _process_queue(self, slot: Slot) -> None:
        if slot.queue and getattr(self.crawler.spider, "distributed", False):
            self.drop_not_held(slot)
        if slot.latercall or slot.delay:
            super()._process_queue(slot)
            return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = monotonic()
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # Downloader._download adds it again and removes it when done
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))

    def drop_not_held(self, slot: Slot) -> None:
        """Fail the queued requests of sites this worker no longer holds; keep the others in order."""
        holds = self.crawler.spider.holds
        if all(holds(request) for request, _ in slot.queue):
            return
        queued, dropped = list(slot.queue), []
        slot.queue.clear()
        for request, deferred in queued:
            (slot.queue if holds(request) else dropped).append((request, deferred))
        for request, deferred in dropped:
            deferred.errback(Failure(IgnoreRequest(f"site {request.meta.get('site')} is no longer held by this worker")))
