"""The site registry: a CSV file ``name,region_code,url,family``, one report column per row.

``url`` is the first list page of the portal's annual-report column; ``family`` is one of
``FAMILIES`` or empty (detect it from the page). A bad row stops the load with an error naming
the file and line, so a typo never silently drops a site.

Adding a site is adding a row: a unique ``name``, the 6-digit 行政区划代码, the column's first list
page, and the family when known (leave it empty to detect it; the crawl log names the family it
detected, and an undetectable site shows as ``undetected`` in the summary). Only the hosts of
the registry are followed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.families.detect import FAMILIES

COLUMNS = ("name", "region_code", "url", "family")
_REGION = re.compile(r"^\d{2,12}$")


class RegistryError(ValueError):
    """A registry file that cannot be used as it is."""


@dataclass(frozen=True)
class Site:
    name: str
    region_code: str | None
    url: str
    family: str | None

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


def parse_site_row(row: dict, where: str) -> Site:
    """One registry row to a ``Site``; ``where`` (``file:line``) prefixes every error."""
    name = (row.get("name") or "").strip()
    region = (row.get("region_code") or "").strip()
    url = (row.get("url") or "").strip()
    family = (row.get("family") or "").strip().lower()
    if not name or not name.isprintable():
        raise RegistryError(f"{where}: bad site name {name!r} (printable text needed, Chinese welcome)")
    if region and not _REGION.match(region):
        raise RegistryError(f"{where}: bad region_code {region!r} (digits of a 行政区划代码)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        raise RegistryError(f"{where}: malformed url {url!r} (need http(s)://host/path)")
    if family and family not in FAMILIES:
        raise RegistryError(f"{where}: unknown family {family!r} (one of {', '.join(FAMILIES)} or empty)")
    return Site(name=name, region_code=region or None, url=url, family=family or None)


def load_registry(path: str | Path, region: str | None = None) -> list[Site]:
    """Read a registry; keep rows whose region code starts with ``region`` when given."""
    path = Path(path)
    if not path.is_file():
        raise RegistryError(f"{path}: registry file not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise RegistryError(f"{path}:1: missing column(s) {', '.join(missing)} (header must be {','.join(COLUMNS)})")
        reader.fieldnames = header
        sites: list[Site] = []
        seen: set[str] = set()
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if None in row:
                raise RegistryError(f"{where}: too many fields")
            site = parse_site_row(row, where)
            if site.name in seen:
                raise RegistryError(f"{where}: duplicate site name {site.name!r}")
            seen.add(site.name)
            sites.append(site)
    if region:
        sites = [s for s in sites if (s.region_code or "").startswith(region)]
    return sites
