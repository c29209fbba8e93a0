"""The Scrapy item of a report: the fields of the contract (``pipelines.contract``), listed.

The contract itself (field order, ``report_id_for``, ``canonical_url``, the public dict) lives in
``pipelines.contract``, which imports no Scrapy; a test keeps this list, the contract and the
JSON Schema the same set.
"""

import scrapy

from pipelines.contract import CONTRACT_FIELDS, INTERNAL_FIELDS, canonical_url, report_id_for

__all__ = ["CONTRACT_FIELDS", "INTERNAL_FIELDS", "ReportItem", "canonical_url", "report_id_for"]


class ReportItem(scrapy.Item):
    """One annual report of one organ for one year."""

    report_id = scrapy.Field()
    url = scrapy.Field()
    site = scrapy.Field()
    region_code = scrapy.Field()
    title = scrapy.Field()
    organ = scrapy.Field()
    year = scrapy.Field()
    published = scrapy.Field()
    format = scrapy.Field()
    source = scrapy.Field()
    attachments = scrapy.Field()
    page_meta = scrapy.Field()
    text = scrapy.Field()
    sections = scrapy.Field()
    active = scrapy.Field()
    requests = scrapy.Field()
    review_litigation = scrapy.Field()
    validation = scrapy.Field()
    warnings = scrapy.Field()
    crawled_at = scrapy.Field()
    parser_version = scrapy.Field()
    revision = scrapy.Field()
    supersedes = scrapy.Field()

    # carried between stages, removed before a line is written
    raw_html = scrapy.Field()
    attachment_files = scrapy.Field()
    body_blocks = scrapy.Field()
    page_hints = scrapy.Field()
