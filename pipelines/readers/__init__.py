"""Attachment readers: turn the bytes of a PDF, Word, spreadsheet, OFD, image or archive file into
document blocks (:mod:`pipelines.document`) that the report parser reads like an HTML body.

Entry points: :func:`sniff_kind` (kind from magic bytes) and :func:`read_attachment` (bytes to a
:class:`ReadResult`). Nothing here raises on bad input: a corrupt, encrypted, oversized or
unsupported file gives a result with empty blocks and a warning saying why.

Pure functions: nothing here imports Scrapy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pipelines.document import Block, Table
from pipelines.readers.sniff import sniff_kind
from pipelines.strict import strict_mode
from pipelines.warning_codes import warning

__all__ = ["ReadResult", "read_attachment", "sniff_kind", "Block", "Table"]

logger = logging.getLogger(__name__)

MAX_BYTES = 50_000_000


@dataclass
class ReadResult:
    """What a reader made of one file.

    ``kind`` comes from the bytes (see :func:`sniff_kind`); ``blocks`` are paragraph lines and
    :class:`~pipelines.document.Table` grids in reading order; ``warnings`` say what could not be
    read or was guessed; ``ocr`` is True when any text came from OCR.
    """

    kind: str
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ocr: bool = False


def read_attachment(
    data: bytes,
    filename: str | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    ocr: bool = True,
    _depth: int = 0,
) -> ReadResult:
    """Read an attachment's bytes into blocks; never raises on bad input."""
    kind = sniff_kind(data or b"", filename)
    label = filename or "attachment"
    if not data:
        return ReadResult(kind, [], [warning("file_empty", f"{label}: empty file")])
    if len(data) > max_bytes:
        return ReadResult(kind, [], [warning("file_too_large", f"{label}: {len(data)} bytes exceeds the {max_bytes}-byte limit; not read")])
    reader = _READERS.get(kind)
    if reader is None:
        return ReadResult(kind, [], [warning("unsupported_kind", f"{label}: unsupported file kind ({kind}); not read")])
    try:
        result = reader(data, filename, max_bytes=max_bytes, ocr=ocr, depth=_depth)
    except MemoryError:
        result = ReadResult(kind, [], [warning("attachment_memory", f"{label}: {kind} reader ran out of memory; not read")])
    except Exception as exc:  # noqa: BLE001 - the reader boundary: a malformed file must not stop a crawl (strict: a bug surfaces)
        if strict_mode():
            raise
        logger.debug("reader for %s failed on %s", kind, label, exc_info=True)
        result = ReadResult(kind, [], [warning("file_corrupt", f"{label}: unreadable {kind} file ({type(exc).__name__}: {exc})"[:300])])
    result.kind = kind
    if filename and kind in ("html", "text", "unknown") and _claims_document(filename):
        result.warnings.insert(0, warning("kind_mismatch", f"{label}: named like a document but the bytes are {kind}"))
    return result


def _claims_document(filename: str) -> bool:
    name = filename.lower().rsplit("?", 1)[0]
    return name.endswith((".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".ofd", ".zip", ".rar"))


def _read_pdf(data, filename, *, max_bytes, ocr, depth):
    from pipelines.readers.pdf import read_pdf

    return read_pdf(data, filename, ocr=ocr)


def _read_docx(data, filename, *, max_bytes, ocr, depth):
    from pipelines.readers.word import read_docx

    return read_docx(data, filename)


def _read_doc(data, filename, *, max_bytes, ocr, depth):
    from pipelines.readers.word import read_doc

    return read_doc(data, filename)


def _read_xlsx(data, filename, *, max_bytes, ocr, depth):
    from pipelines.readers.sheet import read_xlsx

    return read_xlsx(data, filename)


def _read_xls(data, filename, *, max_bytes, ocr, depth):
    from pipelines.readers.sheet import read_xls

    return read_xls(data, filename)


def _read_ofd(data, filename, *, max_bytes, ocr, depth):
    from pipelines.readers.ofd import read_ofd

    return read_ofd(data, filename)


def _read_image(data, filename, *, max_bytes, ocr, depth):
    from pipelines.readers.ocr import read_image

    return read_image(data, filename, ocr=ocr)


def _read_html(data, filename, *, max_bytes, ocr, depth):
    from pipelines.readers.plain import read_html

    return read_html(data, filename)


def _read_text(data, filename, *, max_bytes, ocr, depth):
    from pipelines.readers.plain import read_text

    return read_text(data, filename)


def _read_zip(data, filename, *, max_bytes, ocr, depth):
    from pipelines.readers.archive import read_zip

    return read_zip(data, filename, max_bytes=max_bytes, ocr=ocr, depth=depth, read_member=read_attachment)


_READERS = {
    "pdf": _read_pdf,
    "docx": _read_docx,
    "doc": _read_doc,
    "wps": _read_doc,
    "xlsx": _read_xlsx,
    "xls": _read_xls,
    "ofd": _read_ofd,
    "image": _read_image,
    "html": _read_html,
    "text": _read_text,
    "zip": _read_zip,
}
