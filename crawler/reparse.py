"""Re-parse archived crawls offline: WARC files (``crawler.archive``) -> the items the crawl gives.

For each WARC file (a run), in the order the responses were fetched: the registry and filters of
its ``warcinfo`` record make the same ``reports`` spider; each archived 200 response whose
callback was ``parse_list`` or ``parse_detail`` goes through that callback; the report items then
run the crawl's stages with the archive as their only source of bytes: dedupe, attachments (from
the archived attachment responses; one not in the archive is a warning, as a failed download is),
strip -> parse -> validate (``pipelines.chain``), and the sink's late de-duplication. No network.

``crawled_at`` is the archived response's fetch time. ``revision`` and ``supersedes`` come from the
state folder's store (the version whose ``source.sha256`` matches), when one is found beside the
archive. Given several runs, a report's latest run wins.
"""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
from pathlib import Path
from types import SimpleNamespace

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.responsetypes import responsetypes
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from warcio.archiveiterator import ArchiveIterator

from crawler.archive import META_HEADER
from crawler.items import ReportItem
from crawler.state import read_versions
from pipelines.attachments import AttachmentsPipeline
from pipelines.chain import run_chain
from pipelines.contract import INTERNAL_FIELDS, canonical_url, public_dict

logger = logging.getLogger(__name__)
CALLBACKS = ("parse_list", "parse_detail")


class ArchivedResponse(SimpleNamespace):
    """One archived fetch: ``url``, ``status``, ``headers`` (list of pairs), ``body``, ``meta``, ``date``."""


def warc_files(paths: list[Path]) -> list[Path]:
    """The WARC files named or found (recursively) in the folders named, oldest run first."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.warc*") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return sorted(dict.fromkeys(found), key=lambda p: p.name)


def state_folder_of(paths: list[Path]) -> Path | None:
    """The state folder beside an archive (``STATE/archive/…``), or a folder holding ``state.sqlite``."""
    for path in paths:
        for candidate in [path, *path.resolve().parents]:
            if (candidate / "state.sqlite").is_file():
                return candidate
    return None


def read_warc(path: Path) -> tuple[dict, list[ArchivedResponse], list[str]]:
    """(warcinfo metadata, responses in fetch order, problems). A truncated tail is a problem, not an error."""
    info: dict = {}
    responses: list[ArchivedResponse] = []
    problems: list[str] = []
    with path.open("rb") as handle:
        try:
            for record in ArchiveIterator(handle):
                if record.rec_type == "warcinfo":
                    fields = dict(line.split(": ", 1) for line in record.content_stream().read().decode("utf-8").splitlines() if ": " in line)
                    info = json.loads(fields.get("json-metadata") or "{}")
                elif record.rec_type == "response":
                    meta = json.loads(record.rec_headers.get_header(META_HEADER) or "{}")
                    responses.append(ArchivedResponse(
                        url=record.rec_headers.get_header("WARC-Target-URI"),
                        status=int(record.http_headers.get_statuscode()),
                        headers=list(record.http_headers.headers),
                        body=record.content_stream().read(),
                        meta=meta,
                        date=record.rec_headers.get_header("WARC-Date"),
                    ))
        except Exception as error:  # noqa: BLE001 - a run killed mid-record leaves a truncated member
            problems.append(f"{path}: stopped at a damaged record ({type(error).__name__}: {error}); the records before it are used")
    return info, responses, problems


def scrapy_response(archived: ArchivedResponse):
    headers: dict[str, list[str]] = {}
    for name, value in archived.headers:
        headers.setdefault(name, []).append(value)
    meta = archived.meta
    request_headers = {"Referer": meta["referer"]} if meta.get("referer") else None
    request = Request(meta.get("request_url") or archived.url, headers=request_headers, dont_filter=True,
                      meta={"site": meta.get("site"), "list_title": meta.get("list_title"), "list_date": meta.get("list_date")})
    cls = responsetypes.from_args(headers=headers, url=archived.url, body=archived.body)
    return cls(url=archived.url, status=archived.status, headers=headers, body=archived.body, request=request)


class ArchiveDownloader:
    """What the attachments stage downloads through, offline: the archive's last 200 for a URL."""

    def __init__(self, responses: list[ArchivedResponse]):
        self.by_url = {canonical_url(r.url): r for r in responses if r.status == 200}

    async def download_async(self, request):
        archived = self.by_url.get(canonical_url(request.url))
        if archived is None:
            raise IgnoreRequest(f"not in the archive: {request.url}")
        return scrapy_response(archived)


def project_settings() -> Settings:
    import crawler.settings as project

    return Settings({name: getattr(project, name) for name in dir(project) if name.isupper()})


def spider_for(info: dict, crawler: Crawler):
    from crawler.spiders.reports import ReportsSpider

    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", delete=False) as registry:
        registry.write(info.get("registry") or "name,region_code,url,family\n")
    try:
        return ReportsSpider.from_crawler(crawler, sites=registry.name, years=info.get("years"))
    finally:
        Path(registry.name).unlink()


def reparse_run(info: dict, responses: list[ArchivedResponse]) -> list[dict]:
    """The items one archived run gives, in the order the crawl would write them."""
    from crawler.spiders.reports import ReportsSpider

    crawler = Crawler(ReportsSpider, project_settings())
    crawler.stats = MemoryStatsCollector(crawler)
    spider = spider_for(info, crawler)
    items: list[ReportItem] = []
    for archived in responses:
        if archived.status != 200 or archived.meta.get("callback") not in CALLBACKS:
            continue
        response = scrapy_response(archived)
        for result in getattr(spider, archived.meta["callback"])(response) or []:
            if isinstance(result, ReportItem):
                result["crawled_at"] = archived.date
                items.append(result)
    attachments = AttachmentsPipeline(SimpleNamespace(engine=ArchiveDownloader(responses), stats=crawler.stats, settings=crawler.settings))
    seen, written, out = set(), set(), []
    for item in items:
        key = item.get("report_id") or item.get("url")
        if key in seen:
            continue
        seen.add(key)
        asyncio.run(attachments.process_item(item))
        run_chain(item)
        if item.get("report_id") in written:
            continue
        written.add(item.get("report_id"))
        for field in INTERNAL_FIELDS:
            item.pop(field, None)
        out.append(public_dict(item))
    return out


def with_revision(item: dict, versions: dict[str, list[dict]]) -> dict:
    sha = (item.get("source") or {}).get("sha256")
    matching = [v for v in versions.get(item.get("report_id"), []) if v["source_sha256"] == sha]
    if matching:
        item["revision"] = matching[-1]["revision"]
        item["supersedes"] = matching[-1]["supersedes"]
    return item


def reparse(paths: list[Path], state: Path | None = None) -> tuple[list[dict], list[str]]:
    """(items, problems) of every archived run under ``paths``; a report's latest run wins."""
    files = warc_files(paths)
    if not files:
        raise FileNotFoundError("no WARC files in " + ", ".join(map(str, paths)))
    state = state or state_folder_of(paths)
    versions = read_versions(state) if state else {}
    by_id: dict[str, dict] = {}
    problems: list[str] = []
    for path in files:
        info, responses, found = read_warc(path)
        problems += found
        for item in reparse_run(info, responses):
            by_id.pop(item.get("report_id"), None)
            by_id[item.get("report_id")] = with_revision(item, versions)
    return list(by_id.values()), problems
