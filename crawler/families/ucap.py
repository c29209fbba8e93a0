"""开普云 Ucap / 集约化 (CMSPRO) columns.

Rendered pages keep a literal ``<cmspro_documents>`` element around the list; Gansu-style pages
ship the rendered ``<li>`` list and its ``createPageHTML('page_div', count, current, name, ext,
total)`` call inside an HTML comment, so comments holding list markup are unwrapped first.
Pagination follows the ``createPageHTML`` call (1-based: ``name_2`` … ``name_count``).
"""

from __future__ import annotations

from .base import Family, PageRequest, anchors_to_entries, dated_first, parse_fragment, uncomment_lists
from .trs import CREATE_PAGE, pages_from_call


class UcapFamily(Family):
    name = "ucap"
    markers = (
        (r"<cmspro_documents", 4), (r"UCAP-CONTENT", 3), (r"createPageHTML\(\s*['\"]page[_-]div", 1),
        (r"/c\d+/\d{6}/\d+\.shtml", 2), (r"/xhtml/", 1),
    )

    def entries(self, response):
        root = parse_fragment(uncomment_lists(response.text))
        if root is None:
            return []
        lists = root.xpath("//cmspro_documents")
        anchors = [a for container in lists for a in container.iter("a")] if lists else None
        return dated_first(anchors_to_entries(root, response.url, anchors))

    def next_pages(self, response):
        match = CREATE_PAGE.search(uncomment_lists(response.text))
        if not match:
            return []
        count, current, name, ext = int(match[1]), int(match[2]), match[3], match[4]
        return [PageRequest(u) for u in pages_from_call(response.url, count, current, name, ext)]
