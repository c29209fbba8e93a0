"""Decode raw page bytes to text: BOM, declared charset, ``<meta charset>``, then best effort."""

from __future__ import annotations

import codecs
import re

_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "euc-cn": "gb18030",
    "utf8": "utf-8",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
}
_HEAD_BYTES = 4096


def _normalize(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_LATIN = frozenset({"cp1252", "latin-1", "iso8859-1", "ascii"})


def detect_encoding(data: bytes, declared_encoding: str | None = None) -> str:
    """The codec that reads page bytes right.

    Order: BOM; then, for bytes with non-ASCII text, UTF-8 when they are valid UTF-8 (GBK text
    almost never is, so a page mislabelled GBK or Latin-1 is caught); the declared (HTTP header)
    charset unless it is a Latin one (old gov.cn servers send ``ISO-8859-1`` for GBK pages); the
    first ``<meta charset>`` in the page head (a Word paste's own ``<meta charset=gb2312>`` deep in
    a UTF-8 body is not looked at; a Latin one counts last, like a Latin header); GB18030, Big5,
    and last a declared Latin charset. GB2312 and GBK are read as GB18030 (a superset: rare
    characters in names, such as 镕, still decode).
    Where no candidate decodes cleanly, the one with the fewest U+FFFD wins.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    declared = _normalize(declared_encoding)
    meta = _meta_charset(data)
    if not any(b > 0x7F for b in data):
        return declared or meta or "utf-8"
    candidates = ["utf-8"]
    if declared and declared not in _LATIN:
        candidates.append(declared)
    if meta and meta not in _LATIN:  # a Latin <meta charset> on CJK bytes is a template's lie too
        candidates.append(meta)
    candidates += ["gb18030", "big5", declared, meta]
    candidates = [name for name in dict.fromkeys(candidates) if name]
    for name in candidates:
        try:
            data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        return name
    return min(candidates, key=lambda name: data.decode(name, errors="replace").count("\ufffd"))


def decode_html(data: bytes, declared_encoding: str | None = None) -> str:
    """Decode page bytes with :func:`detect_encoding` (never raises; undecodable bytes become U+FFFD)."""
    if isinstance(data, str):
        return data
    name = detect_encoding(data, declared_encoding)
    for bom, bom_name in _BOMS:
        if name == bom_name and data.startswith(bom):
            data = data[len(bom):]
            break
    return data.decode(name, errors="replace")


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET_RE.search(data[:_HEAD_BYTES])
    return _normalize(match.group(1).decode("ascii", "ignore")) if match else None
