"""Pick a page's CMS family by its markers (formats-and-portals.md, Part C.1).

Each family scores the markers it shows; the best score of at least ``MIN_SCORE`` wins. A page
with no family markers but a dated link list is ``generic``; anything else is undetectable and
``detect_family`` returns ``(None, reason)`` so the crawl reports the site instead of guessing.
"""

from __future__ import annotations

import re

from .base import anchors_to_entries, parse_fragment, uncomment_lists
from .generic import GenericFamily, has_pagination
from .hanweb import HanwebFamily
from .trs import TrsFamily
from .ucap import UcapFamily

FAMILIES = {f.name: f for f in (TrsFamily(), HanwebFamily(), UcapFamily(), GenericFamily())}
MIN_SCORE = 2

MARKERS = {
    "hanweb": [
        (r"<datastore>", 3), (r"dataproxy\.jsp", 3), (r"var\s+listData\s*=\s*\{\s*articleList", 3),
        (r"/jpage/", 1), (r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html", 1), (r"大汉", 1),
    ],
    "trs": [
        (r"createPageHTML\(\s*\d", 2), (r"var\s+countPage\s*=", 2), (r"/t\d{8}_\d+\.s?html", 2),
        (r"TRS_Editor|trs_editor_view|TRS_UEDITOR", 1), (r"\bP0\d{10,}\.\w+", 1),
    ],
    "ucap": [
        (r"<cmspro_documents", 4), (r"UCAP-CONTENT", 3), (r"createPageHTML\(\s*['\"]page[_-]div", 1),
        (r"/c\d+/\d{6}/\d+\.shtml", 2), (r"/xhtml/", 1),
    ],
}


def family_scores(text: str, url: str = "") -> dict[str, int]:
    haystack = text + " " + url
    return {name: sum(weight for pattern, weight in markers if re.search(pattern, haystack)) for name, markers in MARKERS.items()}


def detect_family(text: str, url: str = "") -> tuple[str | None, str]:
    """``(family name or None, reason)`` for a list page's text."""
    scores = family_scores(text, url)
    best = max(scores, key=scores.get)
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] >= MIN_SCORE and ranked[0] > ranked[1]:
        return best, f"markers {scores}"
    dated = [e for e in anchors_to_entries(parse_fragment(uncomment_lists(text)), url or "http://localhost/") if e.published]
    if len(dated) >= 3 or (dated and has_pagination(text)):
        return "generic", f"no CMS markers ({scores}); {len(dated)} dated links"
    return None, f"no CMS markers ({scores}) and no dated link list"


def get_family(name: str):
    return FAMILIES[name]
