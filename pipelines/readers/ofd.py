"""OFD reader (GB/T 33190: a zip of XML pages): the text of each page's ``TextCode`` elements.

Pages are taken in the order ``Document.xml`` lists them; within a page, text objects are sorted
into lines by their baseline (``Boundary`` y plus the ``TextCode`` Y) and by x within a line, and a
wide gap between two text objects of a line becomes a tab, so table rows read as tab-separated cells.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from lxml import etree

from pipelines.readers.archive import ZIP_MEMBER_ERRORS, zip_problem
from pipelines.readers.grid import join_cjk_gaps
from pipelines.warning_codes import warning

_NUMBERS_RE = re.compile(r"[-+]?\d*\.?\d+")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBERS_RE.findall(text or "")]


# A member missing, damaged, or not XML.
MEMBER_ERRORS = (*ZIP_MEMBER_ERRORS, KeyError, etree.XMLSyntaxError)


def _parse(archive: zipfile.ZipFile, name: str):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    return etree.fromstring(archive.read(name), parser)


def _find_name(names: set[str], path: str) -> str | None:
    path = posixpath.normpath(path.lstrip("/"))
    if path in names:
        return path
    lowered = {n.lower(): n for n in names}
    return lowered.get(path.lower())


def read_ofd(data: bytes, filename: str | None = None):
    from pipelines.readers import ReadResult

    label = filename or "ofd"
    problem = zip_problem(data)
    if problem:
        return ReadResult("ofd", [], [warning("file_corrupt", f"{label}: {problem}")])
    warnings: list[str] = []
    blocks: list = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        try:
            page_files = _page_files(archive, names)
        except MEMBER_ERRORS as exc:
            return ReadResult("ofd", [], [warning("file_corrupt", f"{label}: corrupt OFD structure, not read ({type(exc).__name__})")])
        if not page_files:
            page_files = sorted(
                (n for n in names if re.search(r"Pages?/Page_?\d+/Content\.xml$", n, re.I)),
                key=lambda n: [int(x) for x in re.findall(r"\d+", n)],
            )
        for page_name in page_files:
            try:
                root = _parse(archive, page_name)
            except MEMBER_ERRORS as exc:
                warnings.append(warning("page_unreadable", f"{label}: page {page_name} unreadable ({type(exc).__name__})"))
                continue
            blocks.extend(_page_lines(root))
    if not blocks:
        warnings.append(warning("no_text", f"{label}: no text found in the OFD (image-only pages are not OCR'd)"))
    return ReadResult("ofd", blocks, warnings)


def _page_files(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    """Page content files in document order, following OFD.xml -> DocRoot -> Pages/Page@BaseLoc."""
    ofd_name = _find_name(names, "OFD.xml")
    if not ofd_name:
        return []
    root = _parse(archive, ofd_name)
    doc_root = next((el.text for el in root.iter() if _local(el.tag) == "DocRoot" and el.text), None)
    if not doc_root:
        return []
    document_name = _find_name(names, doc_root.strip())
    if not document_name:
        return []
    document = _parse(archive, document_name)
    base = posixpath.dirname(document_name)
    pages = []
    for element in document.iter():
        if _local(element.tag) == "Page" and element.get("BaseLoc"):
            location = element.get("BaseLoc").strip()
            path = location.lstrip("/") if location.startswith("/") else posixpath.join(base, location)
            found = _find_name(names, path)
            if found:
                pages.append(found)
    return pages


def _page_lines(root) -> list[str]:
    pieces: list[tuple[float, float, float, str]] = []  # (y, x, size, text)
    for text_object in root.iter():
        if _local(text_object.tag) != "TextObject":
            continue
        boundary = _numbers(text_object.get("Boundary"))
        bx, by = (boundary[0], boundary[1]) if len(boundary) >= 2 else (0.0, 0.0)
        size = float(text_object.get("Size") or (boundary[3] if len(boundary) >= 4 else 3.5) or 3.5)
        for code in text_object:
            if _local(code.tag) != "TextCode" or not code.text:
                continue
            x = float(code.get("X") or 0.0)
            y = float(code.get("Y") or 0.0)
            pieces.append((by + y, bx + x, size, code.text))
    pieces.sort(key=lambda p: (p[0], p[1]))
    lines: list[list[tuple[float, float, float, str]]] = []
    for piece in pieces:
        if lines and abs(lines[-1][0][0] - piece[0]) <= max(piece[2], 1.0) * 0.5:
            lines[-1].append(piece)
        else:
            lines.append([piece])
    out: list[str] = []
    for line in lines:
        line.sort(key=lambda p: p[1])
        text = ""
        end = None
        for _, x, size, chunk in line:
            if end is not None and x - end > size * 2:
                text += "\t"
            text += chunk
            end = x + size * len(chunk)
        out.append(join_cjk_gaps(text.strip()))
    return out
