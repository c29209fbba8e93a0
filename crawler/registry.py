"""The site registry: a CSV file ``name,region_code,url,family``, one report column per row.

``name`` is any printable text (``方正县人民政府网`` is fine); stats keys and file names made from
it go through :func:`crawler.stats_keys.safe_part` / :meth:`Site.file_stem`. ``url`` is the first
list page of the portal's annual-report column; ``family`` is one of ``FAMILIES`` or empty (detect
it from the page). A bad row stops the load with one line naming the file and line, so a typo
never silently drops a site.

Optional columns, the escape hatch for the one odd portal its family does not cover (a site stays
a line of data): ``list_selector`` (CSS, or XPath when it starts with ``/`` or ``(``: the report
links of a list page), ``body_selector`` (the same kinds: the report body of a detail page) and
``encoding`` (a fixed charset for the site's pages, e.g. ``gbk``). Empty means "as the family does".

Adding a site is adding a row: a unique ``name``, the 6-digit 行政区划代码, the column's first list
page, and the family when known (leave it empty to detect it; the crawl log names the family it
detected, and an undetectable site shows as ``undetected`` in the summary). Only the hosts of
the registry are followed.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.families.detect import FAMILIES
from crawler.stats_keys import safe_part

COLUMNS = ("name", "region_code", "url", "family")
OPTIONAL_COLUMNS = ("list_selector", "body_selector", "encoding")
MAX_NAME = 100
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]+')
_REGION = re.compile(r"^\d{2,12}$")


class RegistryError(ValueError):
    """A registry file that cannot be used as it is."""


@dataclass(frozen=True)
class Site:
    name: str
    region_code: str | None
    url: str
    family: str | None
    list_selector: str | None = None
    body_selector: str | None = None
    encoding: str | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def file_stem(self) -> str:
        """A file-name part made from the name (any script kept; path and shell characters replaced)."""
        stem = _UNSAFE_FILE_CHARS.sub("_", safe_part(self.name)).strip("._")
        return stem[:MAX_NAME] or "_"


def _check_name(name: str, where: str) -> None:
    if not name:
        raise RegistryError(f"{where}: empty site name")
    if len(name) > MAX_NAME or not name.isprintable():
        raise RegistryError(f"{where}: bad site name {name!r} (printable text of at most {MAX_NAME} characters)")


def _check_selector(value: str, column: str, where: str) -> None:
    from cssselect import HTMLTranslator
    from lxml import etree

    try:
        if value.startswith(("/", "(")):
            etree.XPath(value)
        else:
            HTMLTranslator().css_to_xpath(value)
    except Exception as problem:  # noqa: BLE001 - any selector error is the row's error
        raise RegistryError(f"{where}: bad {column} {value!r} ({type(problem).__name__})") from None


def _check_encoding(value: str, where: str) -> None:
    try:
        codecs.lookup(value)
    except LookupError:
        raise RegistryError(f"{where}: unknown encoding {value!r} (a Python codec name such as gbk, gb18030, utf-8)") from None


def parse_site_row(row: dict, where: str) -> Site:
    """One registry row to a ``Site``; ``where`` (``file:line``) prefixes every error."""
    name = (row.get("name") or "").strip()
    region = (row.get("region_code") or "").strip()
    url = (row.get("url") or "").strip()
    family = (row.get("family") or "").strip().lower()
    _check_name(name, where)
    if region and not _REGION.match(region):
        raise RegistryError(f"{where}: bad region_code {region!r} (digits of a 行政区划代码)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        raise RegistryError(f"{where}: malformed url {url!r} (need http(s)://host/path)")
    if family and family not in FAMILIES:
        raise RegistryError(f"{where}: unknown family {family!r} (one of {', '.join(FAMILIES)} or empty)")
    extra = {column: (row.get(column) or "").strip() or None for column in OPTIONAL_COLUMNS}
    for column in ("list_selector", "body_selector"):
        if extra[column]:
            _check_selector(extra[column], column, where)
    if extra["encoding"]:
        _check_encoding(extra["encoding"], where)
    return Site(name=name, region_code=region or None, url=url, family=family or None, **extra)


def read_named_rows(path: str | Path, columns: tuple[str, ...], parse_row, error: type[ValueError], what: str) -> list:
    """The rows of a UTF-8 CSV file (``what``: "registry", "homes") through ``parse_row(row, where)``.

    A missing file, a missing column, a row with too many fields or a second row of the same
    ``name`` raises ``error`` with one line naming the file and line.
    """
    path = Path(path)
    if not path.is_file():
        raise error(f"{path}: {what} file not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in columns if c not in header]
        if missing:
            raise error(f"{path}:1: missing column(s) {', '.join(missing)} (header must be {','.join(columns)})")
        reader.fieldnames = header
        parsed: list = []
        seen: set[str] = set()
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if None in row:
                raise error(f"{where}: too many fields")
            record = parse_row(row, where)
            if record.name in seen:
                raise error(f"{where}: duplicate name {record.name!r}")
            seen.add(record.name)
            parsed.append(record)
    return parsed


def load_registry(path: str | Path, region: str | None = None) -> list[Site]:
    """Read a registry; keep rows whose region code starts with ``region`` when given."""
    sites = read_named_rows(path, COLUMNS, parse_site_row, RegistryError, "registry")
    if region:
        sites = [s for s in sites if (s.region_code or "").startswith(region)]
    return sites
