"""``scrapy crawl`` that checks a spider's arguments before the engine starts.

A spider may define ``check_arguments(settings, **spider_arguments)``, a classmethod that raises
``ValueError`` with a one-line message (a missing ``-a sites``, a bad registry row, a state folder
another crawl holds). The message is printed with the usage and the command exits with status 2,
instead of a traceback.

For a spider with ``sink_writes_feeds = True`` (``reports``), ``-O``/``-o`` targets in JSON lines
(``.jsonl``, ``:jsonlines``) on the local disk are written by the project's sink (whole lines only,
see ``pipelines.sink``): they move from ``FEEDS`` to ``REPORTS_FEEDS``, and the summary goes beside
the first of them.

A crawl that the project closed because its output failed (``output_unwritable``: a full disk)
exits with status 1, not 0.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

JSON_LINES_FORMATS = ("jsonlines", "jsonl")
#: Close reasons after which the crawl's exit status is 1: its output is incomplete.
FAILED_CLOSE_REASONS = ("output_unwritable",)


def split_feeds(feeds: dict) -> tuple[dict, dict]:
    """``(sink_feeds, other_feeds)``: local JSON-lines files for the sink, the rest for Scrapy."""
    sink, other = {}, {}
    for uri, options in feeds.items():
        uri = str(uri)
        local = "://" not in uri or uri.startswith("file://")
        if local and (options or {}).get("format") in JSON_LINES_FORMATS and "%(" not in uri:
            sink[uri.removeprefix("file://")] = {"overwrite": bool((options or {}).get("overwrite"))}
        else:
            other[uri] = options
    return sink, other


class Command(ScrapyCrawlCommand):
    def sink_takes_feeds(self) -> None:
        """Hand the local JSON-lines ``-O``/``-o`` targets to the project's sink."""
        sink, other = split_feeds(self.settings.getdict("FEEDS"))
        if sink:
            self.settings.set("REPORTS_FEEDS", sink, priority="cmdline")
            self.settings.set("FEEDS", other, priority="cmdline")
            if not self.settings.get("REPORTS_SUMMARY"):
                self.settings.set("REPORTS_SUMMARY", str(Path(next(iter(sink))).with_name("summary.json")), priority="cmdline")

    def run(self, args, opts):
        if len(args) == 1 and self.crawler_process is not None:
            spider_class = self.crawler_process.spider_loader.load(args[0])
            check = getattr(spider_class, "check_arguments", None)
            if check is not None:
                try:
                    check(self.settings, **opts.spargs)
                except ValueError as error:
                    raise UsageError(str(error), print_help=False) from None
            if getattr(spider_class, "sink_writes_feeds", False) and (opts.output or opts.overwrite_output):
                self.sink_takes_feeds()
        if len(args) != 1 or self.crawler_process is None:
            super().run(args, opts)
            return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawler.stats.get_value("finish_reason") in FAILED_CLOSE_REASONS:
            self.exitcode = 1
