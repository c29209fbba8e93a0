"""Log items by site and URL only: a report item carries the page's whole HTML and attachment
bytes, which must not flood the log when an item is scraped or dropped."""

from __future__ import annotations

from scrapy import logformatter


def _label(item) -> str:
    try:
        return f"{item.get('site')} {item.get('url')}"
    except AttributeError:
        return type(item).__name__


class ReportLogFormatter(logformatter.LogFormatter):
    def scraped(self, item, response, spider):
        result = super().scraped(item, response, spider)
        result["args"] = {**result["args"], "item": _label(item)}
        return result

    def dropped(self, item, exception, response, spider):
        result = super().dropped(item, exception, response, spider)
        result["args"] = {**result["args"], "item": _label(item)}
        return result

    def item_error(self, item, exception, response, spider):
        result = super().item_error(item, exception, response, spider)
        result["args"] = {**result["args"], "item": _label(item)}
        return result
