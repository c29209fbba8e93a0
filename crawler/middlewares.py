"""Downloader middleware that recognises anti-bot answers (``crawler.blocked``).

A blocked answer is counted as ``site/<name>/blocked`` and dropped (``IgnoreRequest``): it is
neither parsed nor retried. After its first block a site's remaining requests are dropped
unfetched (``site/<name>/skipped_after_block``), so a blocked portal costs a handful of requests
and the rest of the crawl goes on.
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
        content_type = response.headers.get(b"Content-Type") or b""
        if response.status == 200 and content_type and not any(t in content_type.lower() for t in _TEXT_TYPES):
            return response
        kind = block_kind(response.status, response.body, response.headers)
        if kind is None:
            return response
        name = self._site(request) or "unknown"
        stats = self.crawler.stats
        stats.inc_value(site_key(name, "blocked"))
        stats.inc_value(site_key(name, f"blocked/{kind}"))
        stats.inc_value("blocked/pages")
        getattr(self.crawler.spider, "blocked_sites", set()).add(name)
        self.crawler.spider.logger.warning("site %s: blocked (%s, HTTP %s) at %s", name, kind, response.status, request.url)
        raise IgnoreRequest(f"blocked by anti-bot ({kind})")


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
