"""The report item: the fields of the item contract (``../shared/spec/report-item.md``).

Fields in ``CONTRACT_FIELDS`` are what the JSON-lines sink writes, in this order. Fields in
``INTERNAL_FIELDS`` carry raw material between pipeline stages (the page's HTML, attachment
bytes, the body blocks) and are removed by the last stage before an item is written.
"""

import hashlib

import scrapy
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
)

INTERNAL_FIELDS = (
    "raw_html",
    "attachment_files",
    "body_blocks",
    "page_hints",
)


class ReportItem(scrapy.Item):
    """One annual report of one organ for one year (see the module docstring)."""

    locals().update({name: scrapy.Field() for name in CONTRACT_FIELDS + INTERNAL_FIELDS})


def canonical_url(url: str) -> str:
    """The URL in canonical form (sorted query, no fragment): what a report's id is made of."""
    return canonicalize_url(url, keep_fragments=False)


def report_id_for(url: str) -> str:
    """The contract's stable id: hex SHA-1 of the canonical URL of the report's source document."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()
