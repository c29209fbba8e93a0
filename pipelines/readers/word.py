"""Word readers.

* DOCX (python-docx's XML tree): paragraphs and tables in body order; ``gridSpan`` and ``vMerge``
  expanded into the grid the same way the HTML reader expands colspan and rowspan.
* DOC and WPS (OLE binary formats): read by :mod:`pipelines.readers.word97` (text, tables, merged
  cells); where that cannot follow the file, converted to text by a system converter
  (``antiword``, then ``catdoc``), found with :func:`shutil.which`; with none installed the result
  says so. (antiword and catdoc lose rows of tables with vertically merged cells.)
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile

from lxml import etree

from pipelines.document import Table, normalize_space
from pipelines.readers.archive import ZIP_MEMBER_ERRORS, zip_problem
from pipelines.readers.grid import clean_cell_text, slots_to_table, text_lines
from pipelines.readers.word97 import Word97Error, read_word97
from pipelines.warning_codes import warning

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONVERTER_TIMEOUT = 60


def _docx_errors() -> tuple[type[BaseException], ...]:
    """What python-docx raises on a damaged package: its own errors, a missing part (KeyError),
    a part that is not XML, a main part of the wrong content type (ValueError), damaged members."""
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import OpcError

    return (PythonDocxError, OpcError, KeyError, ValueError, etree.XMLSyntaxError, *ZIP_MEMBER_ERRORS)


def read_docx(data: bytes, filename: str | None = None):
    import docx

    from pipelines.readers import ReadResult

    label = filename or "docx"
    problem = zip_problem(data)
    if problem:
        return ReadResult("docx", [], [warning("file_corrupt", f"{label}: {problem}")])
    try:
        document = docx.Document(io.BytesIO(data))
    except _docx_errors() as exc:
        return ReadResult("docx", [], [warning("file_corrupt", f"{label}: corrupt DOCX, not read ({type(exc).__name__})")])
    blocks: list = []
    _walk_body(document.element.body, blocks)
    return ReadResult("docx", blocks, [])


def _walk_body(parent, blocks: list) -> None:
    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{W}p":
            for line in _paragraph_lines(child):
                blocks.append(line)
        elif tag == f"{W}tbl":
            table = _table_grid(child)
            if table.cells:
                blocks.append(table)
        elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
            _walk_body(child.find(f"{W}sdtContent") if tag == f"{W}sdt" else child, blocks)


def _paragraph_lines(paragraph) -> list[str]:
    """A ``w:p`` as lines: runs' text, tabs kept, ``w:br`` ending a line; deleted text skipped."""
    parts: list[str] = []
    for node in paragraph.iter():
        tag = node.tag
        if tag == f"{W}t":
            if _inside_deletion(node, paragraph):
                continue
            parts.append(node.text or "")
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    text = "".join(parts)
    lines = [" ".join(piece.replace("\u3000", " ").split(" ")).strip() for piece in text.split("\n")]
    lines = [line for line in lines if line.strip()]
    return lines or [""]


def _inside_deletion(node, stop) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == f"{W}del":
            return True
        parent = parent.getparent()
    return False


def _cell_text(cell) -> str:
    lines: list[str] = []
    for paragraph in cell.iter(f"{W}p"):
        lines.extend(line for line in _paragraph_lines(paragraph) if line)
    return clean_cell_text("\n".join(lines))


def _int_attr(element, name: str, default: int = 1) -> int:
    if element is None:
        return default
    try:
        return max(1, min(int(element.get(f"{W}{name}", default)), 100))
    except (TypeError, ValueError):
        return default


def _table_grid(table) -> Table:
    """Expand a ``w:tbl`` into a :class:`Table` (``gridSpan`` across, ``vMerge`` down)."""
    grid: dict[tuple[int, int], tuple[str, bool]] = {}
    rows = [tr for tr in table.iterchildren(f"{W}tr")]
    for r, tr in enumerate(rows):
        c = 0
        properties = tr.find(f"{W}trPr")
        if properties is not None:
            c = _int_attr(properties.find(f"{W}gridBefore"), "val", 0)
        for tc in tr.iterchildren(f"{W}tc", f"{W}sdt"):
            if tc.tag == f"{W}sdt":
                content = tc.find(f"{W}sdtContent")
                cells = list(content.iterchildren(f"{W}tc")) if content is not None else []
            else:
                cells = [tc]
            for cell in cells:
                tc_pr = cell.find(f"{W}tcPr")
                span = _int_attr(tc_pr.find(f"{W}gridSpan") if tc_pr is not None else None, "val")
                merge = tc_pr.find(f"{W}vMerge") if tc_pr is not None else None
                continues = merge is not None and merge.get(f"{W}val", "continue") == "continue"
                if continues and (r - 1, c) in grid:
                    text = grid[(r - 1, c)][0]
                    for dc in range(span):
                        grid[(r, c + dc)] = (grid.get((r - 1, c + dc), (text, True))[0], True)
                else:
                    text = _cell_text(cell)
                    for dc in range(span):
                        grid[(r, c + dc)] = (text, dc > 0)
                c += span
    return slots_to_table(grid)


def converters() -> list[str]:
    """The DOC converters found on this machine, in the order they are tried."""
    return [name for name in ("antiword", "catdoc") if shutil.which(name)]


def read_doc(data: bytes, filename: str | None = None, kind: str | None = None):
    """Convert a DOC or WPS file to text lines with antiword, falling back to catdoc."""
    from pipelines.readers import ReadResult
    from pipelines.readers.sniff import sniff_kind

    kind = kind or sniff_kind(data, filename)
    label = filename or kind
    if data.lstrip()[:5] == b"{\\rtf":
        return ReadResult(kind, [], [warning("unsupported_kind", f"{label}: RTF file named as Word; RTF is not read")])
    try:
        blocks = read_word97(data)
    except Word97Error as exc:  # not a Word 97 file, or a damaged one: let the converters try
        if "encrypted" in str(exc):
            return ReadResult(kind, [], [warning("file_encrypted", f"{label}: encrypted {kind.upper()} file, not read")])
        native_problem = str(exc)
    else:
        if any(isinstance(b, Table) or b.strip() for b in blocks):
            return ReadResult(kind, blocks, [])
        native_problem = "no text"
    found = converters()
    if not found:
        return ReadResult(kind, [], [warning("tool_missing", f"{label}: no DOC converter installed (antiword or catdoc); {kind} not read")])
    warnings: list[str] = [warning("doc_converted", f"{label}: Word 97 structure not readable ({native_problem}); converted with {found[0]}")]
    with tempfile.TemporaryDirectory(prefix="doc-reader-") as folder:
        path = os.path.join(folder, "input.doc")
        with open(path, "wb") as handle:
            handle.write(data)
        for name in found:
            text, problem = _convert(name, path)
            if text is not None and normalize_space(text):
                blocks = _doc_text_blocks(text, name)
                return ReadResult(kind, blocks, warnings)
            warnings.append(warning("converter_failed", f"{label}: {name} could not convert the {kind} file ({problem or 'no text'})"))
    return ReadResult(kind, [], warnings)


def _convert(name: str, path: str) -> tuple[str | None, str | None]:
    if name == "antiword":
        command = ["antiword", "-w", "0", "-m", "UTF-8.txt", path]
    else:
        command = ["catdoc", "-d", "utf-8", "-w", path]
    try:
        completed = subprocess.run(
            command, capture_output=True, timeout=CONVERTER_TIMEOUT, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return None, f"timed out after {CONVERTER_TIMEOUT}s"
    except OSError as exc:
        return None, str(exc)
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, (message[-1] if message else f"exit status {completed.returncode}")[:200]
    return completed.stdout.decode("utf-8", "replace"), None


def _doc_text_blocks(text: str, converter: str) -> list:
    """Converter output to blocks; antiword's ``|cell|cell|`` table rows become tab-separated lines."""
    blocks: list = []
    for line in text_lines(text):
        stripped = line.strip()
        if converter == "antiword" and stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = [normalize_space(cell) for cell in stripped[1:-1].split("|")]
            blocks.append("\t".join(cells))
        else:
            blocks.append(line.rstrip())
    return blocks
