"""Stage (incremental crawls only): give a report its ``revision`` and ``supersedes``; drop it if unchanged.

With ``-a state=DIR`` each report is compared with the last version written for the same
``report_id`` (or, from earlier runs, the same site + organ + year): the same content (source and
attachments' sha256) gives no item (``site/<name>/unchanged``); a new report gets ``revision`` 1,
a changed one the next revision and ``supersedes``, the previous ``source.sha256``. Without a state
folder the stage does nothing (a one-off crawl has no revisions).
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.incremental import incremental_of


class RevisionPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        incremental = incremental_of(self.crawler)
        if incremental is not None and not incremental.assign_revision(item):
            raise DropItem(f"unchanged report {item.get('report_id')}", log_level="DEBUG")
        return item
