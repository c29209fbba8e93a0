"""The ``reports`` spider: registry rows -> report columns -> every annual report, one item each.

    scrapy crawl reports -a sites=sites/demo.csv [-a region=23] [-a years=2021-2023] [-O out.jsonl]

Per site it takes the family from the registry (or detects it on the first list page), walks
the column's list pages to the last one, keeps the entries the title classifier calls annual
reports, follows each to its detail page (through redirects) and yields one ``ReportItem`` with
the crawl fields. Fetch failures are counted per site (``site/<name>/...`` stats), never items.

``-a state=DIR [-a full=1] [-a archive=DIR]``: an incremental crawl (``crawler.incremental``):
known reports are not asked again, and a column's walk stops at a list page of known reports.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.http import FormRequest, Request, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.detail import file_link, find_attachments, says_see_attachment
from crawler.distributed import DistributedSites, distributed
from crawler.encoding import decoded
from crawler.families import detect_family, get_family
from crawler.families.base import ListEntry
from crawler.incremental import NotModified, incremental_of
from crawler.items import ReportItem, canonical_url, report_id_for
from crawler.output_guard import output_problem
from crawler.registry import load_registry
from crawler.site_overrides import page_hints, site_entries, with_site_encoding
from crawler.state import acquire_lock
from crawler.stats_keys import site_key
from crawler.titles import is_annual_report, title_year
from pipelines.readers import sniff_kind


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_years(spec: str | None) -> tuple[int, int] | None:
    """``"2021-2023"`` or ``"2022"`` to an inclusive range."""
    if not spec:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", spec)
    if not match:
        raise ValueError(f"years must look like 2022 or 2021-2023, not {spec!r}")
    low, high = int(match[1]), int(match[2] or match[1])
    return (min(low, high), max(low, high))


USAGE = "give the registry: scrapy crawl reports -a sites=FILE.csv [-a region=PREFIX] [-a years=2021-2023]"


class ReportsSpider(DistributedSites, scrapy.Spider):
    name = "reports"
    sink_writes_feeds = True  # -O/-o .jsonl files are written by pipelines.sink (crawler.commands.crawl)
    incremental = None  # crawler.incremental.Incremental with -a state=DIR

    @classmethod
    def check_arguments(cls, settings, sites: str | None = None, years: str | None = None, state: str | None = None, **_other) -> None:
        """Raise ``ValueError`` with one line when the crawl could not start (see ``crawler.commands``)."""
        if not sites and not distributed(settings):
            raise ValueError(USAGE)
        if sites:
            load_registry(sites)
        parse_years(years)
        problem = output_problem(settings)
        if problem:
            raise ValueError(problem)
        if state:
            acquire_lock(state)  # held by this process; a second crawl on the same state stops here

    def __init__(self, sites: str | None = None, region: str | None = None, years: str | None = None, **kwargs):
        worker = kwargs.pop("redis_worker", False)  # set by DistributedSites when REDIS_URL is set
        super().__init__(**kwargs)
        if not sites and not worker:
            raise ValueError(USAGE)
        self.sites = {site.name: site for site in load_registry(sites, region=region)} if sites else {}
        self.years = parse_years(years)
        self.allowed_domains = sorted({site.host for site in self.sites.values()})
        self.site_family: dict[str, str | None] = {name: site.family for name, site in self.sites.items()}
        self.blocked_sites: set[str] = set()
        self.list_pages_asked: dict[str, set] = {name: set() for name in self.sites}

    def count(self, site: str, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(site_key(site, key), n)

    def site_of_url(self, url: str) -> str | None:
        host = urlsplit(url).hostname
        return next((s.name for s in self.sites.values() if s.host == host), None)

    async def start(self):
        self.incremental = incremental_of(self.crawler)
        for site in self.sites.values():
            yield Request(site.url, callback=self.parse_list, errback=self.on_error, meta={"site": site.name})

    def parse_list(self, response):
        name = response.meta["site"]
        response = with_site_encoding(decoded(response), self.sites.get(name))
        self.count(name, "pages")
        family = self.family_of(name, response)
        if family is None:
            return
        wanted: list[str] = []
        yield from self.report_requests(name, response, site_entries(self.sites.get(name), family, response), wanted)
        if self.incremental and self.incremental.stop_walk(name, wanted):
            return
        yield from self.list_page_requests(name, family.next_pages(response))

    def family_of(self, name: str, response: TextResponse):
        """The site's CMS family: from the registry, else detected on this list page (or None)."""
        family_name = self.site_family.get(name)
        if family_name is None:
            family_name, reason = detect_family(response.text, response.url)
            if family_name is None:
                self.count(name, "undetected")
                self.logger.warning("site %s: CMS family not detected at %s (%s); set it in the registry", name, response.url, reason)
                return None
            self.logger.info("site %s: detected family %s (%s)", name, family_name, reason)
            self.site_family[name] = family_name
        return get_family(family_name)

    def report_requests(self, name: str, response: TextResponse, entries, wanted: list | None = None):
        """The list entries that are annual reports, as detail-page requests (or file reports)."""
        entries = list(entries)
        written = self.written_elsewhere(name, [entry.url for entry in entries])
        for entry in entries:
            if not is_annual_report(entry.title):
                self.count(name, "entries_skipped")
                continue
            year = title_year(entry.title)
            if self.years and year is not None and not self.years[0] <= year <= self.years[1]:
                self.count(name, "entries_other_years")
                continue
            if urlsplit(entry.url).hostname not in self.allowed_domains:
                self.count(name, "entries_offsite")
                continue
            self.count(name, "report_links")
            if wanted is not None:
                wanted.append(entry.url)
            if self.incremental and self.incremental.skip_entry(name, entry.url):
                continue
            if entry.url in written:
                self.count(name, "written_by_another_worker")
                continue
            document = file_link(entry.url)
            if document and document["kind"]:
                yield self.file_report(response, entry, document)
                continue
            yield Request(
                entry.url,
                callback=self.parse_detail,
                errback=self.on_error,
                meta={"site": name, "list_title": entry.title, "list_date": entry.published, "report_page": True},
            )

    def list_page_requests(self, name: str, pages):
        """Requests for the column's further list pages on the site's host, each asked once, capped."""
        limit = self.crawler.settings.getint("REPORTS_MAX_LIST_PAGES")
        for page in pages:
            if urlsplit(page.url).hostname != self.sites[name].host:
                continue
            asked = self.list_pages_asked[name]
            key = (canonical_url(page.url), tuple(sorted(page.formdata.items())))
            if key in asked:
                continue
            if len(asked) >= limit:
                self.count(name, "list_pages_over_limit")
                continue
            asked.add(key)
            meta = {"site": name, "list_if_missing": page.if_missing}
            if page.method == "POST":
                yield FormRequest(page.url, formdata=page.formdata, callback=self.parse_list, errback=self.on_error, meta=meta)
            else:
                yield Request(page.url, callback=self.parse_list, errback=self.on_error, meta=meta)

    def parse_detail(self, response):
        name = response.meta["site"]
        if not isinstance(response, TextResponse):
            yield self.served_file_report(response)
            return
        response = with_site_encoding(decoded(response), self.sites.get(name))
        text = response.text
        title = response.meta.get("list_title") or None
        if title and title.endswith(("…", "...")):
            title = None  # a truncated list label: the parse stage takes the page's own title
        attachments = find_attachments(text, response.url)
        source = {"kind": "html", "url": response.url, "sha256": hashlib.sha256(response.body).hexdigest()}
        known = [a for a in attachments if a["kind"]]
        attachment_only = bool(known) and says_see_attachment(text) and not re.search(r"本年新收|收到和处理", text)
        if attachment_only:
            source = {"kind": known[0]["kind"], "url": known[0]["url"], "sha256": None}
        hints = page_hints(self.sites.get(name))
        yield self.report_item(name, response.url, title, response.meta.get("list_date"), source, attachments, raw_html=text, page_hints=hints)

    def file_report(self, response, entry, document: dict) -> ReportItem:
        """A report the list links as a file (no detail page): the list page is its page."""
        document["filename"] = document["filename"] or entry.title
        source = {"kind": document["kind"], "url": document["url"], "sha256": None}
        return self.report_item(response.meta["site"], response.url, entry.title, entry.published, source, [document], raw_html="")

    def report_item(self, name: str, url: str, title, published, source: dict, attachments: list, **internal) -> ReportItem:
        """The one place a ``ReportItem`` is made: the crawl's fields; the stages fill the rest."""
        self.count(name, "reports_found")
        return ReportItem(
            report_id=report_id_for(source["url"]),
            url=url,
            site=name,
            region_code=self.sites[name].region_code,
            title=title,
            published=published,
            source=source,
            attachments=attachments,
            warnings=[],
            crawled_at=utc_now(),
            **internal,
        )

    def served_file_report(self, response) -> ReportItem:
        """A report link that answered with a document instead of a page."""
        filename = urlsplit(response.url).path.rsplit("/", 1)[-1]
        document = {"url": response.url, "filename": filename, "kind": sniff_kind(response.body, filename), "sha256": None}
        entry = ListEntry(response.url, response.meta.get("list_title") or filename, response.meta.get("list_date"))
        request_page = response.request.headers.get(b"Referer", b"").decode("latin-1") or response.url
        item = self.file_report(response, entry, document)
        item["url"] = request_page
        item["attachment_files"] = {response.url: response.body}
        return item

    def on_error(self, failure):
        request = failure.request
        name = request.meta.get("site") or self.site_of_url(request.url) or "unknown"
        if failure.check(NotModified):
            return
        if self.distributed and failure.check(scrapy.exceptions.IgnoreRequest) and not self.holds(request):
            self.crawler.stats.inc_value("cluster/requests_dropped")  # its site went to another worker
            return
        if self.incremental:
            self.incremental.on_error(request, failure)
        if name in self.blocked_sites and failure.check(scrapy.exceptions.IgnoreRequest):
            return
        if failure.check(HttpError):
            status = failure.value.response.status
            fallback = request.meta.get("list_if_missing")
            if status == 404 and fallback:
                self.logger.info("site %s: %s missing; the column numbers its pages from 2, fetching %s", name, request.url, fallback)
                self.count(name, "list_numbered_from_2")
                yield Request(fallback, callback=self.parse_list, errback=self.on_error, meta={"site": name})
                return
            self.count(name, f"errors/http_{status}")
            reason = f"HTTP {status}"
        elif failure.check(scrapy.exceptions.IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(failure.value):
            reason = "too_large"  # a decompressed body over DOWNLOAD_MAXSIZE (a gzip bomb)
            self.count(name, f"errors/{reason}")
        elif failure.check(scrapy.exceptions.IgnoreRequest):
            self.count(name, "ignored")
            self.logger.info("site %s: %s not fetched (%s)", name, request.url, failure.value)
            return
        else:
            reason = failure.type.__name__
            self.count(name, f"errors/{reason}")
        self.count(name, "errors")
        self.logger.warning("site %s: %s failed: %s", name, request.url, reason)
