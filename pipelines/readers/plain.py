"""HTML and plain-text attachments (an HTML page saved as ``.htm``, a ``.txt`` report, an error page)."""

from __future__ import annotations

from pipelines.cleaning.encoding import decode_html
from pipelines.document import html_to_blocks, parse_html, text_to_blocks


def read_html(data: bytes, filename: str | None = None):
    from pipelines.readers import ReadResult

    root = parse_html(decode_html(data))
    return ReadResult("html", html_to_blocks(root), [])


def read_text(data: bytes, filename: str | None = None):
    from pipelines.readers import ReadResult

    return ReadResult("text", text_to_blocks(decode_html(data)), [])
