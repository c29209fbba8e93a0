"""Bad input never raises: corrupt, encrypted, truncated, oversized files and bombs give warnings."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from pipelines.readers import read_attachment
from tests.fixtures.attachments.expect import ATTACHMENTS


def _assert_refused(result, phrase: str) -> None:
    assert result.blocks == []
    assert any(phrase in warning for warning in result.warnings), result.warnings


def test_truncated_pdf_gives_a_warning():
    data = (ATTACHMENTS / "report-2019.pdf").read_bytes()[:3000]
    result = read_attachment(data, "cut.pdf")
    assert result.kind == "pdf"
    assert result.warnings


def test_garbage_after_pdf_magic_gives_a_warning():
    result = read_attachment(b"%PDF-1.7\n" + b"\x00\xff garbage " * 50, "bad.pdf")
    _assert_refused(result, "PDF")


def test_encrypted_pdf_gives_a_warning():
    result = read_attachment((ATTACHMENTS / "encrypted.pdf").read_bytes(), "secret.pdf")
    _assert_refused(result, "encrypted")


def test_truncated_docx_gives_a_warning():
    data = (ATTACHMENTS / "report-merged.docx").read_bytes()
    result = read_attachment(data[: len(data) // 2], "cut.docx")
    assert result.blocks == []
    assert result.warnings


def test_oversized_input_is_not_read():
    data = (ATTACHMENTS / "report-2019.pdf").read_bytes()
    _assert_refused(read_attachment(data, "big.pdf", max_bytes=1000), "exceeds")


def test_empty_file():
    _assert_refused(read_attachment(b"", "empty.pdf"), "empty")


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.txt", b"0" * 60_000_000)
    return buffer.getvalue()


def test_zip_bomb_is_not_unpacked():
    bomb = _zip_bomb()
    assert len(bomb) < 200_000
    result = read_attachment(bomb, "附件.zip")
    assert result.kind == "zip"
    _assert_refused(result, "not unpacked")


def test_zip_of_reports_is_read_member_by_member():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.docx", (ATTACHMENTS / "report-merged.docx").read_bytes())
    result = read_attachment(buffer.getvalue(), "附件.zip")
    assert result.kind == "zip"
    assert any(getattr(block, "cells", None) for block in result.blocks)


def test_docx_that_is_a_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * 300_000_000)
    result = read_attachment(buffer.getvalue(), "bomb.docx")
    assert result.kind == "docx"
    _assert_refused(result, "not unpacked")


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 10)) + chunk(b"IEND", b"")


def test_image_decompression_bomb_is_not_decoded():
    result = read_attachment(_png_header(60_000, 60_000), "bomb.png")
    assert result.kind == "image"
    assert result.blocks == []
    assert any("pixel" in w or "too large" in w for w in result.warnings), result.warnings


def test_corrupt_image_gives_a_warning():
    data = (ATTACHMENTS / "tables.png").read_bytes()[:400]
    result = read_attachment(data, "cut.png")
    assert result.blocks == []
    assert result.warnings


def test_unsupported_bytes_give_a_warning():
    result = read_attachment(bytes(range(256)) * 10, "file.bin")
    _assert_refused(result, "unsupported")


def test_ole_file_without_known_streams_does_not_crash():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    result = read_attachment(data, "odd.doc")
    assert result.blocks == []
    assert result.warnings


def _with_extract_version(data: bytes, version: int) -> bytes:
    """The zip with every central-directory entry saying it needs ``version`` (x10) to extract."""
    out = bytearray(data)
    start = out.find(b"PK\x01\x02")
    while start != -1:
        out[start + 6 : start + 8] = struct.pack("<H", version)
        start = out.find(b"PK\x01\x02", start + 4)
    return bytes(out)


def test_zip_of_an_unsupported_version_gives_a_warning():
    data = _with_extract_version((ATTACHMENTS / "report-merged.docx").read_bytes(), 84)
    with pytest.raises(NotImplementedError):
        zipfile.ZipFile(io.BytesIO(data))
    result = read_attachment(data, "新版本.docx")
    assert result.blocks == []
    assert any(w.startswith("file_corrupt") for w in result.warnings), result.warnings
