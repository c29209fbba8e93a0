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
_FALLBACKS = ("utf-8", "gb18030", "big5")
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


def _is_gb(name: str) -> bool:
    return name in ("gb18030", "gbk", "gb2312")


def decode_html(data: bytes, declared_encoding: str | None = None) -> str:
    """Decode page bytes.

    Order: BOM; the declared (HTTP header) charset; the first ``<meta charset>`` in the page head
    (a Word paste's own ``<meta charset=gb2312>`` deep in a UTF-8 body is not looked at); then
    UTF-8, GB18030, Big5. GB2312 and GBK are read as GB18030 (a superset). A declared legacy
    charset loses to UTF-8 when the bytes are valid UTF-8 with non-ASCII text (mislabelled pages),
    and if no candidate decodes cleanly the one with the fewest U+FFFD wins.
    """
    if isinstance(data, str):
        return data
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    candidates: list[str] = []
    for name in (_normalize(declared_encoding), _meta_charset(data)):
        if name and name not in candidates:
            candidates.append(name)
    for name in _FALLBACKS:
        if name not in candidates:
            candidates.append(name)
    non_ascii = any(b > 0x7F for b in data)
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if name != "utf-8" and non_ascii and (_is_gb(name) or name == "cp1252" or name == "big5"):
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        return text
    best = None
    for name in candidates:
        try:
            text = data.decode(name, errors="replace")
        except LookupError:
            continue
        if best is None or text.count("\ufffd") < best.count("\ufffd"):
            best = text
    return best if best is not None else data.decode("utf-8", errors="replace")


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET_RE.search(data[:_HEAD_BYTES])
    return _normalize(match.group(1).decode("ascii", "ignore")) if match else None
