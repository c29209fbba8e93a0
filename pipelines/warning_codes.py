"""The item's warnings: every one starts with a stable code, listed here with its meaning.

A warning reads ``"<code>: <detail>"`` (the detail is for people and may change); the code is what
crawl stats count (``parse/warning/<code>``) and what the README's table lists. New warnings get a
code here first; ``warning(code, detail)`` refuses codes that are not listed.
"""

from __future__ import annotations

WARNING_CODES: dict[str, str] = {
    # the crawl's stages
    "stage_failed": "a chain stage raised on this item (a bug; the item is kept as far as it got)",
    "schema": "the item breaks the JSON Schema at the named field",
    "attachment_not_fetched": "an attachment could not be downloaded (HTTP error, too big, blocked)",
    "attachment_is_page": "an attachment link answered with an HTML page, not a document",
    "file_unreadable": "a saved file given to the offline command could not be read from disk",
    # finding the body of a page
    "page_truncated": "the page is over the size the cleaning reads (pipelines.chain.MAX_PAGE_CHARS); only its start was read",
    "body_missing": "no body text found on the page",
    "body_repeated": "the page printed its body twice (a hidden print copy); kept once",
    "body_finder_failed": "the body finder failed on this markup; the whole page was line-cleaned",
    "body_selector_missed": "the registry's body_selector matched nothing on the page; the usual body finder was used",
    "html_reparsed": "lxml lost the page text; the page was re-parsed with html5lib",
    # reading attachments
    "attachment_timeout": "the attachment reader overran its time limit and was stopped; not read",
    "attachment_memory": "the attachment reader reached its memory limit and was stopped; not read",
    "file_empty": "the attachment is empty",
    "file_too_large": "the file or image is over a size or pixel limit; not read",
    "file_corrupt": "the file is corrupt or not what its kind says; not read",
    "file_encrypted": "the file is encrypted; not read",
    "unsupported_kind": "a file kind the readers do not read",
    "kind_mismatch": "the file is named like one kind but its bytes are another",
    "tool_missing": "a system tool (antiword/catdoc, tesseract) is not installed",
    "doc_converted": "the Word 97 reader could not follow the file; a system converter's text was used",
    "converter_failed": "a system converter could not convert the file",
    "no_text": "no text found in the document",
    "pages_truncated": "only the first pages of a long document were read",
    "page_unreadable": "one page of a document could not be read",
    "scan_not_read": "a scanned page or image was not OCR'd (OCR off or over the page limit)",
    "ocr_used": "text was read by OCR; numbers may be misread",
    "ocr_labels_matched": "OCR'd label cells were matched to the official labels",
    "ocr_cell_in_doubt": "an OCR'd number cell has low confidence or is not a number",
    "sheet_too_large": "a spreadsheet sheet is over the cell limit; skipped",
    "archive_member_too_large": "an archive member is over the size limit; skipped",
    "archive_member_unreadable": "an archive member could not be read",
    "archive_nested": "an archive inside an archive is not unpacked",
    "archive_no_document": "no readable document in the archive",
    # parsing
    "published_unreadable": "the publication date given by the page could not be read",
    "organ_missing": "the reporting organ was not found",
    "year_missing": "the statistics year was not found",
    "year_inferred": "the year is not printed: taken as the publication year minus one",
    "format_inferred": "the format is not printed in section 二's headers: inferred",
    "tables_missing": "no table found (tables may be images or in an attachment)",
    "not_a_report": "no title, table or section of an annual report found",
    "table_not_found": "one of the three tables was not found: its cells are null",
    "row_missing": "a table row was not found: its cells are null",
    "row_blank": "a table row is printed without numbers: its cells are null",
    "row_too_many_values": "a row has more values than the table has columns: not mapped, null",
    "row_too_few_values": "a row has fewer values than columns: read left to right, the rest null",
    "cells_blank": "blank or placeholder cells (/, -, —) read as null",
    "digits_split": "a row's cells were printed run together; split by the official arithmetic (one split fits)",
    "digits_ambiguous": "a row's cells were printed run together and more than one split fits the rules: null, candidates named",
    "digits_unsplit": "a row's cells were printed run together and no split fits the rules (or the search bound was hit): null",
    # validation
    "cells_in_doubt": "a failing row and a failing column cross at these cells (check them by eye)",
    "rule_not_evaluated": "a consistency rule was not evaluated (its total blank or its row absent)",
}


def warning(code: str, detail: str = "") -> str:
    """The warning text for ``code`` (which must be listed in ``WARNING_CODES``)."""
    if code not in WARNING_CODES:
        raise KeyError(f"unlisted warning code {code!r}: add it to pipelines.warning_codes.WARNING_CODES")
    return f"{code}: {detail}" if detail else code


def code_of(text: str) -> str:
    """The code a warning starts with (``"unknown"`` for text that does not start with a listed code)."""
    head = text.split(":", 1)[0].strip()
    return head if head in WARNING_CODES else "unknown"


def in_context(text: str, context: str) -> str:
    """``"code: detail"`` as ``"code: context: detail"``: the code stays first."""
    code, _, detail = text.partition(": ")
    if code in WARNING_CODES:
        return f"{code}: {context}: {detail}" if detail else f"{code}: {context}"
    return f"{context}: {text}"
