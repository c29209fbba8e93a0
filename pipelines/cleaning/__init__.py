"""Chrome stripping: find a page's report body, drop site chrome and footers, keep tables.

Pure functions (nothing here imports Scrapy): bytes or str in, :class:`CleanPage` out.

Body finding order: CMS comment markers (Hanweb ``<!--<$[信息内容]>begin/end-->``, ZJEG,
``ContentStart/ContentEnd`` metas, Founder ``<!--enpcontent-->``), then per-family containers
(``#UCAP-CONTENT``, ``.trs_editor_view``, ``.TRS_Editor``, ``#zoom``, … by id or class token), then a
text-density fallback; an HTML fragment without a container is its own body. Inside the body,
scripts, styles, Word-paste heads, hidden blocks and widgets go (DOM pass), then chrome lines
(date/source/editor lines, tools, footers) go (line pass, :mod:`pipelines.cleaning.lines`). The
索引号/发布机构 block becomes ``page_meta``; title/date/source become ``hints``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from pipelines.cleaning.body import (
    body_by_containers,
    body_by_density,
    body_by_markers,
    cjk_count,
    drop_hidden_outside,
    is_fragment,
    parse_document,
    parse_fragment,
    strip_chrome_elements,
)
from pipelines.cleaning.encoding import decode_html, detect_encoding
from pipelines.cleaning.lines import CHROME_STRINGS, clean_blocks, clean_text, is_chrome_line
from pipelines.cleaning.meta import (
    enp_property,
    find_meta_blocks,
    iso_date,
    meta_content,
    page_title,
    url_date,
    visible_published,
    visible_source,
)
from pipelines.document import Block, Table, blocks_to_text, html_to_blocks, parse_html
from pipelines.strict import strict_mode
from pipelines.warning_codes import warning

__all__ = [
    "CHROME_STRINGS",
    "CleanPage",
    "clean_blocks",
    "clean_page",
    "clean_text",
    "decode_html",
    "detect_encoding",
    "is_chrome_line",
]


@dataclass
class CleanPage:
    """The cleaned page: body blocks and text, the metadata block, and title/date/source hints."""

    blocks: list[Block]
    text: str
    page_meta: dict = field(default_factory=dict)
    hints: dict = field(default_factory=dict)
    body_found_by: str = "whole"
    warnings: list[str] = field(default_factory=list)


def clean_page(html: str | bytes, url: str | None = None, body_selector: str | None = None) -> CleanPage:
    """Find the body of a portal page and strip everything that is not the report.

    ``body_selector`` (CSS, or XPath when it starts with ``/`` or ``(``: a registry override) is
    tried before the markers and containers. Never raises on bad markup: an empty page gives an
    empty body and a warning; a page the body finder cannot handle falls back to the whole page's
    text, line-cleaned, with a warning (in strict mode the body finder's error is raised instead).
    """
    markup = decode_html(bytes(html)) if isinstance(html, (bytes, bytearray)) else (html or "")
    try:
        return _clean(markup, url, body_selector)
    except Exception as exc:  # noqa: BLE001 - the body-finder boundary: one odd page must not stop a crawl (strict: a bug surfaces)
        if strict_mode():
            raise
        blocks = clean_blocks(html_to_blocks(parse_html(markup)))
        return CleanPage(
            blocks=blocks,
            text=blocks_to_text(blocks),
            body_found_by="whole",
            hints={"title": None, "published": url_date(url), "source": None},
            warnings=[warning("body_finder_failed", f"{type(exc).__name__}: {exc}; whole page line-cleaned")],
        )


def _select(root, selector: str) -> list:
    if selector.startswith(("/", "(")):
        found = root.xpath(selector)
    else:
        from cssselect import HTMLTranslator

        found = root.xpath(HTMLTranslator().css_to_xpath(selector))
    return [el for el in found if isinstance(getattr(el, "tag", None), str)]


def _find_body(markup: str, body_selector: str | None, warnings: list[str]):
    """``(found_by, body, root, body_in_root)``: the body element and the page it was found in."""
    if body_selector:
        root = parse_document(markup, warnings)
        chosen = _select(root, body_selector)
        if chosen:
            return "selector:registry", max(chosen, key=cjk_count), root, True
        warnings.append(warning("body_selector_missed", f"registry body_selector {body_selector!r} matched nothing"))
    marker = body_by_markers(markup)
    if marker:
        found_by, start, end = marker
        body = parse_fragment(markup[start:end])
        return found_by, body, parse_document(markup[:start] + markup[end:], warnings), False
    root = parse_document(markup, warnings)
    found = body_by_containers(root, markup)
    if found:
        return found[0], found[1], root, True
    if is_fragment(markup):
        return "whole", root, root, True
    drop_hidden_outside(root, None)
    body = body_by_density(root)
    if body is None:
        return "whole", root, root, True
    return "density", body, root, True


def _clean(markup: str, url: str | None, body_selector: str | None = None) -> CleanPage:
    warnings: list[str] = []
    found_by, body, root, body_in_root = _find_body(markup, body_selector, warnings)
    meta_hints = {
        "title": meta_content(root, "ArticleTitle") or enp_property(markup, "title") or page_title(root),
        "published": iso_date(meta_content(root, "PubDate", "publishdate", "firstpublishedtime", "pubtime")),
        "source": meta_content(root, "ContentSource"),
    }
    drop_hidden_outside(root, body if body_in_root else None)
    outside = _outside_blocks(root, body if body_in_root else None)
    strip_chrome_elements(body)
    blocks = html_to_blocks(body)
    page_meta, _ = find_meta_blocks(outside)
    body_meta, used = find_meta_blocks(blocks)
    for label, value in body_meta.items():
        page_meta.setdefault(label, value)
    lines = _lines(outside) + _lines(blocks)

    blocks = [b for i, b in enumerate(blocks) if i not in used]
    blocks = _drop_repeated_body(clean_blocks(blocks), warnings)
    if not blocks:
        warnings.append(warning("body_missing", "no body text found"))
    return CleanPage(
        blocks=blocks,
        text=blocks_to_text(blocks),
        page_meta=page_meta,
        hints=_hints(meta_hints, blocks, page_meta, lines, markup, url),
        body_found_by=found_by,
        warnings=warnings,
    )


def _hints(meta_hints: dict, blocks: list[Block], page_meta: dict, lines: list[str], markup: str, url: str | None) -> dict:
    """Title, date and source of the page: its meta tags first, then what the page shows."""
    return {
        "title": meta_hints["title"] or _leading_title(blocks),
        "published": meta_hints["published"]
        or iso_date(page_meta.get("发布日期"))
        or visible_published(lines)
        or iso_date(enp_property(markup, "date"))
        or url_date(url),
        "source": meta_hints["source"]
        or page_meta.get("信息来源")
        or page_meta.get("来源")
        or visible_source(lines)
        or enp_property(markup, "sourcename"),
    }


def _outside_blocks(root, body) -> list[Block]:
    """Blocks of the page around the body (metadata tables, date/source lines), body left out."""
    if body is root:
        return []
    if body is None or body.getparent() is None:
        return html_to_blocks(root)
    parent = body.getparent()
    placeholder = etree.Element("div")
    tail = body.tail
    parent.replace(body, placeholder)
    try:
        return html_to_blocks(root)
    finally:
        parent.replace(placeholder, body)
        body.tail = tail


def _lines(blocks: list[Block]) -> list[str]:
    """Paragraphs and the cells of tables (a layout table can hold the date line)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            out.extend(cell for row in block.own_rows() for cell in row if cell)
        else:
            out.append(block)
    return out


def _leading_title(blocks: list[Block]) -> str | None:
    """A fragment's first line, when it reads as a title (short, not a sentence)."""
    if blocks and isinstance(blocks[0], str) and 4 <= len(blocks[0]) <= 80 and "。" not in blocks[0]:
        return blocks[0]
    return None


def _drop_repeated_body(blocks: list[Block], warnings: list[str]) -> list[Block]:
    """A body printed twice in a row (screen copy + print copy) is kept once."""
    n = len(blocks)
    if n >= 2 and n % 2 == 0:
        half = n // 2
        if all(_same(blocks[i], blocks[half + i]) for i in range(half)):
            warnings.append(warning("body_repeated", "body repeated twice; kept once"))
            return blocks[:half]
    return blocks


def _same(a: Block, b: Block) -> bool:
    if isinstance(a, Table) and isinstance(b, Table):
        return a.cells == b.cells
    return a == b
