"""A feed of real parsed items for the dataset tests, varied the way real crawls vary: two portals
carrying one document, a re-crawl, a revision, three years of one organ under three spellings
with a cross-year mismatch, 万元 decimals, blank cells, both formats, a pre-2019 report and a page
that is not a report.
"""

from __future__ import annotations

import copy
import hashlib
import json
from functools import cache
from pathlib import Path

from tests.helpers import FIXTURES


def _rid(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@cache
def _parsed(name: str) -> dict:
    from pipelines.parse import parse_file

    item, error = parse_file(FIXTURES / name)
    assert error is None, error
    return item


def parsed(name: str, site: str | None, region: str | None, url: str, crawled_at: str = "2026-11-01T08:00:00Z") -> dict:
    item = copy.deepcopy(_parsed(name))
    item.update(site=site, region_code=region, url=url, report_id=_rid(url), crawled_at=crawled_at)
    item["source"] = dict(item["source"], url=url)
    return item


def feed_items() -> list[dict]:
    """The feed's lines in order; see the module docstring for what each one tests."""
    base = "http://127.0.0.2/xxgk/nb/"
    h2021 = parsed("seeds/001_486c4dbf7b9bad2b.txt", "fangzheng", "230124", base + "2021.html")
    h2022 = parsed("seeds/001_486c4dbf7b9bad2b.txt", "fangzheng", "230124", base + "2022.html")
    h2022.update(organ="会发镇人民政府", year=2022, title="会发镇人民政府2022年政府信息公开工作年度报告", published="2023-01-15")
    h2022["source"]["sha256"] = "a" * 64
    h2022["requests"]["carried_over"]["total"] = (h2021["requests"]["carried_forward"]["total"] or 0) + 3
    h2022["requests"]["carried_forward"]["total"] = 7
    # the same document on the township's own portal: one row with both URLs
    h2022_township = copy.deepcopy(h2022)
    township_url = "http://127.0.0.3/huifa/gk/2022nb.html"
    h2022_township.update(site="huifa", region_code="230124100", url=township_url, report_id=_rid(township_url))
    h2023 = parsed("seeds/001_486c4dbf7b9bad2b.txt", "fangzheng", "230124", base + "2023.html")
    h2023.update(organ="会发镇政府", year=2023, title="会发镇2023年政府信息公开工作年度报告", published="2024-01-20")
    h2023["source"]["sha256"] = "b" * 64
    h2023["requests"]["carried_over"]["total"] = 7
    # blanks and a 万元 decimal, crawled twice: the later line wins
    xiling = parsed("parsing/placeholders-2021.txt", "xiling", "410102", "http://127.0.0.4/nb/2022.html")
    xiling_again = copy.deepcopy(xiling)
    xiling_again["crawled_at"] = "2026-11-02T08:00:00Z"
    xiling_again["active"]["fees"]["amount"] = 12.345678
    # a revision: same organ, year and title, published later under another URL
    dongh = parsed("parsing/arithmetic-error-2021.txt", "donghu", "420106", "http://127.0.0.5/nb/2023.html")
    dongh_revised = parsed("parsing/arithmetic-error-2021.txt", "donghu", "420106", "http://127.0.0.5/nb/2023-revised.html")
    dongh_revised["published"] = "2024-03-01"
    dongh_revised["source"]["sha256"] = "c" * 64
    dongh_revised["requests"]["new"]["natural_person"] = 11
    return [
        h2021,
        h2022,
        xiling,
        h2022_township,
        h2023,
        parsed("parsing/spaced-2019.txt", "qingshan", "420107", "http://127.0.0.6/nb/2020.html"),
        parsed("parsing/shanghai-office-2019.html", "shanghai", "310000", "http://127.0.0.7/nb/2019.html"),
        parsed("parsing/word-2021.html", "qingshi", "410103", "http://127.0.0.8/nb/2022.html"),
        dongh,
        parsed("parsing/pre2019.txt", "baihe", "610929", "http://127.0.0.9/nb/2017.html"),
        parsed("parsing/not-report.html", "qingshan", "420107", "http://127.0.0.6/news/1.html"),
        xiling_again,
        dongh_revised,
    ]


def write_feed(path: Path, items: list[dict] | None = None) -> Path:
    items = feed_items() if items is None else items
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    return path


def last_lines(path: Path) -> dict[str, dict]:
    """``report_id`` -> its last JSON line in the feed: what every exported number must equal."""
    lines = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        lines[item["report_id"]] = item
    return lines
