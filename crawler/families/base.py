"""The base every CMS family extends, and the helpers the families share.

A family is one unit: one module under ``crawler/families/`` with one ``Family`` subclass that
carries its name, its detection markers and its two list-page methods (the contract is the
``Family`` docstring). ``crawler.families.detect`` finds the subclasses itself, so adding a family
is that module, a frozen list page under ``tests/fixtures/pages/`` and its tests; nothing else is
edited. A leaf site is a registry row, never a subclass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from lxml import html as lxml_html

from pipelines.cleaning.meta import iso_date
from pipelines.document import normalize_space

if TYPE_CHECKING:
    from scrapy.http import TextResponse

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
    """Base of the CMS families: turns one fetched list page of a report column into links.

    Class attributes:

    * ``name``: the registry's ``family`` value (lower case, unique);
    * ``markers``: ``(regex, weight)`` pairs searched in a list page's text and URL; the family
      whose markers weigh most (at least ``detect.MIN_SCORE``, and strictly most) is detected.

    Methods, on a decoded ``TextResponse`` (only ``url``, ``text``, ``body``, ``request`` and
    ``urljoin`` are read, so tests feed frozen responses):

    * ``entries(response)``: the articles the page lists, each a ``ListEntry`` with the absolute
      URL, the full title (the ``title=`` attribute before the visible, often truncated, text) and
      the date the list shows (``YYYY-MM-DD`` or None). Non-report links may be included: the
      spider's title classifier filters them.
    * ``next_pages(response)``: ``PageRequest``s for the other list pages of the column, up to the
      last one. Emitting every page at once, or the same page twice, is fine: the spider asks for
      each page once, so a family need not remember what it has asked for.
    * ``detect_without_markers(text, url)`` (optional): for a family with no markers (``generic``),
      a reason string when a page none of the marked families claims is still this family's.

    Families are stateless, import nothing from the spider and never raise on odd markup.
    """

    name: str = ""
    markers: tuple[tuple[str, int], ...] = ()
    _compiled: tuple = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._compiled = tuple((re.compile(pattern), weight) for pattern, weight in cls.markers)

    def score(self, haystack: str) -> int:
        """The summed weight of this family's markers found in ``haystack`` (page text + URL)."""
        return sum(weight for pattern, weight in self._compiled if pattern.search(haystack))

    def entries(self, response: TextResponse) -> list[ListEntry]:
        raise NotImplementedError

    def next_pages(self, response: TextResponse) -> list[PageRequest]:
        return []

    def detect_without_markers(self, text: str, url: str) -> str | None:
        return None
