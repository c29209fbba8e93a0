"""Zip archives: bounds checked before any member is read (zip bombs), then members read in turn.

The same check guards the zip-based formats (DOCX, XLSX, OFD) before their libraries inflate them.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib

from pipelines.warning_codes import warning

MAX_MEMBERS = 2_000
MAX_TOTAL_UNCOMPRESSED = 200_000_000
MAX_RATIO = 200
MAX_DEPTH = 1

# What zipfile raises reading a damaged or unsupported member: a bad CRC or header (BadZipFile),
# broken deflate, bzip2 or lzma data (zlib.error, OSError, LZMAError), a stream cut short
# (EOFError), an offset before the start of the file (ValueError: negative seek), an encrypted
# member (RuntimeError), an unknown compression method or zip version (NotImplementedError).
# What zipfile raises opening a damaged container: no or a bad central directory (BadZipFile,
# ValueError, OSError, EOFError), a zip version it does not support (NotImplementedError).
ZIP_CONTAINER_ERRORS = (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError)
ZIP_MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, ValueError, RuntimeError, NotImplementedError)


def zip_problem(data: bytes, *, max_total: int = MAX_TOTAL_UNCOMPRESSED) -> str | None:
    """Why the zip in ``data`` must not be unpacked (too many members, too large, bomb-like), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except ZIP_CONTAINER_ERRORS as exc:
        return f"corrupt zip container ({type(exc).__name__})"
    if len(infos) > MAX_MEMBERS:
        return f"zip holds {len(infos)} members (limit {MAX_MEMBERS}); not unpacked"
    total = sum(info.file_size for info in infos)
    if total > max_total:
        return f"zip would unpack to {total} bytes (limit {max_total}); not unpacked"
    packed = max(sum(info.compress_size for info in infos), 1)
    if total > 1_000_000 and total / packed > MAX_RATIO:
        return f"zip compression ratio {total // packed}:1 looks like a zip bomb; not unpacked"
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size / max(info.compress_size, 1) > MAX_RATIO:
            return f"zip member {info.filename!r} ratio {info.file_size // max(info.compress_size, 1)}:1 looks like a zip bomb; not unpacked"
    return None


def read_zip(data: bytes, filename: str | None, *, max_bytes: int, ocr: bool, depth: int, read_member):
    """Read the document members of a zip archive (one level deep) and concatenate their blocks."""
    from pipelines.readers import ReadResult

    label = filename or "zip"
    problem = zip_problem(data, max_total=min(max_bytes * 4, MAX_TOTAL_UNCOMPRESSED))
    if problem:
        return ReadResult("zip", [], [warning("file_corrupt", f"{label}: {problem}")])
    if depth >= MAX_DEPTH:
        return ReadResult("zip", [], [warning("archive_nested", f"{label}: zip nested inside an archive; not unpacked")])
    result = ReadResult("zip", [], [])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir() or info.file_size > max_bytes:
                if not info.is_dir():
                    result.warnings.append(warning("archive_member_too_large", f"{label}: member {info.filename!r} exceeds the size limit; skipped"))
                continue
            name = _member_name(info)
            try:
                member = archive.read(info)
            except ZIP_MEMBER_ERRORS as exc:  # encrypted or damaged member
                result.warnings.append(warning("archive_member_unreadable", f"{label}: member {name!r} unreadable ({type(exc).__name__})"))
                continue
            inner = read_member(member, name, max_bytes=max_bytes, ocr=ocr, _depth=depth + 1)
            if inner.kind in ("unknown",):
                continue
            if inner.blocks:
                result.blocks.append(f"【{name}】")
                result.blocks.extend(inner.blocks)
            result.warnings.extend(inner.warnings)
            result.ocr = result.ocr or inner.ocr
    if not result.blocks:
        result.warnings.append(warning("archive_no_document", f"{label}: no readable document in the archive"))
    return result


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name, decoding the GBK names Chinese zip tools write without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name
