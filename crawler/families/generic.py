"""Sites of no known CMS: plain link lists (``<ul><li>``, table layouts) with ordinary pagination.

Entries are the anchors of the page whose row shows a date (all anchors when none does).
Pagination follows links reading 下一页/下页/尾页/末页/numbers whose URL looks like a list page
(``?page=N``, ``pageNo=N``, ``index_N.html``, ``list_N.html``…); the duplicate filter stops loops.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from pipelines.document import normalize_space

from .base import Family, PageRequest, anchors_to_entries, dated_first, parse_fragment, uncomment_lists

NEXT_WORDS = re.compile(r"^(下一页|下页|后页|尾页|末页|最后一页|>|»|›|\d{1,4})$")
PAGE_HREF = re.compile(r"([?&](page|pageNo|pageNum|pageIndex|currpage|curPage|p)=\d+)|(_\d+\.s?html?$)|(/\d+\.s?html?$)", re.I)


def has_pagination(text: str) -> bool:
    """Whether a page shows ordinary pagination (下一页 or ``?page=N`` links)."""
    return "下一页" in text or bool(re.search(r"[?&](page|pageNo|pageNum)=\d", text))


class GenericFamily(Family):
    name = "generic"

    def detect_without_markers(self, text, url):
        """A dated link list (3 or more dated links, or one with ordinary pagination)."""
        dated = [e for e in anchors_to_entries(parse_fragment(uncomment_lists(text)), url or "http://localhost/") if e.published]
        if len(dated) >= 3 or (dated and has_pagination(text)):
            return f"{len(dated)} dated links"
        return None

    def entries(self, response):
        root = parse_fragment(uncomment_lists(response.text))
        entries = [e for e in anchors_to_entries(root, response.url) if not NEXT_WORDS.match(e.title)]
        return dated_first(entries)

    def next_pages(self, response):
        root = parse_fragment(response.text)
        if root is None:
            return []
        host = urlsplit(response.url).hostname
        pages = []
        for anchor in root.iter("a"):
            href = (anchor.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "#")):
                continue
            url = urljoin(response.url, href)
            if urlsplit(url).hostname != host or url == response.url:
                continue
            text = normalize_space(anchor.text_content())
            if NEXT_WORDS.match(text) and (PAGE_HREF.search(url) or text in ("下一页", "下页", "尾页", "末页")):
                pages.append(PageRequest(url))
        return list(dict.fromkeys(pages))
