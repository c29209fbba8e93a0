"""Tell a file's kind from its bytes: magic numbers, zip member names, OLE stream names.

The file name is only a tie-breaker where the bytes cannot tell (a Kingsoft ``.wps`` file written
in the Word binary format carries the same streams as a ``.doc``); an extension or a Content-Type
never overrides what the bytes say.
"""

from __future__ import annotations

import io
import re
import zipfile

from pipelines.readers.archive import ZIP_CONTAINER_ERRORS

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_IMAGE_MAGICS = (
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"BM", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
)
_HTML_RE = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|title|div|p|table)\b", re.I)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _ole_kind(data: bytes, filename: str | None) -> str:
    """Kind of an OLE2 compound file from the stream names in its directory."""
    if _utf16("WpsContent") in data or _utf16("KSOProductBuildVer") in data and _utf16("WordDocument") not in data:
        return "wps"
    if _utf16("WordDocument") in data:
        if filename and filename.lower().endswith(".wps"):
            return "wps"
        return "doc"
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "xls"
    if _utf16("CONTENTS") in data or _utf16("MatOST") in data:
        return "wps"
    return "unknown"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except ZIP_CONTAINER_ERRORS:
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names or any(name.lower() == "ofd.xml" for name in names):
        return "ofd"
    return "zip"


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is fine.
            if error.start < len(head) - 4:
                continue
            text = head[: error.start].decode(encoding)
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
        return controls <= len(text) // 100
    return False


def sniff_kind(data: bytes, filename: str | None = None) -> str:
    """The kind of a file from its bytes.

    One of ``pdf docx doc wps xls xlsx ofd image html text zip unknown``.
    """
    if not data:
        return "unknown"
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(ZIP_MAGICS):
        return _zip_kind(data)
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data, filename)
    for magic, kind in _IMAGE_MAGICS:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{\\rtf"):
        return "doc"
    if _HTML_RE.search(stripped[:512]) and stripped.startswith(b"<"):
        return "html"
    if _looks_like_text(data[:4096]):
        return "text"
    return "unknown"
