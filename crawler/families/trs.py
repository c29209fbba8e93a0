"""拓尔思 TRS WCM columns: static ``index.html``, ``index_1.html`` … with the page count in script.

The count is only in ``createPageHTML(count, current, "index", "html")`` (also the variant with a
leading div name and a trailing total) or in ``var countPage = N``. TRS numbers pages from 0:
page n+1 is ``index_n``; a call whose current index is 1 on the first page numbers from 1, so its
pages are ``name_2`` … ``name_count``. Full titles are in ``title=`` attributes.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from .base import Family, PageRequest, anchors_to_entries, dated_first, parse_fragment, uncomment_lists

CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*(?:[\"'][^\"']*[\"']\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*[\"']([^\"']+)[\"']\s*,\s*[\"']([^\"']+)[\"']"
)
COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*[\"']?(\d+)")
_PAGE_NAME = re.compile(r"/([A-Za-z0-9]+?)(?:_(\d+))?\.(s?html?)$")


class TrsFamily(Family):
    name = "trs"
    markers = (
        (r"createPageHTML\(\s*\d", 2), (r"var\s+countPage\s*=", 2), (r"/t\d{8}_\d+\.s?html", 2),
        (r"TRS_Editor|trs_editor_view|TRS_UEDITOR", 1), (r"\bP0\d{10,}\.\w+", 1),
    )

    def entries(self, response):
        root = parse_fragment(uncomment_lists(response.text))
        return dated_first(anchors_to_entries(root, response.url))

    def next_pages(self, response):
        text = uncomment_lists(response.text)
        match = CREATE_PAGE.search(text)
        if match:
            count, current, name, ext = int(match[1]), int(match[2]), match[3], match[4]
            return with_fallback(pages_from_call(response.url, count, current, name, ext), response.url, name, ext, count)
        match = COUNT_PAGE.search(text)
        if match:
            path = _PAGE_NAME.search(urlsplit(response.url).path)
            if path and path[2]:
                return []
            name, ext = (path[1], path[3]) if path else ("index", "html")
            count = int(match[1])
            urls = [urljoin(response.url, f"{name}_{n}.{ext}") for n in range(1, count)]
            return with_fallback(urls, response.url, name, ext, count)
        return []


def with_fallback(urls: list[str], base_url: str, name: str, ext: str, count: int) -> list[PageRequest]:
    """Page requests; ``name_1`` carries ``name_{count}`` in case the column numbers from 2."""
    first = urljoin(base_url, f"{name}_1.{ext}")
    last = urljoin(base_url, f"{name}_{count}.{ext}")
    return [PageRequest(u, if_missing=last if u == first else None) for u in urls]


def pages_from_call(url: str, count: int, current: int, name: str, ext: str) -> list[str]:
    """Pages of a column from its createPageHTML call on the column's first page.

    ``current`` is 0 on the first page of a 0-based column (TRS) and 1 on the first page of a
    1-based one. A later page (``name_N``) asks for nothing: the first page already asked for all.
    """
    path = _PAGE_NAME.search(urlsplit(url).path)
    if path and path[2]:
        return []
    numbers = range(2, count + 1) if current == 1 else range(1, count)
    return [urljoin(url, f"{name}_{n}.{ext}") for n in numbers]
