"""The item contract in one Scrapy-free place (the text is ``docs/report-item.md``; the schema
``schema/report-item.schema.json``).

``CONTRACT_FIELDS`` are the keys a JSON line holds, in this order (``page_meta``, ``revision`` and
``supersedes`` are the keys this project adds). ``INTERNAL_FIELDS`` carry raw material between pipeline stages (the page's HTML,
attachment bytes, body blocks, page hints) and never reach a line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from w3lib.url import canonicalize_url

CONTRACT_FIELDS = (
    "report_id",
    "url",
    "site",
    "region_code",
    "title",
    "organ",
    "year",
    "published",
    "format",
    "source",
    "attachments",
    "page_meta",
    "text",
    "sections",
    "active",
    "requests",
    "review_litigation",
    "validation",
    "warnings",
    "crawled_at",
    "parser_version",
    "revision",
    "supersedes",
)

INTERNAL_FIELDS = (
    "raw_html",
    "attachment_files",
    "body_blocks",
    "page_hints",
)


def canonical_url(url: str) -> str:
    """The URL in canonical form (sorted query, no fragment): what a report's id is made of."""
    return canonicalize_url(url, keep_fragments=False)


def report_id_for(url: str) -> str:
    """The contract's stable id: hex SHA-1 of the canonical URL of the report's source document."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()


def public_dict(item: Mapping) -> dict:
    """The item's public fields in contract order, then any other non-internal keys."""
    data = dict(item)
    ordered = {key: data[key] for key in CONTRACT_FIELDS if key in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered and k not in INTERNAL_FIELDS})
    return ordered
