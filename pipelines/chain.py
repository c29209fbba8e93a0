"""The report chain as pure steps: strip -> parse -> validate.

Each pipeline stage (``strip.py``, ``parse.py``, ``validate.py``) is a thin Scrapy adapter around
one step here, and ``python -m pipelines.parse`` runs the same steps in the same order on saved
files, so a crawl and an offline re-parse give the same item for the same page.

A step takes the item as a plain ``dict`` (or anything with ``dict``-style access), updates it in
place and returns it. Steps never raise on bad input: what they could not do goes to
``item["warnings"]``.
"""

from __future__ import annotations

from typing import Any, MutableMapping

from pipelines.cleaning import clean_blocks, clean_page
from pipelines.contract import report_id_for
from pipelines.document import Block, blocks_to_text, text_to_blocks
from pipelines.parsing import PARSER_VERSION, parse_report, validate_report
from pipelines.parsing.metadata import SECTION_KEYS
from pipelines.readers.sandbox import read_attachment_bounded as read_attachment
from pipelines.warning_codes import in_context, warning

Item = MutableMapping[str, Any]

#: Formats ranked by how much of the contract a parse fills; the best source wins.
FORMAT_RANK = {"2021": 2, "2019": 2, "pre2019": 1, "unknown": 0}
FULL_RANK = 3


def _rank(parsed: dict) -> int:
    """How much of the contract a parse fills: an official format with numbers read ranks above
    one whose tables were not found (a page saying 详见附件, tables pasted as images)."""
    rank = FORMAT_RANK.get(parsed.get("format"), 0)
    if rank == 2 and any(_has_number(parsed.get(table)) for table in ("active", "requests", "review_litigation")):
        return FULL_RANK
    return rank


def _has_number(table) -> bool:
    return bool(table) and any(value is not None for columns in table.values() for value in columns.values())


#: Attachment kinds worth reading as a possible report text.
READABLE_KINDS = frozenset({"pdf", "docx", "doc", "wps", "xls", "xlsx", "ofd", "image", "text", "html"})

EMPTY_SECTIONS = dict.fromkeys(SECTION_KEYS)

#: a page longer than this (characters) is read up to here: report pages are far shorter, and the
#: cleaning and parsing steps must stay bounded in time and memory on a 50 MB answer
MAX_PAGE_CHARS = 5_000_000


def _warnings(item: Item) -> list[str]:
    if item.get("warnings") is None:
        item["warnings"] = []
    return item["warnings"]


def _add_warnings(item: Item, new: list[str]) -> None:
    existing = _warnings(item)
    existing.extend(w for w in new if w not in existing)


def strip_step(item: Item) -> Item:
    """Find the body of the page (or clean the text of a text source) and drop the chrome.

    Reads ``raw_html`` (a page) or, for a text source, ``text``; sets ``body_blocks``, ``text``,
    ``page_meta`` and ``page_hints`` (with ``body_found_by``: how the body was found, ``text`` for a
    text source, ``no_page`` for a report that is only a file).
    """
    raw_html = item.get("raw_html")
    if raw_html and len(raw_html) > MAX_PAGE_CHARS:
        _add_warnings(item, [warning("page_truncated", f"page of {len(raw_html)} characters read up to {MAX_PAGE_CHARS}")])
        raw_html = raw_html[:MAX_PAGE_CHARS]
    if raw_html:
        body_selector = (item.get("page_hints") or {}).get("body_selector")  # a registry override
        page = clean_page(raw_html, url=item.get("url"), body_selector=body_selector)
        item["body_blocks"] = page.blocks
        item["text"] = page.text
        item["page_meta"] = page.page_meta
        item["page_hints"] = {**page.hints, "body_found_by": page.body_found_by}
        _add_warnings(item, page.warnings)
    else:
        text = item.get("text") or ""
        blocks = clean_blocks(text_to_blocks(text))
        item["body_blocks"] = blocks
        item["text"] = blocks_to_text(blocks)
        item.setdefault("page_meta", {})
        item["page_hints"] = {**(item.get("page_hints") or {}), "body_found_by": "text" if text else "no_page"}
    if item.get("page_meta") is None:
        item["page_meta"] = {}
    return item


def _parse_blocks(blocks: list[Block], item: Item) -> dict:
    hints = item.get("page_hints") or {}
    return parse_report(
        blocks,
        title=hints.get("title") or item.get("title"),
        published=hints.get("published") or item.get("published"),
        page_meta=item.get("page_meta") or {},
    )


def _attachment_candidates(item: Item):
    files = item.get("attachment_files") or {}
    for attachment in item.get("attachments") or []:
        data = files.get(attachment.get("url"))
        if data is None or attachment.get("kind") not in READABLE_KINDS:
            continue
        yield attachment, data


def parse_step(item: Item) -> Item:
    """Parse the report: the page body first, then each readable attachment; the best wins.

    The page body is the source when it already holds a report in the official format. Otherwise
    (a page that says 详见附件, or tables pasted as images) every downloaded attachment is read and
    parsed, and the one of the highest format rank becomes the source; ``source`` says which, and
    ``text`` becomes that document's text.
    """
    body_blocks = item.get("body_blocks") or []
    best = _parse_blocks(body_blocks, item)
    source = dict(item.get("source") or {"kind": "html", "url": item.get("url"), "sha256": None})
    best_text = None
    best_rank = _rank(best)
    if best_rank < FULL_RANK:
        for attachment, data in _attachment_candidates(item):
            read = read_attachment(data, attachment.get("filename"))
            blocks = clean_blocks(read.blocks)
            if not blocks:
                _add_warnings(item, [in_context(w, f"attachment {attachment.get('url')}") for w in read.warnings])
                continue
            parsed = _parse_blocks(blocks, item)
            parsed_rank = _rank(parsed)
            if parsed_rank > best_rank:
                best, best_rank = parsed, parsed_rank
                best["warnings"] = list(read.warnings) + best["warnings"]
                source = {"kind": read.kind, "url": attachment.get("url"), "sha256": attachment.get("sha256")}
                best_text = blocks_to_text(blocks)
            if best_rank >= FULL_RANK:
                break
    if best_text is not None:
        item["text"] = best_text
        if source.get("url"):
            item["report_id"] = report_id_for(source["url"])
    item["source"] = source
    for key in ("format", "organ", "year", "published", "sections", "active", "requests", "review_litigation"):
        item[key] = best.get(key)
    if not item.get("title"):
        item["title"] = best.get("title")
    if item.get("sections") is None:
        item["sections"] = dict(EMPTY_SECTIONS)
    item["parser_version"] = PARSER_VERSION
    _add_warnings(item, best.get("warnings") or [])
    return item


def validate_step(item: Item) -> Item:
    """Run the contract's consistency rules; the printed numbers are never corrected."""
    validation, warnings = validate_report(dict(item))
    item["validation"] = validation
    _add_warnings(item, warnings)
    return item


def run_chain(item: Item) -> Item:
    """strip -> parse -> validate, as the crawl's stages run them."""
    return validate_step(parse_step(strip_step(item)))
