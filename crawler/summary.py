"""Per-site crawl summary: pages fetched, reports, attachments, blocked answers, errors.

Reads the ``site/<name>/...`` stats the spider, the blocked-page middleware and the attachments
pipeline keep, counts scraped items per site, logs a table at the end of the crawl, stores each
row as ``summary/<name>/<column>`` in the stats and writes the whole summary as JSON to
``REPORTS_SUMMARY`` (when empty: ``summary.json`` next to the output: the ``-O``/``-o`` file when
the user gave one, else ``REPORTS_OUTPUT``).
"""

from __future__ import annotations

import json
from pathlib import Path

from scrapy import signals

from crawler.stats_keys import site_values, sites_in, summary_key

COLUMNS = ("pages", "reports", "attachments", "attachment_errors", "blocked", "errors")


def summary_rows(stats: dict, site_names: list[str], reports: dict[str, int]) -> list[dict]:
    rows = []
    for name in site_names:
        counts = site_values(stats, name)
        row = {
            "site": name,
            "pages": counts.get("pages", 0),
            "reports": reports.get(name, 0),
            "attachments": counts.get("attachments", 0),
            "attachment_errors": counts.get("attachment_errors", 0),
            "blocked": counts.get("blocked", 0),
            "errors": counts.get("errors", 0),
            "duplicates": counts.get("duplicates", 0),
            "not_reports": counts.get("entries_skipped", 0),
            "error_kinds": {k.removeprefix("errors/"): v for k, v in counts.items() if k.startswith("errors/")},
            "undetected": bool(counts.get("undetected", 0)),
        }
        if "incremental/run_id" in stats:  # a crawl on a state folder: what changed since the last run
            row.update({key: counts.get(key, 0) for key in ("new", "changed", "unchanged", "not_modified")})
        row["status"] = "blocked" if row["blocked"] and not row["reports"] else "undetected" if row["undetected"] else "ok"
        rows.append(row)
    return rows


def format_table(rows: list[dict]) -> str:
    header = ("site",) + COLUMNS + ("status",)
    lines = [[str(r.get(c, "")) for c in header] for r in rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h) for i, h in enumerate(header)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths))]
    out += ["  ".join(v.ljust(w) for v, w in zip(line, widths)) for line in lines]
    totals = {c: sum(r[c] for r in rows) for c in COLUMNS}
    out.append("  ".join(["TOTAL".ljust(widths[0])] + [str(totals[c]).ljust(w) for c, w in zip(COLUMNS, widths[1:])]))
    return "\n".join(out)


def summary_path(settings) -> Path:
    if settings.get("REPORTS_SUMMARY"):
        return Path(settings["REPORTS_SUMMARY"])
    output = settings.get("REPORTS_OUTPUT")
    for uri in settings.getdict("FEEDS"):
        uri = str(uri)
        if "://" not in uri or uri.startswith("file://"):
            output = uri.removeprefix("file://")
            break
    return Path(output).with_name("summary.json")


class SiteSummary:
    def __init__(self, crawler):
        self.crawler = crawler
        self.reports: dict[str, int] = {}
        self.path = summary_path(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_scraped(self, item, response=None, spider=None):
        name = item.get("site") or "unknown"
        self.reports[name] = self.reports.get(name, 0) + 1

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats
        names = list(getattr(spider, "sites", {}) or sites_in(stats.get_stats()))
        rows = summary_rows(stats.get_stats(), names, self.reports)
        for row in rows:
            for column in COLUMNS:
                stats.set_value(summary_key(row["site"], column), row[column])
        table = format_table(rows)
        spider.logger.info("per-site summary:\n%s", table)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps({"reason": reason, "sites": rows}, ensure_ascii=False, indent=2), encoding="utf-8")
