"""Downloader middleware that recognises anti-bot answers (``crawler.blocked``).

A challenge answer is that page's failure, not the site's: it is counted as
``site/<name>/blocked`` (and ``blocked/<kind>``), never parsed, and the page is asked again later
(``REPORTS_CHALLENGE_RETRIES`` times, at a low priority: ``site/<name>/challenge_retries``), then
dropped (``IgnoreRequest``). A site is marked blocked only when ``REPORTS_BLOCKED_AFTER``
consecutive answers of it were challenges (``site/<name>/site_blocked``); its remaining requests
are then dropped unfetched (``site/<name>/skipped_after_block``). Any ordinary answer resets the
count.
"""

from __future__ import annotations

import asyncio

from scrapy.exceptions import IgnoreRequest

from crawler.blocked import block_kind
from crawler.stats_keys import site_key

_TEXT_TYPES = (b"text/", b"html", b"xml", b"json", b"javascript")


class BlockedPageMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.blocked_after = crawler.settings.getint("REPORTS_BLOCKED_AFTER")
        self.retries = crawler.settings.getint("REPORTS_CHALLENGE_RETRIES")
        self.streak: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _site(self, request) -> str | None:
        spider = self.crawler.spider
        return request.meta.get("site") or (spider.site_of_url(request.url) if hasattr(spider, "site_of_url") else None)

    def process_request(self, request):
        name = self._site(request)
        blocked = getattr(self.crawler.spider, "blocked_sites", set())
        if name in blocked and not request.url.endswith("/robots.txt"):
            self.crawler.stats.inc_value(site_key(name, "skipped_after_block"))
            raise IgnoreRequest(f"site {name} is blocked")
        return None

    def process_response(self, request, response):
        if request.url.endswith("/robots.txt"):
            return response
        name = self._site(request) or "unknown"
        content_type = response.headers.get(b"Content-Type") or b""
        if response.status == 200 and content_type and not any(t in content_type.lower() for t in _TEXT_TYPES):
            self.streak[name] = 0
            return response
        kind = block_kind(response.status, response.body, response.headers)
        if kind is None:
            self.streak[name] = 0
            return response
        stats = self.crawler.stats
        stats.inc_value(site_key(name, "blocked"))
        stats.inc_value(site_key(name, f"blocked/{kind}"))
        stats.inc_value("blocked/pages")
        self.streak[name] = self.streak.get(name, 0) + 1
        logger = self.crawler.spider.logger
        if self.streak[name] >= self.blocked_after:
            blocked = getattr(self.crawler.spider, "blocked_sites", set())
            if name not in blocked:
                blocked.add(name)
                stats.set_value(site_key(name, "site_blocked"), 1)
                logger.warning("site %s: blocked after %d challenge answers in a row (last: %s at %s)", name, self.streak[name], kind, request.url)
            raise IgnoreRequest(f"blocked by anti-bot ({kind})")
        tries = request.meta.get("challenge_retries", 0)
        if tries < self.retries:
            stats.inc_value(site_key(name, "challenge_retries"))
            logger.info("site %s: challenge (%s, HTTP %s) at %s; asked again later", name, kind, response.status, request.url)
            meta = {**request.meta, "challenge_retries": tries + 1}
            return request.replace(meta=meta, dont_filter=True, priority=request.priority - 100)
        logger.warning("site %s: page answered a challenge (%s, HTTP %s) %d times: %s", name, kind, response.status, tries + 1, request.url)
        raise IgnoreRequest(f"challenge answer ({kind})")


class RetryBackoffMiddleware:
    """Wait before a retried request: ``RETRY_BACKOFF_BASE * 2**(n-1)`` seconds, at most
    ``RETRY_BACKOFF_MAX``, for the n-th retry the retry middleware scheduled (5xx, timeouts)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.base = crawler.settings.getfloat("RETRY_BACKOFF_BASE")
        self.cap = crawler.settings.getfloat("RETRY_BACKOFF_MAX")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        retries = request.meta.get("retry_times", 0)
        if retries and self.base > 0:
            delay = min(self.base * 2 ** (retries - 1), self.cap)
            self.crawler.stats.inc_value("retry/backoff_waits")
            await asyncio.sleep(delay)
        return None
