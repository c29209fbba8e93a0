"""Reading the crawl's feeds: JSON lines, later lines of the same report winning, and one record
per report however many portals carried it.

Three steps, each keeping the latest line:

1. same ``report_id`` (a re-crawl or a re-parse of the same document): the later line wins;
2. same source document (``source.sha256``): the report found on two portals (a county page and its
   township's page) is one record;
3. same organ, year and title on any site: a revised report replaces the earlier one
   (the later ``published`` date, then the later ``crawled_at``, then the later line wins).

The kept record gets ``urls`` and ``sites``: every page and portal it was found on, its own first.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from govreports.dataset.organs import organ_key

_SPACE = re.compile(r"\s+")


@dataclass
class Feed:
    """What the feeds held: the records kept and what could not be read."""

    records: list[dict]
    lines: int = 0
    problems: list[str] = field(default_factory=list)
    merged: int = 0  # lines folded into another record (re-crawls, duplicates, revisions)


def read_lines(paths) -> tuple[list[dict], int, list[str]]:
    """Every JSON object of the files, in order; a line that is not one is named in ``problems``."""
    items, count, problems = [], 0, []
    for path in map(Path, paths):
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                count += 1
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as error:
                    problems.append(f"{path}:{number}: not a JSON line ({error.msg})")
                    continue
                if not isinstance(item, dict) or not item.get("report_id") or not item.get("url"):
                    problems.append(f"{path}:{number}: not a report item (needs report_id and url)")
                    continue
                items.append(item)
    return items, count, problems


def _title_key(title: str | None) -> str | None:
    return _SPACE.sub("", unicodedata.normalize("NFKC", title)) if title else None


def _recency(item: dict, order: int) -> tuple:
    return (item.get("published") or "", item.get("crawled_at") or "", order)


def _fold(groups: dict, key, entry) -> None:
    """Keep the most recent entry under ``key``; the other's URLs and sites join the kept one's."""
    kept = groups.get(key)
    if kept is None:
        groups[key] = entry
        return
    newer, older = (entry, kept) if _recency(entry[1], entry[0]) >= _recency(kept[1], kept[0]) else (kept, entry)
    newer[1]["urls"] = _union(newer[1]["urls"], older[1]["urls"])
    newer[1]["sites"] = _union(newer[1]["sites"], older[1]["sites"])
    groups[key] = newer


def _union(first: list, second: list) -> list:
    return list(dict.fromkeys([*first, *second]))


def merge_items(items: list[dict]) -> list[dict]:
    """One record per report (see the module's docstring), in the order of first appearance."""
    by_id: dict = {}
    first_seen: dict = {}
    for order, item in enumerate(items):
        rid = item["report_id"]
        first_seen.setdefault(rid, order)
        previous = by_id.get(rid)
        record = dict(item)
        record["urls"] = _union([item["url"]], previous[1]["urls"] if previous else [])
        record["sites"] = _union([item.get("site")] if item.get("site") else [], previous[1]["sites"] if previous else [])
        record["organ_key"] = organ_key(item.get("organ"), item.get("region_code"))
        by_id[rid] = (order, record)
    stages = [
        lambda r: ("sha256", (r.get("source") or {}).get("sha256")),
        lambda r: ("title", r["organ_key"], r.get("year"), _title_key(r.get("title")))
        if r["organ_key"] and r.get("year") and r.get("title")
        else None,
    ]
    entries = list(by_id.values())
    for stage in stages:
        groups: dict = {}
        alone = []
        for entry in entries:
            key = stage(entry[1])
            if key is None or key[-1] is None:
                alone.append(entry)
            else:
                _fold(groups, key, entry)
        entries = alone + list(groups.values())
    entries.sort(key=lambda entry: first_seen[entry[1]["report_id"]])
    return [record for _, record in entries]


def read_feeds(paths) -> Feed:
    items, count, problems = read_lines(paths)
    records = merge_items(items)
    return Feed(records=records, lines=count, problems=problems, merged=len(items) - len(records))
