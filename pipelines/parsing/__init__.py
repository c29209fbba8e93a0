"""The report parser: body blocks in, the item's parsed fields out (pure functions, no Scrapy).

``parse_report(blocks, title=..., published=..., page_meta=...)`` reads a report given as blocks of
:mod:`pipelines.document` (``html_to_blocks`` for HTML bodies, ``text_to_blocks`` for text) and
returns ``format``, ``organ``, ``year``, ``published``, ``title``, ``sections``, the three tables
``active``, ``requests``, ``review_litigation`` and ``warnings``. ``validate_report(report)`` runs the
contract's four consistency rules.

Tables: for formats ``2021`` and ``2019`` every row and column key of the format is present, null
where the document prints no number (with a warning); for ``pre2019`` and ``unknown`` the three
tables are None.
"""

from __future__ import annotations

from pipelines.document import Block
from pipelines.warning_codes import warning

from .metadata import (
    REPORT_LIKE_RE,
    complete_organ,
    dump_header,
    find_sections,
    find_title,
    find_year,
    organ_from_title,
    parse_date,
    signature,
    text_lines,
    visible_date,
)
from .rows import blocks_to_rows
from .tables import build_tables, detect_format, scan
from .validation import validate_report

PARSER_VERSION = "1.0.0"

MAX_TITLE_LINE = 80  # a title is looked for at the start of a line (a text dump's body is one long line)
ORGAN_META_KEYS = ("发布机构", "发文机关", "发文机构", "发布机关", "发文单位")

__all__ = ["PARSER_VERSION", "parse_report", "validate_report"]


def _format_for_year(year: int | None) -> str | None:
    if year is None:
        return None
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return None


def _decide_format(printed: str | None, found, year: int | None, report_like: bool, structured: bool, warnings: list[str]) -> str:
    """The item's format: the one section 二's headers print; else inferred from the tables found
    (（六）'s sub-rows) or the year; ``pre2019`` for a report before 2019 without tables; else
    ``unknown``. Each inference leaves a warning."""
    if found.any_table:
        if printed is not None:
            return printed
        fmt = "2021" if any(k in found.requests for k in ("other_overdue_correction", "other_unpaid_fee")) else None
        fmt = fmt or _format_for_year(year) or "2021"
        warnings.append(warning("format_inferred", f"format not printed in section 二's headers: taken as {fmt}"))
        return fmt
    if structured or (report_like and year is not None and year >= 2019):
        warnings.append(warning("tables_missing", "no table found (tables may be images or in an attachment)"))
        return _format_for_year(year) or printed or "2021"
    if report_like and year is not None and year < 2019:
        return "pre2019"
    if not report_like:
        warnings.append(warning("not_a_report", "not an annual report: no title, table or section of one found"))
    return "unknown"


def parse_report(
    blocks: list[Block],
    *,
    title: str | None = None,
    published: str | None = None,
    page_meta: dict | None = None,
) -> dict:
    """Parse one report (see the module docstring for the returned keys)."""
    warnings: list[str] = []
    header, blocks = dump_header(blocks)
    lines = text_lines(blocks)
    page_meta = {**{k: v for k, v in header.items() if k not in ("标题", "发布时间", "发布日期")}, **(page_meta or {})}
    title = title or header.get("标题")
    published = published or header.get("发布时间") or header.get("发布日期")

    title = (title or "").strip() or find_title(lines)
    signed_organ, signed_date = signature(lines)

    published_date = parse_date(published) if published else None
    if published and not published_date:
        warnings.append(warning("published_unreadable", f"publication date hint {published!r} unreadable"))
    published_date = published_date or visible_date(lines) or signed_date

    meta_organ = next((str(page_meta[k]).strip() for k in ORGAN_META_KEYS if page_meta.get(k)), None)
    organ = organ_from_title(title) or meta_organ or signed_organ
    if organ:
        organ = complete_organ(organ, [name for name in (meta_organ, signed_organ) if name] + lines)
    else:
        warnings.append(warning("organ_missing", "organ not found"))

    year = find_year(title, lines)

    sections, _ = find_sections(blocks)
    rows = blocks_to_rows(blocks)
    fmt = detect_format(rows)
    scanned_as = fmt or _format_for_year(year) or "2021"
    found = scan(rows, scanned_as)
    report_like = bool(REPORT_LIKE_RE.search(title or "")) or any(REPORT_LIKE_RE.search(line[:MAX_TITLE_LINE]) for line in lines[:5])
    if year is None and published_date and (report_like or found.any_table):
        year = int(published_date[:4]) - 1
        warnings.append(warning("year_inferred", f"year not printed: taken as the publication year minus one ({year})"))
    elif year is None:
        warnings.append(warning("year_missing", "year not found"))
    structured = sections["requests"] is not None and any("收到和处理" in line for line in lines)

    fmt = _decide_format(fmt, found, year, report_like, structured, warnings)
    active = requests = review = None
    if fmt in ("2021", "2019"):
        if fmt != scanned_as:
            found = scan(rows, fmt)
        active, requests, review = build_tables(found, fmt, warnings)

    return {
        "format": fmt,
        "organ": organ,
        "year": year,
        "published": published_date,
        "title": title or None,
        "sections": sections,
        "active": active,
        "requests": requests,
        "review_litigation": review,
        "warnings": warnings,
    }
