"""The contract every CMS family keeps, and the helpers they share.

A family turns one fetched list page of a report column into

* ``entries(response)``: the articles the page lists, each a ``ListEntry`` with the absolute URL,
  the full title (the ``title=`` attribute before the visible, often truncated, text) and the
  date the list shows (``YYYY-MM-DD`` or None);
* ``next_pages(response)``: ``PageRequest``s for the other list pages of the column, up to the last
  one. Emitting every page at once, or the same page twice, is fine: the crawler's duplicate filter
  drops repeats, so a family need not remember what it has already asked for.

Auto-detection is not a family method: ``detect.py`` scores each family's page markers. Families are stateless and
import nothing from the spider; they read Scrapy ``TextResponse`` objects only for ``url``,
``text`` and ``urljoin``, so unit tests feed them frozen responses. A leaf site is a registry row,
never a subclass.

Adding a family: write ``families/<name>.py`` with a ``Family`` subclass (``name``, ``entries``,
``next_pages``), register it in ``detect.FAMILIES`` with its page markers in ``detect.MARKERS``
(the registry accepts those names), and test it on a frozen list page saved as raw bytes under
``tests/fixtures/pages/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import html as lxml_html

from pipelines.cleaning.meta import iso_date
from pipelines.document import normalize_space

_SKIP_HREF = re.compile(r"^(javascript:|mailto:|tel:|#)", re.I)
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)


@dataclass(frozen=True)
class ListEntry:
    url: str
    title: str
    published: str | None = None


@dataclass(frozen=True)
class PageRequest:
    """A list page to fetch: GET ``url``, or POST ``formdata`` (form-encoded) when given.

    ``if_missing`` names a page to fetch instead when this one is a 404 (a TRS column that
    numbers its pages from 2 has no ``index_1`` but an extra ``index_N`` at the end).
    """

    url: str
    method: str = "GET"
    formdata: dict = field(default_factory=dict, hash=False, compare=False)
    kind: str = "html"
    if_missing: str | None = field(default=None, hash=False, compare=False)


def uncomment_lists(text: str) -> str:
    """Unwrap HTML comments that hold list markup (``<li>``/``<a href``), keep the others.

    Some templates (Gansu 集约化) ship the whole rendered list inside ``<!-- … -->``.
    """

    def unwrap(match: re.Match) -> str:
        inner = match.group(1)
        if re.search(r"<a\s[^>]*href", inner, re.I) and re.search(r"<(li|tr)\b", inner, re.I):
            return inner
        return match.group(0)

    return _COMMENT.sub(unwrap, text)


def parse_fragment(markup: str):
    """Parse markup (a page or a fragment) to an lxml tree without network access."""
    if not markup.strip():
        return None
    try:
        return lxml_html.document_fromstring(markup)
    except (ValueError, lxml_html.etree.ParserError):
        return None


def anchors_to_entries(root, base_url: str, anchors=None) -> list[ListEntry]:
    """Entries from anchors: full title from ``title=``, date from the enclosing row's text."""
    if root is None:
        return []
    entries: list[ListEntry] = []
    for anchor in anchors if anchors is not None else root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or _SKIP_HREF.match(href) or ("/module/" in href and "downfile.jsp" not in href):
            continue
        text = normalize_space(anchor.text_content())
        title = normalize_space(anchor.get("title") or "") or text
        if not title or (len(title) < 4 and not text.endswith("…")):
            continue
        row = anchor
        for _ in range(3):
            parent = row.getparent()
            if parent is None:
                break
            row = parent
            if row.tag in ("li", "tr", "dd", "p"):
                break
        published = iso_date(row.text_content()) if row is not anchor else None
        entries.append(ListEntry(url=urljoin(base_url, href), title=title, published=published))
    return unique_entries(entries)


def dated_first(entries: list[ListEntry]) -> list[ListEntry]:
    """The entries whose row shows a date (the list proper), or all when none does."""
    dated = [e for e in entries if e.published]
    return dated or entries


def unique_entries(entries: list[ListEntry]) -> list[ListEntry]:
    """Drop repeated URLs, keeping the longest title and any date seen."""
    best: dict[str, ListEntry] = {}
    for entry in entries:
        old = best.get(entry.url)
        if old is None:
            best[entry.url] = entry
        else:
            title = entry.title if len(entry.title) > len(old.title) else old.title
            best[entry.url] = ListEntry(entry.url, title, old.published or entry.published)
    return list(best.values())


class Family:
    """Base of the CMS families (see the module docstring for the contract)."""

    name = "base"

    def entries(self, response) -> list[ListEntry]:
        raise NotImplementedError

    def next_pages(self, response) -> list[PageRequest]:
        return []
