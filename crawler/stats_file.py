"""The crawl's final stats as one JSON object in ``REPORTS_STATS_FILE`` (when set).

Scrapy keeps the stats in memory and logs them; this collector also writes them where a test or a
monitoring job reads them without parsing the log. Values that are not JSON (datetimes) are
written as text.
"""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.statscollectors import MemoryStatsCollector


class JsonFileStatsCollector(MemoryStatsCollector):
    def _persist_stats(self, stats: dict) -> None:
        super()._persist_stats(stats)
        target = self._crawler.settings.get("REPORTS_STATS_FILE")
        if target:
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(stats, ensure_ascii=False, indent=1, sort_keys=True, default=str), encoding="utf-8")
