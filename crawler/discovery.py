"""Finding a portal's annual-report columns from its home page (pure functions, no Scrapy).

The ``discover`` spider fetches pages; everything it decides is here, so it runs offline on saved
pages:

* ``page_links``: every link of a page with the label a reader sees (the anchor text, else its
  ``title``, else the ``alt``/``title`` of the image it wraps; ``<area alt>``), plus the entries of
  JavaScript menu data (``var menu = [{name: "…", url: "…"}, …]``);
* ``disclosure_rank`` / ``is_column_label``: whether a label leads to the 信息公开 platform or names
  an annual-report column (年报 / 年度报告, not 年报解读 / 统计年报 / one report's own title);
* ``SiteSearch``: one portal's search: its hosts (the home page's domain and subdomains, plus the
  hosts the home page links as its disclosure platform), the depth and page budget, what was
  looked at, the columns found and the candidates left unconfirmed with their reason;
* ``confirm_column``: a candidate is a column when its page's family (``detect_family``) lists
  entries the title classifier calls annual reports;
* ``load_homes`` / ``directory_portals``: the home pages to start from (a ``name,region_code,url``
  file, or a province's directory page of county portals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from crawler.families import detect_family, get_family
from crawler.families.base import parse_fragment
from crawler.registry import read_named_rows
from crawler.titles import is_annual_report, normalize_title

HOME_COLUMNS = ("name", "region_code", "url")
_REGION = re.compile(r"^\d{2,12}$")
_SKIP_HREF = re.compile(r"^(javascript:|mailto:|tel:|#|data:)", re.I)
_DISCLOSURE = (("法定主动公开内容", 4), ("政府信息公开", 3), ("政务信息公开", 3), ("信息公开", 2), ("政务公开", 2))
_NOT_PLATFORM = re.compile(r"指南|制度|规定|申请|意见|留言|表格|下载|监督|举报|年报|年度报告|解读")
_COLUMN = re.compile(r"年报|年度报告")
_NOT_COLUMN = re.compile(r"解读|统计|法治|预算|决算|财政|审计|报表|图解|一图|指南|通知|公告|要点|目录|工作报告|述职|社会责任|企业|年鉴")
_YEAR = re.compile(r"(19|20)\d{2}")
_PLATFORM_URL = re.compile(r"^(zf)?(xxgk|zwgk|gk|zfxxgk)\w*$|xxgk$", re.I)
_MENU_ARRAY = re.compile(r"\b(?:var|let|const)\s+\w+\s*=\s*(\[.*?\])\s*;", re.S)
_MENU_OBJECT = re.compile(r"\{[^{}]*\}", re.S)
_MENU_PAIR = re.compile(r"""["']?(\w+)["']?\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
_MENU_LABEL_KEYS = ("name", "title", "text", "label", "menuname", "chnlname", "channelname", "colname")
_MENU_URL_KEYS = ("url", "href", "link", "path", "linkurl", "chnlurl", "colurl")
_PLACE = re.compile(r"(省|市|县|区|旗|州|盟|镇|乡|街道)(人民政府)?(门户网站|网站|网)?$")
_HOME_PATH = re.compile(r"^/?([\w-]+/?)?(index\.\w+)?$|^/?$")
MAX_NAV_PER_PAGE = 4


class HomesError(ValueError):
    """A homes file that cannot be used as it is."""


@dataclass(frozen=True)
class Home:
    name: str
    region_code: str | None
    url: str


@dataclass(frozen=True)
class Link:
    url: str
    label: str


# Decoration characters stripped from both ends of a label, in any order (a set, not a prefix or suffix).
_LABEL_DECORATION = "【】[]<>《》»«·•|:："


def clean_label(text: str) -> str:
    """A label as one line: whitespace (U+3000, nbsp) and decoration such as ``>>``/``【】`` dropped."""
    return normalize_title(text).strip(_LABEL_DECORATION)


def _link_label(anchor) -> str:
    candidates = [anchor.text_content(), anchor.get("title") or ""]
    for image in anchor.iter("img"):
        candidates += [image.get("alt") or "", image.get("title") or ""]
    labels = [clean_label(c) for c in candidates if clean_label(c)]
    ranked = sorted(labels, key=lambda label: (is_column_label(label), disclosure_rank(label) > 0), reverse=True)
    return ranked[0] if ranked else ""


def menu_links(text: str, base_url: str) -> list[Link]:
    """Links from JavaScript menu data: arrays of ``{name: "…", url: "…"}`` objects."""
    links = []
    for array in _MENU_ARRAY.finditer(text):
        for literal in _MENU_OBJECT.finditer(array.group(1)):
            pairs = {key.lower(): dq or sq for key, dq, sq in _MENU_PAIR.findall(literal.group(0))}
            label = next((pairs[k] for k in _MENU_LABEL_KEYS if pairs.get(k)), "")
            href = next((pairs[k] for k in _MENU_URL_KEYS if pairs.get(k)), "")
            if label and href and not _SKIP_HREF.match(href):
                links.append(Link(urljoin(base_url, href.replace("\\/", "/")), clean_label(label)))
    return links


def page_links(text: str, base_url: str) -> list[Link]:
    """Every link of a page with its visible label, then the JavaScript menu entries."""
    root = parse_fragment(text)
    links: list[Link] = []
    if root is not None:
        for element in root.iter("a", "area"):
            href = (element.get("href") or "").strip()
            if not href or _SKIP_HREF.match(href):
                continue
            label = clean_label(element.get("alt") or "") if element.tag == "area" else _link_label(element)
            links.append(Link(urljoin(base_url, href), label))
    return links + menu_links(text, base_url)


def disclosure_rank(label: str) -> int:
    """How surely a label leads to the 信息公开 platform: 0 (not at all) to 5; short labels rank higher."""
    label = clean_label(label)
    if not label or len(label) > 16 or _NOT_PLATFORM.search(label):
        return 0
    for phrase, rank in _DISCLOSURE:
        if phrase in label:
            return rank + (1 if len(label) <= len(phrase) + 2 else 0)
    return 0


def link_rank(link: Link) -> int:
    """A link's disclosure rank: by its label, else 1 for an unlabelled link (an image without
    ``alt``) to a disclosure host or folder (``xxgk.``, ``zwgk.``, ``/zfxxgk/``)."""
    rank = disclosure_rank(link.label)
    if rank or link.label:
        return rank
    return 1 if looks_like_platform_url(link.url) else 0


def looks_like_platform_url(url: str) -> bool:
    """True when the host's first label or the first folder names a disclosure platform."""
    parts = urlsplit(url)
    first_label = (parts.hostname or "").split(".")[0]
    first_folder = parts.path.split("/")[1] if parts.path.count("/") > 1 else ""
    return any(_PLATFORM_URL.search(part) for part in (first_label, first_folder) if part)


def is_column_label(label: str) -> bool:
    """True for the label of an annual-report column (not a decoy, not one report's title)."""
    label = clean_label(label)
    if not label or len(label) > 20 or not _COLUMN.search(label):
        return False
    return not _NOT_COLUMN.search(label) and not _YEAR.search(label)


def column_name(site: str, label: str) -> str:
    """The registry name of a column: ``方正县人民政府网-部门年报``."""
    return f"{site}-{clean_label(label)}"


def portal_base(host: str) -> str:
    """The domain whose subdomains belong to a portal: its host without a leading ``www.``."""
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") and host.count(".") >= 2 else host


def canonical(url: str) -> str:
    """A URL without its fragment, for telling pages apart."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


@dataclass(frozen=True)
class Step:
    """A page to fetch for a portal: a navigation page or a column candidate."""

    url: str
    label: str
    kind: str  # "nav" or "column"
    depth: int


@dataclass
class SiteSearch:
    """The search of one portal: scope, budget, and what it found."""

    home: Home
    max_depth: int
    max_pages: int
    hosts: set = field(default_factory=set)
    asked: list = field(default_factory=list)
    looked_at: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    unconfirmed: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    over_budget: int = 0
    first_reports: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.hosts.add(portal_base(urlsplit(self.home.url).hostname or ""))

    def in_scope(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            return False
        return any(host == base or host.endswith("." + base) for base in self.hosts)

    def first_step(self) -> Step:
        self.asked.append(canonical(self.home.url))
        return Step(self.home.url, "", "nav", 0)

    def plan(self, page_url: str, text: str, depth: int, kind: str = "nav") -> list[Step]:
        """The pages to fetch next from a fetched page: column candidates first, then the best
        disclosure links (not from a column page), within scope, depth and page budget."""
        links = page_links(text, page_url)
        columns = [link for link in links if is_column_label(link.label)]
        navigation = sorted((link for link in links if link_rank(link)), key=lambda link: -link_rank(link))
        if depth == 0:
            self.hosts.add(portal_base(urlsplit(page_url).hostname or ""))  # where the home page redirected
            for link in columns + navigation[:MAX_NAV_PER_PAGE]:
                self.hosts.add(portal_base(urlsplit(link.url).hostname or ""))
        steps = [Step(link.url, link.label, "column", depth + 1) for link in columns]
        if kind == "nav":
            steps += [Step(link.url, link.label, "nav", depth + 1) for link in navigation[:MAX_NAV_PER_PAGE]]
        chosen = []
        for step in steps:
            key = canonical(step.url)
            if step.depth > self.max_depth or not self.in_scope(step.url) or key in self.asked:
                continue
            if len(self.asked) >= self.max_pages:
                self.over_budget += 1
                continue
            self.asked.append(key)
            chosen.append(step)
        return chosen

    def same_column(self, url: str, reports: tuple[str, ...]) -> str | None:
        """The name of a column already found at this URL or listing the same reports first."""
        for column in self.columns:
            if canonical(column["url"]) == canonical(url) or (reports and self.first_reports.get(column["name"]) == reports):
                return column["name"]
        return None

    def add_column(self, name: str, label: str, url: str, family: str, reports: tuple[str, ...]) -> None:
        self.columns.append({"name": name, "label": label, "url": url, "family": family, "reports": len(reports)})
        self.first_reports[name] = reports

    def summary(self) -> dict:
        status = "found" if self.columns else "unconfirmed" if self.unconfirmed else "not found"
        return {
            "site": self.home.name, "home": self.home.url, "status": status, "pages": len(self.looked_at),
            "columns": self.columns, "unconfirmed": self.unconfirmed, "errors": self.errors,
            "over_budget": self.over_budget, "looked_at": self.looked_at,
        }


def confirm_column(response) -> tuple[str | None, tuple[str, ...], str]:
    """``(family, URLs of the annual reports listed, reason)`` for a candidate column's page.

    ``response`` is anything with ``url``, ``text`` and ``urljoin`` (a Scrapy ``TextResponse``).
    The family is None when the page is not a report column, and ``reason`` says why.
    """
    family, why = detect_family(response.text, response.url)
    if family is None:
        return None, (), f"not a list page ({why})"
    entries = get_family(family).entries(response)
    reports = tuple(sorted({entry.url for entry in entries if is_annual_report(entry.title)}))
    if not reports:
        return None, (), f"{family} list of {len(entries)} entries, none an annual report"
    return family, reports, f"{family} list, {len(reports)} of {len(entries)} entries annual reports"


def parse_home_row(row: dict, where: str) -> Home:
    name = (row.get("name") or "").strip()
    region = (row.get("region_code") or "").strip()
    url = (row.get("url") or "").strip()
    if not name or not name.isprintable():
        raise HomesError(f"{where}: bad name {name!r} (printable text needed)")
    if region and not _REGION.match(region):
        raise HomesError(f"{where}: bad region_code {region!r} (digits of a 行政区划代码)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        raise HomesError(f"{where}: malformed url {url!r} (need http(s)://host/path)")
    return Home(name=name, region_code=region or None, url=url)


def load_homes(path: str | Path) -> list[Home]:
    """Read a homes file ``name,region_code,url``; a bad row raises ``HomesError`` naming its line."""
    return read_named_rows(path, HOME_COLUMNS, parse_home_row, HomesError, "homes")


def check_directory_url(url: str) -> str:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HomesError(f"malformed directory url {url!r} (need http(s)://host/path)")
    return url


def directory_portals(text: str, base_url: str) -> list[Home]:
    """The portals a directory page links: links to another host's home page (``/`` or
    ``/index.*``) whose label names a place (``…县``, ``…区人民政府``, ``…市政府网``)."""
    own = urlsplit(base_url).hostname
    homes, seen = [], set()
    for link in page_links(text, base_url):
        parts = urlsplit(link.url)
        if parts.scheme not in ("http", "https") or parts.hostname in (None, own) or parts.query:
            continue
        if not _HOME_PATH.match(parts.path) or not _PLACE.search(link.label):
            continue
        if link.label in seen or canonical(link.url) in seen:
            continue
        seen.update((link.label, canonical(link.url)))
        homes.append(Home(name=link.label, region_code=None, url=link.url))
    return homes
