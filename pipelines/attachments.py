"""Fetch every attachment of a report through the crawl's own engine (politeness, robots.txt,
retries and ``DOWNLOAD_MAXSIZE`` apply), then record its sha256 and its kind by magic bytes.

The bytes go to ``item["attachment_files"] = {url: bytes}`` for the readers downstream (a file
already there, e.g. a report link that answered with the document itself, is not fetched again). A failed
download is never fatal: it is counted (``attachments/failed``, ``site/<name>/attachment_errors``)
and named in the item's ``warnings``. Failures are the errors a download ends with (the ones
``RETRY_EXCEPTIONS`` lists, a dropped or cancelled request, a timeout); anything else is a bug and,
in strict mode (``REPORTS_STRICT``), raised.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote, urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.http import Request
from scrapy.utils.misc import load_object

from crawler.stats_keys import site_key
from pipelines.readers import sniff_kind
from pipelines.warning_codes import warning

SOURCE_KINDS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "ofd", "image")


MAX_FILENAME = 120


def safe_filename(name: str | None) -> str | None:
    """A file name a server gave, made harmless: its last path part only (``../../etc/passwd``
    gives ``passwd``), no control characters, at most ``MAX_FILENAME`` characters (extension kept)."""
    if not name:
        return None
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        extension = extension if dot and 0 < len(extension) <= 8 else ""
        name = name[: MAX_FILENAME - len(extension) - 1] + ("." + extension if extension else "")
    return name or None


def disposition_filename(value: bytes | str | None) -> str | None:
    """The filename of a ``Content-Disposition`` header (RFC 5987, quoted, raw UTF-8 or GBK),
    made harmless by :func:`safe_filename`."""
    return safe_filename(_raw_disposition_filename(value))


def _raw_disposition_filename(value: bytes | str | None) -> str | None:
    if not value:
        return None
    raw = value if isinstance(value, bytes) else value.encode("latin-1", "replace")
    match = re.search(rb"filename\*\s*=\s*([\w-]+)''([^;]+)", raw, re.I)
    if match:
        return unquote(match.group(2).decode("ascii", "replace").strip('"'), encoding=match.group(1).decode() or "utf-8")
    match = re.search(rb'filename\s*=\s*"?([^";]+)"?', raw, re.I)
    if not match:
        return None
    name = match.group(1)
    for encoding in ("utf-8", "gb18030"):
        try:
            return unquote(name.decode(encoding))
        except UnicodeDecodeError:
            continue
    return unquote(name.decode("latin-1"))


# How a download ends without a response (besides what RETRY_EXCEPTIONS lists): a request dropped
# by a middleware (robots.txt, a blocked site), cancelled (DOWNLOAD_MAXSIZE), timed out, or not fetchable.
DOWNLOAD_ERRORS = (
    IgnoreRequest,
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
    NotSupported,
    TimeoutError,
    OSError,
)


def fetch_errors(settings) -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the download failed": :data:`DOWNLOAD_ERRORS` and ``RETRY_EXCEPTIONS``."""
    retried = tuple(load_object(name) if isinstance(name, str) else name for name in settings.getlist("RETRY_EXCEPTIONS"))
    return DOWNLOAD_ERRORS + retried


class AttachmentsPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.fetch_errors = fetch_errors(crawler.settings)
        self.strict = crawler.settings.getbool("REPORTS_STRICT")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item):
        files = dict(item.get("attachment_files") or {})
        warnings = list(item.get("warnings") or [])
        site = item.get("site")
        stats = self.crawler.stats
        for attachment in item.get("attachments") or []:
            url = attachment["url"]
            if url in files:
                data = files[url]
            else:
                try:
                    response = await self.crawler.engine.download_async(Request(url, meta={"site": site, "attachment": True}))
                except self.fetch_errors as error:  # a failed download is a warning, never fatal
                    self._failed(site, url, f"{type(error).__name__}: {error}", warnings)
                    continue
                except Exception as error:  # noqa: BLE001 - the fetch boundary: one bad attachment never stops a crawl (strict: a bug surfaces)
                    if self.strict:
                        raise
                    self._failed(site, url, f"{type(error).__name__}: {error}", warnings)
                    continue
                if response.status != 200:
                    self._failed(site, url, f"HTTP {response.status}", warnings)
                    continue
                data = response.body
                name = disposition_filename(response.headers.get(b"Content-Disposition"))
                if name:
                    attachment["filename"] = name
            kind = sniff_kind(data, attachment.get("filename") or urlsplit(url).path)
            if kind == "html":
                warnings.append(warning("attachment_is_page", f"attachment {url} is an HTML page, not a document"))
            attachment["kind"] = kind
            attachment["sha256"] = hashlib.sha256(data).hexdigest()
            files[url] = data
            stats.inc_value("attachments/fetched")
            stats.inc_value(site_key(site, "attachments"))
        source = item.get("source") or {}
        for attachment in item.get("attachments") or []:
            if source.get("url") == attachment["url"] and attachment.get("sha256") and attachment["kind"] in SOURCE_KINDS:
                source.update(kind=attachment["kind"], sha256=attachment["sha256"])
        item["attachment_files"] = files
        item["warnings"] = warnings
        return item

    def _failed(self, site, url, reason, warnings):
        self.crawler.stats.inc_value("attachments/failed")
        self.crawler.stats.inc_value(site_key(site, "attachment_errors"))
        warnings.append(warning("attachment_not_fetched", f"attachment {url} not fetched: {reason}"))
