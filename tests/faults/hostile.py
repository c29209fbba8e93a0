"""Hostile attachment files, built in memory: each one broke, or could break, a reader.

``python -m tests.faults.hostile FOLDER`` writes them to FOLDER (to try the offline command by hand).
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path


def _pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF with a correct cross-reference table over ``objects`` (number -> body)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[number]) if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def _page_objects(contents: bytes) -> dict[int, bytes]:
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents " + contents + b" /Resources << >> >>",
    }


def pdf_reference_loop() -> bytes:
    """The page's content is object 6, which is a reference to 7, which refers back to 6."""
    objects = _page_objects(b"6 0 R")
    objects[6] = b"7 0 R"
    objects[7] = b"6 0 R"
    return _pdf(objects)


def pdf_nested_objects(depth: int = 50_000) -> bytes:
    """A page whose resources hold an array nested ``depth`` levels deep."""
    objects = _page_objects(b"4 0 R")
    objects[4] = b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (annual report) Tj ET\nendstream"
    objects[3] = objects[3].replace(b"/Resources << >>", b"/Resources << /Deep " + b"[" * depth + b"]" * depth + b" >>")
    return _pdf(objects)


def docx_xxe(target: str = "file:///etc/passwd") -> bytes:
    """A DOCX whose document.xml declares an external entity and uses it in the text."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{target}">]>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>2022年政府信息公开工作年度报告 &xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def ole_sector_loop() -> bytes:
    """An OLE compound file (a .doc) whose ``WordDocument`` stream's sector chain loops 2 -> 3 -> 2."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<9I", header, 0x28, 0, 1, 1, 0, 4096, end, 0, end, 0)  # 1 FAT sector, directory at 1
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: FAT at sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, free)
    fat = [fat_sector, end, 3, 2] + [free] * 124
    fat_bytes = struct.pack("<128I", *fat)

    def entry(name: str, kind: int, start: int, size: int, child: int = free) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, free, free, child)
        struct.pack_into("<II", raw, 116, start, size)
        return bytes(raw)

    directory = entry("Root Entry", 5, end, 0, child=1) + entry("WordDocument", 2, 2, 40_000_000) + bytes(256)
    body = b"\xec\xa5\xc1\x00" + bytes(508)
    return bytes(header) + fat_bytes + directory + body + body


def png_huge(width: int = 20_000, height: int = 20_000) -> bytes:
    """A PNG header declaring width x height pixels (a few hundred bytes on the wire)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" + bytes(width), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


HOSTILE_FILES = {
    "引用循环.pdf": pdf_reference_loop,
    "nested-objects.pdf": pdf_nested_objects,
    "xxe.docx": docx_xxe,
    "扇区循环.doc": ole_sector_loop,
    "huge-20000x20000.png": png_huge,
}


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in HOSTILE_FILES.items():
        path = folder / name
        path.write_bytes(build())
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")):
        print(written)
