"""HTML and plain-text attachments (an HTML page saved as ``.htm``, a ``.txt`` report, an error page)."""

from __future__ import annotations

import re

from pipelines.document import html_to_blocks, parse_html, text_to_blocks

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: BOM, declared charset, UTF-8, then GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    candidates = [declared] if declared else []
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace")


def read_html(data: bytes, filename: str | None = None):
    from pipelines.readers import ReadResult

    match = _META_CHARSET_RE.search(data[:4096])
    declared = match.group(1).decode("ascii", "ignore").lower() if match else None
    if declared in ("gb2312", "gbk"):
        declared = "gb18030"
    root = parse_html(decode_text(data, declared))
    return ReadResult("html", html_to_blocks(root), [])


def read_text(data: bytes, filename: str | None = None):
    from pipelines.readers import ReadResult

    return ReadResult("text", text_to_blocks(decode_text(data)), [])
