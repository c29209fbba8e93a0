"""The ``discover`` spider: portal home pages -> their annual-report columns, as a registry.

    scrapy crawl discover -a homes=HOMES.csv -O registry.csv
    scrapy crawl discover -a directory=URL -O registry.csv
    scrapy crawl discover -a homes=HOMES.csv            # registry in DISCOVER_OUTPUT (output/registry.csv)

``HOMES.csv`` has ``name,region_code,url`` (a portal's home page or its 信息公开 page); a
directory page's links to county portals become homes too. Per portal the spider follows the
links that lead to the 信息公开 platform and to 年报 columns (``crawler.discovery`` decides), within
the portal's hosts and the ``DISCOVER_MAX_DEPTH``/``DISCOVER_MAX_PAGES`` budget, and yields one
registry row (``name,region_code,url,family``) per column whose list page holds annual reports.
Unconfirmed candidates, portals where nothing was found and fetch failures go to the discovery
summary (logged, and written as JSON beside the output), never to the registry.
"""

from __future__ import annotations

import json
from pathlib import Path

import scrapy
from scrapy import signals
from scrapy.http import Request, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.discovery import (
    SiteSearch,
    Step,
    check_directory_url,
    column_name,
    confirm_column,
    directory_portals,
    load_homes,
)
from crawler.encoding import decoded
from crawler.registry import COLUMNS
from crawler.stats_keys import site_key

USAGE = "give the home pages: scrapy crawl discover -a homes=HOMES.csv (name,region_code,url) and/or -a directory=URL"
DIRECTORY = "directory"


def discovery_summary_path(settings) -> Path:
    """``DISCOVER_SUMMARY``, else ``discovery.json`` beside the ``-O``/``-o`` file (or in ``output/``)."""
    if settings.get("DISCOVER_SUMMARY"):
        return Path(settings["DISCOVER_SUMMARY"])
    for uri in settings.getdict("FEEDS"):
        uri = str(uri)
        if "://" not in uri or uri.startswith("file://"):
            return Path(uri.removeprefix("file://")).with_name("discovery.json")
    return Path("output") / "discovery.json"


def format_summary(rows: list[dict]) -> str:
    """The discovery summary as lines a user reads: one block per portal."""
    lines = []
    for row in rows:
        lines.append(f"{row['site']}: {row['status']} ({row['pages']} pages looked at)")
        for column in row["columns"]:
            lines.append(f"  found       {column['name']}  {column['url']}  [{column['family']}, {column['reports']} reports on page 1]")
        for candidate in row["unconfirmed"]:
            lines.append(f"  unconfirmed {candidate['label']}  {candidate['url']}  ({candidate['reason']})")
        for error in row["errors"]:
            lines.append(f"  failed      {error['url']}  ({error['reason']})")
        if row["status"] == "not found":
            lines.append("  looked at   " + (", ".join(row["looked_at"]) or "nothing (home page not fetched)"))
    return "\n".join(lines)


class DiscoverSpider(scrapy.Spider):
    name = "discover"
    custom_settings = {
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {},
        "FEED_EXPORT_FIELDS": list(COLUMNS),
    }

    @classmethod
    def check_arguments(cls, settings, homes: str | None = None, directory: str | None = None, **_other) -> None:
        """Raise ``ValueError`` with one line when discovery could not start (see ``crawler.commands``)."""
        if not homes and not directory:
            raise ValueError(USAGE)
        if homes:
            load_homes(homes)
        if directory:
            check_directory_url(directory)

    @classmethod
    def update_settings(cls, settings):
        """Without ``-O``/``-o`` the registry goes to ``DISCOVER_OUTPUT``."""
        super().update_settings(settings)
        if not settings.getdict("FEEDS"):
            settings.set("FEEDS", {settings["DISCOVER_OUTPUT"]: {"format": "csv", "overwrite": True}}, priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.write_summary, signal=signals.spider_closed)
        return spider

    def __init__(self, homes: str | None = None, directory: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if not homes and not directory:
            raise ValueError(USAGE)
        self.homes = load_homes(homes) if homes else []
        self.directory = check_directory_url(directory) if directory else None
        self.searches: dict[str, SiteSearch] = {}
        self.names: set[str] = set()
        self.blocked_sites: set[str] = set()

    def count(self, site: str, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(site_key(site, key), n)

    async def start(self):
        for home in self.homes:
            for request in self.begin(home):
                yield request
        if self.directory:
            yield Request(self.directory, callback=self.parse_directory, errback=self.on_error, meta={"site": DIRECTORY})

    def begin(self, home):
        if home.name in self.searches:
            self.logger.info("portal %s listed twice; searched once", home.name)
            return []
        settings = self.crawler.settings
        search = SiteSearch(home, settings.getint("DISCOVER_MAX_DEPTH"), settings.getint("DISCOVER_MAX_PAGES"))
        self.searches[home.name] = search
        return [self.request(home.name, search.first_step())]

    def request(self, site: str, step: Step) -> Request:
        callback = self.parse_candidate if step.kind == "column" else self.parse_page
        return Request(step.url, callback=callback, errback=self.on_error,
                       meta={"site": site, "depth_in_site": step.depth, "label": step.label})

    def parse_directory(self, response):
        if not isinstance(response, TextResponse):
            self.logger.warning("directory %s is not a page", response.url)
            return
        response = decoded(response)
        homes = directory_portals(response.text, response.url)
        self.logger.info("directory %s lists %d portals", response.url, len(homes))
        for home in homes:
            yield from self.begin(home)

    def looked_at(self, response) -> tuple[str, SiteSearch]:
        site = response.meta["site"]
        search = self.searches[site]
        search.looked_at.append(response.url)
        self.count(site, "pages")
        return site, search

    def parse_page(self, response):
        site, search = self.looked_at(response)
        if not isinstance(response, TextResponse):
            return
        response = decoded(response)
        for step in search.plan(response.url, response.text, response.meta["depth_in_site"]):
            yield self.request(site, step)

    def parse_candidate(self, response):
        site, search = self.looked_at(response)
        label = response.meta["label"]
        if not isinstance(response, TextResponse):
            search.unconfirmed.append({"label": label, "url": response.url, "reason": "not a page"})
            return
        response = decoded(response)
        family, reports, reason = confirm_column(response)
        if family is None:
            self.count(site, "unconfirmed")
            search.unconfirmed.append({"label": label, "url": response.url, "reason": reason})
            self.logger.info("portal %s: %s at %s not confirmed: %s", site, label, response.url, reason)
        elif (same := search.same_column(response.url, reports)) is not None:
            self.logger.info("portal %s: %s at %s is column %s again", site, label, response.url, same)
        else:
            yield self.registry_row(site, search, label, response.url, family, reports)
        for step in search.plan(response.url, response.text, response.meta["depth_in_site"], kind="column"):
            yield self.request(site, step)

    def registry_row(self, site: str, search: SiteSearch, label: str, url: str, family: str, reports: tuple) -> dict:
        name = column_name(site, label)
        base, n = name, 2
        while name in self.names:
            name, n = f"{base}-{n}", n + 1
        self.names.add(name)
        self.count(site, "columns")
        search.add_column(name, label, url, family, reports)
        self.logger.info("portal %s: column %s at %s (%s, %d reports on its first page)", site, name, url, family, len(reports))
        return {"name": name, "region_code": search.home.region_code or "", "url": url, "family": family}

    def on_error(self, failure):
        request = failure.request
        site = request.meta.get("site", "unknown")
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        elif site in self.blocked_sites:
            reason = "blocked (anti-bot answer)"
        elif failure.check(scrapy.exceptions.IgnoreRequest):
            reason = f"not fetched ({failure.value})"
        else:
            reason = failure.type.__name__
        self.count(site, "errors")
        if site == DIRECTORY:
            self.logger.error("directory %s failed: %s", request.url, reason)
            return
        search = self.searches.get(site)
        if search is not None:
            search.errors.append({"url": request.url, "reason": reason})
        self.logger.warning("portal %s: %s failed: %s", site, request.url, reason)

    def write_summary(self, spider, reason):
        rows = [search.summary() for search in self.searches.values()]
        for row in rows:
            self.crawler.stats.set_value(site_key(row["site"], "status"), row["status"])
        path = discovery_summary_path(self.crawler.settings)
        found = sum(len(row["columns"]) for row in rows)
        self.logger.info("discovery summary (%d columns from %d portals, %s):\n%s", found, len(rows), path, format_summary(rows))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"reason": reason, "sites": rows}, ensure_ascii=False, indent=2), encoding="utf-8")
