"""Incremental crawls on a state folder (``-a state=DIR``; ``-a full=1`` re-asks every known report).

One ``Incremental`` object per crawl (``incremental_of(crawler)``, None without ``state``) joins
the pieces: the spider asks it which list entries to skip and when to stop walking a column, the
``IncrementalMiddleware`` sends ``If-None-Match``/``If-Modified-Since`` for report pages already
collected and turns a 304 (or a 200 whose body hashes as before) into ``NotModified`` (with
``full``, after asking the report's attachments the same way: a changed attachment brings the
page back, so the report is parsed again), the revision
stage (``pipelines.revision``) gives changed reports their ``revision``/``supersedes``, and the sink
records each written line in the store (``crawler.state``). ``IncrementalExtension`` opens and
closes the run and logs the per-site new / changed / unchanged / not modified table.

A URL becomes known only when the line of its report is written, so a crawl killed at any moment
and started again on the same state fetches whatever had not reached the feed, and nothing twice.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.state import StateStore, utc_now
from crawler.stats_keys import site_key
from pipelines.contract import canonical_url

COUNTS = ("new", "changed", "unchanged", "not_modified")
_ATTRIBUTE = "_reports_incremental"
_CONDITIONAL = (b"if-none-match", b"if-modified-since")


class NotModified(IgnoreRequest):
    """A report page that has not changed since its report was written (304, or the same bytes)."""


def spider_argument(crawler, name: str) -> str | None:
    value = getattr(crawler.spider, name, None) if crawler.spider is not None else None
    return value if isinstance(value, str) and value else None


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def fingerprint(item) -> str:
    """What a report's content is: its source's and its attachments' sha256."""
    source = (item.get("source") or {}).get("sha256")
    attachments = sorted(a.get("sha256") or "" for a in item.get("attachments") or [])
    return hashlib.sha256(json.dumps([source, attachments]).encode()).hexdigest()


def incremental_of(crawler) -> "Incremental | None":
    """The crawl's ``Incremental`` (made on first use), or None for a one-off crawl."""
    if not hasattr(crawler, _ATTRIBUTE):
        directory = spider_argument(crawler, "state")
        setattr(crawler, _ATTRIBUTE, Incremental(crawler, Path(directory)) if directory else None)
    return getattr(crawler, _ATTRIBUTE)


class Incremental:
    def __init__(self, crawler, directory: Path):
        self.crawler = crawler
        self.store = StateStore(directory)
        self.full = truthy(spider_argument(crawler, "full"))
        self.stop_walk_enabled = crawler.settings.getbool("REPORTS_INCREMENTAL_STOP_WALK")
        self.fetched: dict[str, dict] = {}
        self.aliases: dict[str, list[str]] = {}

    def count(self, site: str | None, key: str) -> None:
        self.crawler.stats.inc_value(site_key(site or "unknown", key))
        self.crawler.stats.inc_value(f"incremental/{key}")

    # spider ---------------------------------------------------------------
    def skip_entry(self, site: str, url: str) -> bool:
        """A list entry whose report is already collected is not asked again (unless ``full``)."""
        if self.full or not self.store.is_known(canonical_url(url)):
            return False
        self.count(site, "unchanged")
        return True

    def stop_walk(self, site: str, entry_urls: list[str]) -> bool:
        """Stop walking the column at a list page whose every report entry is known.

        Only when an earlier run walked the column to its end (a resumed first run walks it all)."""
        if self.full or not self.stop_walk_enabled or not self.store.walk_finished_before(site):
            return False
        if all(self.store.is_known(canonical_url(url)) for url in entry_urls):
            self.count(site, "walk_stopped")
            return True
        return False

    def on_error(self, request, failure) -> None:
        """A report link that is dead (404/410) or forbidden by robots.txt is known: not asked again."""
        if not request.meta.get("report_page"):
            return
        if failure.check(HttpError) and failure.value.response.status in (404, 410):
            self.store.record_url(canonical_url(request.url), None, status=failure.value.response.status)
        elif failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            self.store.record_url(canonical_url(request.url), None, status=0)

    # downloader -----------------------------------------------------------
    def conditional_headers(self, request) -> None:
        if request.meta.get("unconditional"):
            return
        etag, last_modified = self.store.validators(canonical_url(request.url))
        if etag:
            request.headers[b"If-None-Match"] = etag
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified

    def response_seen(self, request, response):
        """Remember what a fetch gave (recorded in the store when its report's line is written).

        For a report page not modified (304, or the same bytes): with ``full``, first the report's
        attachments are asked (conditionally) one by one, and a changed one brings the page back
        unconditionally; otherwise ``NotModified``. Returns None (go on) or the next request."""
        url = canonical_url(response.url)
        header = response.headers.get
        self.fetched[url] = {
            "etag": (header(b"ETag") or b"").decode("latin-1") or None,
            "last_modified": (header(b"Last-Modified") or b"").decode("latin-1") or None,
            "sha256": hashlib.sha256(response.body).hexdigest() if response.status == 200 else None,
            "fetched_at": utc_now(),
            "status": response.status,
        }
        redirects = request.meta.get("redirect_urls") or []
        if redirects:
            self.aliases[url] = [canonical_url(u) for u in redirects]
        if request.meta.get("attachment_check"):
            return self._attachment_checked(request, response)
        if not request.meta.get("report_page") or request.meta.get("unconditional"):
            return None
        if response.status == 304:
            reason = "not_modified"
        elif response.status == 200 and self.store.is_known(url) and self._same_bytes(url):
            reason = "unchanged"
        else:
            return None
        attachments = self.store.attachments_of(url) if self.full else []
        if attachments:
            return self._check_next(request, attachments, reason)
        self.count(request.meta.get("site"), reason)
        raise NotModified(f"{reason.replace('_', ' ')}: {response.url}")

    def _check_next(self, page_request, attachments: list[dict], reason: str):
        attachment = attachments[0]
        headers = {}
        if attachment["etag"]:
            headers["If-None-Match"] = attachment["etag"]
        if attachment["last_modified"]:
            headers["If-Modified-Since"] = attachment["last_modified"]
        check = {"page_request": page_request, "remaining": attachments[1:], "sha256": attachment["sha256"], "reason": reason}
        return page_request.replace(url=attachment["url"], headers=headers, dont_filter=True,
                                    meta={"site": page_request.meta.get("site"), "attachment": True, "attachment_check": check})

    def _attachment_checked(self, request, response):
        check = request.meta["attachment_check"]
        page_request = check["page_request"]
        site = page_request.meta.get("site")
        changed = response.status == 200 and hashlib.sha256(response.body).hexdigest() != check["sha256"]
        if changed:
            self.count(site, "attachment_changed")
            headers = {k: v for k, v in page_request.headers.items() if k.lower() not in _CONDITIONAL}
            return page_request.replace(headers=headers, dont_filter=True, meta={**page_request.meta, "unconditional": True})
        if check["remaining"] and response.status in (200, 304):
            return self._check_next(page_request, check["remaining"], check["reason"])
        self.count(site, check["reason"])
        raise NotModified(f"{check['reason'].replace('_', ' ')}: {page_request.url} and its attachments")

    def _same_bytes(self, url: str) -> bool:
        row = self.store.db.execute("SELECT sha256 FROM urls WHERE url = ?", (url,)).fetchone()
        return bool(row and row[0]) and row[0] == self.fetched[url]["sha256"]

    # pipelines ------------------------------------------------------------
    def item_urls(self, item) -> dict[str, dict | None]:
        """The URLs a report came through (page, redirects, source, attachments), with what their fetch gave."""
        urls = [item.get("url"), (item.get("source") or {}).get("url")]
        urls += [a.get("url") for a in item.get("attachments") or []]
        found: dict[str, dict | None] = {}
        for url in filter(None, urls):
            url = canonical_url(url)
            found[url] = self.fetched.get(url)
            for alias in self.aliases.get(url, []):
                found.setdefault(alias, None)
        return found

    def assign_revision(self, item) -> bool:
        """Set ``revision`` and ``supersedes``; False for a report whose content is unchanged."""
        latest = self.store.latest(item.get("report_id"), item.get("site"), item.get("organ"), item.get("year"))
        content = fingerprint(item)
        if latest and latest["fingerprint"] == content:
            self.store.mark_written(latest["report_id"], latest["revision"], self.item_urls(item))
            self.count(item.get("site"), "unchanged")
            return False
        item["revision"] = latest["revision"] + 1 if latest else 1
        item["supersedes"] = latest["source_sha256"] if latest else None
        return True

    def before_write(self, item) -> None:
        self.store.mark_pending({
            "report_id": item.get("report_id"),
            "revision": item.get("revision") or 1,
            "fingerprint": fingerprint(item),
            "source_sha256": (item.get("source") or {}).get("sha256"),
            "supersedes": item.get("supersedes"),
            "site": item.get("site"),
            "organ": item.get("organ"),
            "year": item.get("year"),
            "url": item.get("url"),
        })

    def after_write(self, item) -> None:
        self.store.mark_written(item.get("report_id"), item.get("revision") or 1, self.item_urls(item))
        self.count(item.get("site"), "new" if (item.get("revision") or 1) == 1 else "changed")

    def duplicate_dropped(self, item) -> None:
        """A second copy of a report (dedupe): its URLs are known too, so they are not asked again."""
        if item.get("report_id"):
            with self.store.db:
                for url, fetched in self.item_urls(item).items():
                    self.store.record_url(url, item.get("report_id"), fetched)


class IncrementalMiddleware:
    """Downloader middleware: conditional requests for collected report pages; 304 -> ``NotModified``."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if incremental_of(crawler) is None:
            raise NotConfigured("no state folder")
        return cls(crawler)

    def process_request(self, request):
        if request.meta.get("report_page"):
            incremental_of(self.crawler).conditional_headers(request)
        return None

    def process_response(self, request, response):
        return incremental_of(self.crawler).response_seen(request, response) or response


class IncrementalExtension:
    """Opens the run in the store, records duplicates, closes the run and logs the per-site counts."""

    def __init__(self, crawler, incremental: Incremental):
        self.crawler = crawler
        self.incremental = incremental

    @classmethod
    def from_crawler(cls, crawler):
        incremental = incremental_of(crawler)
        if incremental is None:
            raise NotConfigured("no state folder")
        extension = cls(crawler, incremental)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        return extension

    def spider_opened(self, spider):
        feeds = [str(Path(path).resolve()) for path in self.crawler.settings.getdict("REPORTS_FEEDS")]
        if not feeds and not self.crawler.settings.getdict("FEEDS"):
            feeds = [str(Path(self.crawler.settings.get("REPORTS_OUTPUT")).resolve())]
        archive = getattr(self.crawler, "reports_archive_path", None)
        run_id = self.incremental.store.start_run(feeds, str(archive) if archive else None)
        self.crawler.stats.set_value("incremental/run_id", run_id)
        spider.logger.info("state %s: run %d%s", self.incremental.store.directory, run_id, " (full walk)" if self.incremental.full else "")
        if self.incremental.store.cut_lines:
            self.crawler.stats.set_value("incremental/partial_lines_cut", self.incremental.store.cut_lines)
            spider.logger.warning("state: cut %d partial line(s) an interrupted run left in its feeds", self.incremental.store.cut_lines)

    def item_dropped(self, item, response, exception, spider=None):
        if str(exception).startswith("duplicate report"):
            self.incremental.duplicate_dropped(item)

    def spider_closed(self, spider, reason):
        names = list(getattr(spider, "sites", {}) or [])
        self.incremental.store.finish_run(reason, names)
        stats = self.crawler.stats
        lines = ["site".ljust(24) + "".join(c.ljust(14) for c in COUNTS)]
        for name in names:
            lines.append(name.ljust(24) + "".join(str(stats.get_value(site_key(name, c), 0)).ljust(14) for c in COUNTS))
        spider.logger.info("incremental run %d (%s):\n%s", self.incremental.store.run_id, reason, "\n".join(lines))
        self.incremental.store.close()
