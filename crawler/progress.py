"""Progress of a crawl: one refreshing line on a terminal, a plain log line elsewhere.

    sites 3/6 | list pages 12 | reports 40 | errors 1 | blocked 1 | 2.1 reports/s | 0:01:05

On a terminal (stderr is a TTY) the line is redrawn every second with ``tqdm`` (log lines print
above it); elsewhere the same figures are logged every ``REPORTS_PROGRESS_INTERVAL`` seconds.
``REPORTS_PROGRESS`` off (``govreports crawl -q``) disables it. The figures are read from the
per-site stats (``crawler.stats_keys``); a site is done when none of its requests is pending.
The per-site summary at the end is ``crawler.summary``'s.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from datetime import timedelta

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.stats_keys import site_values

logger = logging.getLogger(__name__)

#: Per-site counters summed into the line.
FIGURES = {"list pages": "pages", "reports": "reports_found", "errors": "errors", "blocked": "blocked"}
#: Per-site counters of requests that ended without reaching the downloader.
ENDED_BEFORE_DOWNLOAD = ("ignored", "skipped_after_block")
TERMINAL_REFRESH = 1.0


class CrawlProgress:
    def __init__(self, crawler, interval: float, on_terminal: bool):
        self.crawler = crawler
        self.interval = TERMINAL_REFRESH if on_terminal else interval
        self.on_terminal = on_terminal
        self.scheduled: Counter[str] = Counter()
        self.left: Counter[str] = Counter()
        self.started = time.monotonic()
        self.task = None
        self.bar = None
        self.redirect = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("REPORTS_PROGRESS"):
            raise NotConfigured
        extension = cls(crawler, crawler.settings.getfloat("REPORTS_PROGRESS_INTERVAL"), sys.stderr.isatty())
        for handler, signal in (
            (extension.spider_opened, signals.spider_opened),
            (extension.spider_closed, signals.spider_closed),
            (extension.request_scheduled, signals.request_scheduled),
            (extension.request_ended, signals.request_dropped),
            (extension.request_ended, signals.request_left_downloader),
        ):
            crawler.signals.connect(handler, signal=signal)
        return extension

    def _site(self, request) -> str | None:
        if request.url.endswith("/robots.txt"):
            return None
        spider = self.crawler.spider
        return request.meta.get("site") or (spider.site_of_url(request.url) if hasattr(spider, "site_of_url") else None)

    def request_scheduled(self, request, spider=None):
        site = self._site(request)
        if site:
            self.scheduled[site] += 1

    def request_ended(self, request, spider=None):
        site = self._site(request)
        if site:
            self.left[site] += 1

    def figures(self) -> dict:
        """The line's figures from the stats (a pure read; tests call it)."""
        stats = self.crawler.stats.get_stats()
        # a distributed worker drops a site from ``sites`` once it is done; the sites it requested stay counted
        names = list(dict.fromkeys([*(getattr(self.crawler.spider, "sites", {}) or []), *self.scheduled]))
        totals = Counter()
        done = 0
        for name in names:
            counts = site_values(stats, name)
            for label, key in FIGURES.items():
                totals[label] += counts.get(key, 0)
            ended = self.left[name] + sum(counts.get(key, 0) for key in ENDED_BEFORE_DOWNLOAD)
            if self.scheduled[name] and ended >= self.scheduled[name]:
                done += 1
        elapsed = time.monotonic() - self.started
        return {"sites done": done, "sites": len(names), **{label: totals[label] for label in FIGURES},
                "reports/s": totals["reports"] / elapsed if elapsed > 0 else 0.0, "elapsed": elapsed}

    def line(self, figures: dict | None = None) -> str:
        f = figures or self.figures()
        parts = [f"sites {f['sites done']}/{f['sites']}"] + [f"{label} {f[label]}" for label in FIGURES]
        parts += [f"{f['reports/s']:.1f} reports/s", str(timedelta(seconds=int(f["elapsed"])))]
        return " | ".join(parts)

    def spider_opened(self, spider):
        self.started = time.monotonic()
        if self.on_terminal:
            from tqdm import tqdm
            from tqdm.contrib.logging import logging_redirect_tqdm

            self.bar = tqdm(total=len(getattr(spider, "sites", {}) or []), bar_format="{desc}", file=sys.stderr, leave=True)
            # log lines print above the bar; the console handler's level (LOG_LEVEL) is kept
            levels = [h.level for h in logging.root.handlers if isinstance(h, logging.StreamHandler)]
            self.redirect = logging_redirect_tqdm()
            self.redirect.__enter__()
            for handler in logging.root.handlers:
                if levels and type(handler).__module__ == "tqdm.contrib.logging":
                    handler.setLevel(min(levels))
        self.task = create_looping_call(self.show)
        self.task.start(self.interval, now=False)

    def show(self):
        if self.bar is not None:
            self.bar.set_description_str(self.line(), refresh=True)
        else:
            logger.info("progress: %s", self.line())

    def spider_closed(self, spider, reason):
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.bar is not None:
            self.bar.set_description_str(self.line(), refresh=True)
            self.bar.close()
            self.redirect.__exit__(None, None, None)
        else:
            logger.info("progress: %s (finished: %s)", self.line(), reason)
