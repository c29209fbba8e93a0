"""The item's warnings: every one starts with a stable code, listed here with its meaning.

A warning reads ``"<code>: <detail>"`` (the detail is for people and may change); the code is what
crawl stats count (``parse/warning/<code>``) and what the README's table lists. New warnings get a
code here first; ``warning(code, detail)`` refuses codes that are not listed.
"""

from __future__ import annotations

WARNING_CODES: dict[str, str] = {
    # crawl and stages
    "stage_failed": "a chain stage raised on this item (a bug; the item is kept as far as it got)",
    "schema": "the item breaks the JSON Schema at the named field",
    "attachment_not_fetched": "an attachment could not be downloaded (HTTP error, too big, blocked)",
    "attachment_is_page": "an attachment link answered with an HTML page, not a document",
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
