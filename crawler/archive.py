"""The raw archive: every fetched response of a crawl in one gzipped WARC file per run.

On with ``-a archive=DIR``, and by default with ``-a state=DIR`` (into ``DIR/archive/``). The
downloader middleware sits before redirects and decompression, so list pages, report pages,
attachments, robots.txt, redirects and error answers are all kept as the server sent them: a
``request`` record (method, headers, body of a POST) and a ``response`` record (status, headers,
body) per fetch, one gzip member each, flushed as written (a crawl killed mid-record leaves at most
one truncated member at the end, which ``reparse`` skips).

Each response record carries ``X-Crawl-Meta``: JSON with the spider callback that got the
response (``parse_list``, ``parse_detail``, or ``attachment``/``robots``/``other``), the request
URL and the request's site, list title and list date: what ``govreports reparse`` needs to run the
same callbacks offline. The run's first record (``warcinfo``) holds the registry and the spider's
filters. File name: ``<UTC start>-<pid>.warc.gz``.
"""

from __future__ import annotations

import io
import json
import os
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.incremental import spider_argument

META_HEADER = "X-Crawl-Meta"
_DROPPED_HEADERS = (b"transfer-encoding",)  # the body is stored de-chunked


def archive_directory(crawler) -> Path | None:
    archive = spider_argument(crawler, "archive")
    if archive and archive.lower() in ("0", "off", "no", "false"):
        return None
    if archive:
        return Path(archive)
    state = spider_argument(crawler, "state")
    return Path(state) / "archive" if state else None


def callback_name(request) -> str:
    if request.meta.get("attachment"):
        return "attachment"
    if request.url.endswith("/robots.txt"):
        return "robots"
    return getattr(request.callback, "__name__", None) or "other"


def _headers(headers) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        if name.lower() in _DROPPED_HEADERS:
            continue
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


def registry_csv(spider) -> str:
    rows = ["name,region_code,url,family"]
    for site in getattr(spider, "sites", {}).values():
        rows.append(",".join([site.name, site.region_code or "", site.url, site.family or ""]))
    return "\n".join(rows) + "\n"


class WarcArchiveMiddleware:
    def __init__(self, crawler, directory: Path):
        self.crawler = crawler
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"{stamp}-{os.getpid()}.warc.gz"
        crawler.reports_archive_path = self.path
        self.handle = self.path.open("ab")
        self.writer = WARCWriter(self.handle, gzip=True)

    @classmethod
    def from_crawler(cls, crawler):
        directory = archive_directory(crawler)
        if directory is None:
            raise NotConfigured("no archive folder")
        middleware = cls(crawler, directory)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider):
        years = getattr(spider, "years", None)
        info = {"software": "gov-annual-reports", "spider": spider.name, "registry": registry_csv(spider),
                "years": f"{years[0]}-{years[1]}" if years else None}
        self._write(self.writer.create_warcinfo_record(self.path.name, {"json-metadata": json.dumps(info)}))
        spider.logger.info("archive: %s", self.path)

    def spider_closed(self, spider, reason):
        self.handle.close()

    def _write(self, record) -> None:
        self.writer.write_record(record)
        self.handle.flush()

    def process_response(self, request, response):
        meta = {
            "callback": callback_name(request),
            "request_url": request.url,
            "method": request.method,
            "site": request.meta.get("site"),
            "list_title": request.meta.get("list_title"),
            "list_date": request.meta.get("list_date"),
            "referer": (request.headers.get(b"Referer") or b"").decode("latin-1") or None,
        }
        request_headers = StatusAndHeaders(f"{request.method} {request.url} HTTP/1.1", _headers(request.headers), is_http_request=True)
        request_record = self.writer.create_warc_record(
            request.url, "request", payload=io.BytesIO(request.body or b""), http_headers=request_headers
        )
        status = StatusAndHeaders(f"{response.status} {_reason(response.status)}", _headers(response.headers), protocol="HTTP/1.1")
        response_record = self.writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(response.body), http_headers=status,
            warc_headers_dict={META_HEADER: json.dumps(meta)},
        )
        request_record.rec_headers.add_header("WARC-Concurrent-To", response_record.rec_headers.get_header("WARC-Record-ID"))
        self._write(response_record)
        self._write(request_record)
        return response


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
