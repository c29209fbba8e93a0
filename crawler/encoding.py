"""Decode a fetched page right even when its server lies about the charset.

Scrapy decodes by the Content-Type header first, then BOM/``<meta charset>``. Old gov.cn servers
often send ``charset=ISO-8859-1`` (or the wrong one of UTF-8/GBK). A body whose non-ASCII bytes
are valid UTF-8 is read as UTF-8; when the header's charset is a Latin one or the text is full of
U+FFFD, the page's ``<meta charset>`` and then GB18030 are tried strictly. GB2312/GBK are read as GB18030 (a
superset: rare characters in names, such as 镕, still decode).
"""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_LATIN = {"iso8859-1", "latin-1", "cp1252", "ascii", "iso-8859-1", "windows-1252"}
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = _ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def better_encoding(response) -> str | None:
    """A charset that decodes the body cleanly when Scrapy's choice is evidently wrong, else None.

    Non-ASCII bytes that form valid UTF-8 are UTF-8 (GBK text almost never is); otherwise a Latin
    header or many U+FFFD send us to the page's ``<meta charset>`` and then GB18030.
    """
    body = response.body
    current = _codec(response.encoding) or ""
    if not re.search(rb"[\x80-\xff]", body):
        return None
    if current != "utf-8" and _decodes(body, "utf-8"):
        return "utf-8"
    if current not in _LATIN and response.text.count("\ufffd") <= 3:
        return None
    meta = _META.search(body[:4096])
    for candidate in (_codec(meta.group(1).decode("ascii", "ignore")) if meta else None, "gb18030"):
        if candidate and candidate != current and _decodes(body, candidate):
            return candidate
    return None


def decoded(response):
    """The response itself, or a copy decoding with the right charset (see the module docstring)."""
    if not hasattr(response, "text"):
        return response
    encoding = better_encoding(response)
    return response.replace(encoding=encoding) if encoding else response
