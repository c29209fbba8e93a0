"""``scrapy crawl`` that checks a spider's arguments before the engine starts.

A spider may define ``check_arguments(settings, **spider_arguments)``, a classmethod that raises
``ValueError`` with a one-line message (a missing ``-a sites``, a bad registry row). The message is
printed with the usage and the command exits with status 2, instead of a traceback.
"""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCrawlCommand):
    def run(self, args, opts):
        if len(args) == 1 and self.crawler_process is not None:
            spider_class = self.crawler_process.spider_loader.load(args[0])
            check = getattr(spider_class, "check_arguments", None)
            if check is not None:
                try:
                    check(self.settings, **opts.spargs)
                except ValueError as error:
                    raise UsageError(str(error), print_help=False) from None
        super().run(args, opts)
