"""PDF reader (pdfplumber): page text and ruled tables in reading order.

* Ruled tables become :class:`Table` grids built from the cell geometry, so a merged cell (which
  pdfplumber reports as ``None`` slots) is repeated over every slot it covers with ``copied`` set.
* A table that runs over a page break is joined into one table; a header repeated on the next
  page is dropped, and a merged label cell cut by the break is continued.
* Page furniture is removed: page numbers (``- 3 -``, ``第3页``, ``3/5``) and running lines repeated
  in the top or bottom margin of most pages.
* A page frame drawn around the text (which pdfplumber sees as a one-column table) and full-width
  rows at the top or bottom of a table become paragraph lines again.
* A page without a text layer (a scan) is rendered and OCR'd when ``ocr`` is on.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from pipelines.document import Table, normalize_space
from pipelines.readers.grid import clean_cell_text, is_number, join_cjk_gaps
from pipelines.strict import strict_mode
from pipelines.warning_codes import in_context, warning

logger = logging.getLogger(__name__)

MAX_PAGES = 300
MAX_OCR_PAGES = 40
OCR_DPI = 250
MARGIN_SHARE = 0.09

_PAGE_NUMBER_RES = [
    re.compile(r"^[-－—–‐_\s]*\d{1,4}[-－—–‐_\s]*$"),
    re.compile(r"^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^(共\s*\d{1,4}\s*页\s*)?第\s*\d{1,4}\s*页$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^(page|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I),
    re.compile(r"^[-－—–]?\s*[ivxlc]{1,6}\s*[-－—–]?$", re.I),
]
_HEADING_START_RE = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])")


def is_page_number(text: str) -> bool:
    text = normalize_space(text)
    return any(regex.match(text) for regex in _PAGE_NUMBER_RES)


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float


@dataclass
class _PageTable:
    table: Table
    origins: list[list[int]]  # origin cell id per slot, to continue a cut span on the next page
    xs: list[float]
    top: float
    bottom: float


@dataclass
class _Page:
    height: float
    width: float
    items: list = field(default_factory=list)  # (top, _Line | _PageTable)


def _pdf_errors() -> tuple[type[BaseException], ...]:
    """What pdfplumber and pdfminer raise on a damaged PDF: pdfplumber wraps pdfminer's errors in
    PdfminerException; pdfminer's own (PDFSyntaxError and the rest) derive from PSException."""
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    return (PdfminerException, MalformedPDFException, PSException)


def _ocr_page_errors() -> tuple[type[BaseException], ...]:
    """What OCR of a scanned page raises: pdfium failing to render it, Tesseract failing or missing."""
    import pypdfium2
    import pytesseract

    return (pypdfium2.PdfiumError, pytesseract.TesseractError, pytesseract.TesseractNotFoundError)


def read_pdf(data: bytes, filename: str | None = None, *, ocr: bool = True):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    from pipelines.readers import ReadResult

    label = filename or "pdf"
    warnings: list[str] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        return ReadResult("pdf", [], [warning("file_encrypted", f"{label}: encrypted PDF, not read ({type(exc).__name__})")])
    except _pdf_errors() as exc:
        cause = exc.__cause__ or exc.__context__ or (exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else None)
        name = type(exc).__name__ + (f"/{type(cause).__name__}" if cause is not None else "")
        if "Password" in name or "Encrypt" in name:
            return ReadResult("pdf", [], [warning("file_encrypted", f"{label}: encrypted PDF, not read ({name})")])
        return ReadResult("pdf", [], [warning("file_corrupt", f"{label}: corrupt PDF, not read ({name}: {exc})"[:300])])
    with pdf:
        if len(pages) > MAX_PAGES:
            warnings.append(warning("pages_truncated", f"{label}: {len(pages)} pages; only the first {MAX_PAGES} read"))
        parsed, ocr_pages, used_ocr = _read_pages(pages[:MAX_PAGES], data, label, ocr, warnings)
    if used_ocr:
        warnings.append(warning("ocr_used", f"{label}: {ocr_pages} scanned page(s) read by OCR (chi_sim); check the numbers"))
    _drop_page_furniture(parsed)
    blocks = _assemble(parsed)
    if not any(isinstance(b, Table) or b.strip() for b in blocks):
        warnings.append(warning("no_text", f"{label}: no text found in the PDF"))
    return ReadResult("pdf", blocks, warnings, ocr=used_ocr)


def _read_pages(pages, data: bytes, label: str, ocr: bool, warnings: list[str]) -> tuple[list[_Page], int, bool]:
    """The pages read in order, scans OCR'd up to the limit: (pages read, scans tried by OCR, whether OCR gave a page).

    A page that fails to read is a ``page_unreadable`` warning; the other pages are still read.
    """
    expected_errors = _pdf_errors() + _ocr_page_errors()
    parsed: list[_Page] = []
    ocr_pages = 0
    used_ocr = False
    for number, page in enumerate(pages, start=1):
        try:
            if not (len(page.chars) < 5 and page.images):
                parsed.append(_read_page(page))
            elif not ocr:
                warnings.append(warning("scan_not_read", f"{label}: page {number} has no text layer (scan); OCR is off"))
            elif ocr_pages >= MAX_OCR_PAGES:
                warnings.append(warning("scan_not_read", f"{label}: page {number} is a scan beyond the OCR page limit; not read"))
            else:
                ocr_pages += 1
                parsed.append(_ocr_page(data, number - 1, page, warnings, label))
                used_ocr = True
        except expected_errors as exc:
            _page_unreadable(number, label, exc, warnings)
        except Exception as exc:  # noqa: BLE001 - pdfminer raises arbitrary errors (KeyError, TypeError...) on a damaged page; one bad page must not lose the others
            if strict_mode():
                raise
            _page_unreadable(number, label, exc, warnings)
    return parsed, ocr_pages, used_ocr


def _page_unreadable(number: int, label: str, exc: Exception, warnings: list[str]) -> None:
    logger.debug("page %s of %s failed", number, label, exc_info=exc)
    warnings.append(warning("page_unreadable", f"{label}: page {number} unreadable ({type(exc).__name__})"))


def _ocr_page(data: bytes, index: int, page, warnings: list[str], label: str) -> _Page:
    """Render one page and OCR it; its lines come back as page items in order."""
    import pypdfium2

    from pipelines.readers.ocr import ocr_image_blocks

    document = pypdfium2.PdfDocument(data)
    try:
        bitmap = document[index].render(scale=OCR_DPI / 72)
        image = bitmap.to_pil()
    finally:
        document.close()
    blocks, cell_warnings = ocr_image_blocks(image)
    warnings.extend(in_context(w, f"{label}: page {index + 1}") for w in cell_warnings)
    result = _Page(height=float(page.height), width=float(page.width))
    step = float(page.height) / (len(blocks) + 2)
    for i, block in enumerate(blocks):
        top = step * (i + 1)
        if isinstance(block, Table):
            origins = [[-1] * block.width for _ in block.cells]
            result.items.append((top, _PageTable(block, origins, [], top, top + step / 2)))
        else:
            result.items.append((top, _Line(block, top, top + step / 2, 0.0, 0.0)))
    return result


def _read_page(page) -> _Page:
    result = _Page(height=float(page.height), width=float(page.width))
    boxes = []
    for found in page.find_tables():
        if not found.cells:
            continue
        item = _table_item(found)
        if item is not None:
            result.items.append((item.top, item))
            boxes.append((found.bbox[0], item.top, found.bbox[2], item.bottom))

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    free = page.filter(outside) if boxes else page
    for line in free.extract_text_lines(strip=True, return_chars=False):
        text = normalize_space(join_cjk_gaps(line["text"]))
        if text:
            result.items.append((line["top"], _Line(text, line["top"], line["bottom"], line["x0"], line["x1"])))
    result.items.sort(key=lambda item: item[0])
    return result


def _table_item(table) -> _PageTable | None:
    """One pdfplumber table as a grid built from its cell boxes.

    Full-width rows at the top or bottom (a page frame around prose, a title row) are left out:
    their text is read as ordinary lines. None when nothing of the table is left.
    """
    rows = table.rows
    texts = table.extract()
    xs = _merge_close(sorted({round(cell[0], 1) for cell in table.cells})) + [table.bbox[2]]
    ys = [row.bbox[1] for row in rows] + [table.bbox[3]]
    width, height = len(xs) - 1, len(rows)
    if width <= 0 or height <= 0:
        return None
    texts_of, bounds = _cell_texts_and_boxes(rows, texts)
    owner = _slot_owners(xs, ys, bounds)
    origin_of: dict[int, tuple[int, int]] = {}
    for r in range(height):
        for c in range(width):
            if owner[r][c] >= 0:
                origin_of.setdefault(owner[r][c], (r, c))
    start, end = _rows_inside_frame(owner, width)
    body_rows = []
    for r in range(start, end):
        cells = [texts_of[i] if i >= 0 else "" for i in owner[r]]
        copies = [i >= 0 and origin_of[i] != (r, c) for c, i in enumerate(owner[r])]
        if any(cells):
            body_rows.append((cells, copies, owner[r]))
    if not body_rows:
        return None
    return _PageTable(
        table=Table(cells=[b[0] for b in body_rows], copied=[b[1] for b in body_rows]),
        origins=[b[2] for b in body_rows],
        xs=xs,
        top=ys[start],
        bottom=ys[end],
    )


def _cell_texts_and_boxes(rows, texts) -> tuple[list[str], list[tuple[float, float, float, float]]]:
    """The table's cells in row order: their cleaned texts and their boxes."""
    texts_of: list[str] = []
    bounds: list[tuple[float, float, float, float]] = []
    for r, row in enumerate(rows):
        for c_index, bbox in enumerate(row.cells):
            if bbox is None:
                continue
            text = texts[r][c_index] if r < len(texts) and c_index < len(texts[r]) else ""
            texts_of.append(clean_cell_text(text))
            bounds.append(bbox)
    return texts_of, bounds


def _slot_owners(xs: list[float], ys: list[float], bounds) -> list[list[int]]:
    """For each slot of the grid, the index of the cell whose box holds the slot's centre (-1: none)."""
    width, height = len(xs) - 1, len(ys) - 1
    owner: list[list[int]] = [[-1] * width for _ in range(height)]
    for r in range(height):
        cy = (ys[r] + ys[r + 1]) / 2
        for c in range(width):
            cx = (xs[c] + xs[c + 1]) / 2
            owner[r][c] = next(
                (index for index, (x0, top, x1, bottom) in enumerate(bounds) if x0 - 0.5 <= cx <= x1 + 0.5 and top - 0.5 <= cy <= bottom + 0.5),
                -1,
            )
    return owner


def _rows_inside_frame(owner: list[list[int]], width: int) -> tuple[int, int]:
    """The range of rows left once full-width rows (one cell across) at the top and bottom are dropped."""

    def full_width(r: int) -> bool:
        first = owner[r][0]
        return width == 1 or (first >= 0 and all(owner[r][c] == first for c in range(width)))

    start, end = 0, len(owner)
    while start < end and full_width(start):
        start += 1
    while end > start and full_width(end - 1):
        end -= 1
    return start, end


def _merge_close(values: list[float], tolerance: float = 2.0) -> list[float]:
    merged: list[float] = []
    for value in values:
        if merged and value - merged[-1] <= tolerance:
            continue
        merged.append(value)
    return merged


def _slot(xs: list[float], x: float) -> int:
    for index in range(len(xs) - 1):
        if x < xs[index + 1]:
            return index
    return len(xs) - 2


def _furniture_key(line: _Line) -> tuple[str, int]:
    """Text with digits masked, and the line's height: a running header repeated on every page,
    but not the title it often copies (which is printed larger)."""
    return re.sub(r"\d+", "#", normalize_space(line.text)), round(line.bottom - line.top)


def _drop_page_furniture(pages: list[_Page]) -> None:
    """Remove page numbers and running headers/footers from the pages' margin zones."""
    counts: Counter[str] = Counter()
    for page in pages:
        seen = set()
        for _, item in page.items:
            if isinstance(item, _Line) and _in_margin(item, page):
                seen.add(_furniture_key(item))
        counts.update(seen)
    threshold = max(2, (len(pages) + 1) // 2)
    repeated = {key for key, count in counts.items() if count >= threshold}
    for page in pages:
        kept = []
        lines = [item for _, item in page.items if isinstance(item, _Line)]
        last_line = lines[-1] if lines else None
        first_line = lines[0] if lines else None
        for top, item in page.items:
            if isinstance(item, _Line):
                edge = _in_margin(item, page) or item is last_line or item is first_line
                if edge and is_page_number(item.text):
                    continue
                if _in_margin(item, page) and _furniture_key(item) in repeated:
                    continue
            kept.append((top, item))
        page.items = kept


def _in_margin(line: _Line, page: _Page) -> bool:
    return line.bottom <= page.height * MARGIN_SHARE or line.top >= page.height * (1 - MARGIN_SHARE)


def _assemble(pages: list[_Page]) -> list:
    """Pages to blocks: wrapped lines joined into paragraphs, tables joined over page breaks."""
    blocks: list = []
    previous: _PageTable | None = None  # the table that ended the previous page
    open_line: _Line | None = None  # the last line added, while its paragraph may continue
    open_full = False
    for page in pages:
        items = [item for _, item in page.items]
        lines = [item for item in items if isinstance(item, _Line) and item.x1 > 0]
        right_edge = max((line.x1 for line in lines), default=page.width)
        left_edge = min((line.x0 for line in lines), default=0.0)
        for position, item in enumerate(items):
            if isinstance(item, _PageTable):
                open_line = None
                if position == 0 and previous is not None and _continues(previous, item):
                    _append_rows(previous, item)
                    continue
                blocks.append(item.table)
                previous = item
                continue
            previous = None
            char = max(item.bottom - item.top, 6.0)
            if open_line is not None and open_full and _continues_paragraph(item, left_edge, char):
                blocks[-1] = _join_wrapped(blocks[-1], item.text)
            else:
                blocks.append(item.text)
            open_line = item
            open_full = item.x1 > 0 and item.x1 >= right_edge - 2.5 * char
    return blocks


def _continues_paragraph(line: _Line, left_edge: float, char: float) -> bool:
    """True when ``line`` (after a line that ran to the right margin) carries on its paragraph."""
    if line.x1 <= 0 or line.x0 > left_edge + 1.2 * char:
        return False
    return not (_HEADING_START_RE.match(line.text) or is_page_number(line.text))


def _join_wrapped(head: str, tail: str) -> str:
    if head and tail and (head[-1].isascii() and head[-1].isalnum()) and (tail[0].isascii() and tail[0].isalnum()):
        return head + " " + tail
    return join_cjk_gaps(head + tail)


def _continues(previous: _PageTable, current: _PageTable) -> bool:
    if previous.table.width != current.table.width:
        return False
    return all(abs(a - b) <= 6.0 for a, b in zip(previous.xs, current.xs))


def _append_rows(previous: _PageTable, current: _PageTable) -> None:
    """Join ``current`` (the top of a page) to ``previous`` (the table that ended the page before)."""
    head, rest = previous.table, current.table
    cells, copied, origins = rest.cells, rest.copied, current.origins
    # A header repeated on the new page: drop the rows that equal the table's first rows.
    repeat = 0
    while repeat < min(4, len(cells) - 1, len(head.cells)) and cells[repeat] == head.cells[repeat] and not any(
        is_number(text) for text in cells[repeat]
    ):
        repeat += 1
    cells, copied, origins = cells[repeat:], copied[repeat:], origins[repeat:]
    if cells:
        last_text = head.cells[-1]
        first = cells[0]
        for c, text in enumerate(first):
            above = last_text[c]
            # A label cell merged down over the break shows as an empty cell on the new page.
            if text == "" and above and not is_number(above) and _label_continues(first, c):
                origin = origins[0][c]
                for r, row in enumerate(origins):
                    for cc, owner in enumerate(row):
                        if owner == origin and cells[r][cc] == "" and origin >= 0 and (cc == c or r == 0):
                            cells[r][cc] = above
                            copied[r][cc] = True
                if origin < 0:
                    cells[0][c] = above
                    copied[0][c] = True
    head.cells.extend(cells)
    head.copied.extend(copied)
    previous.origins.extend(origins)
    previous.bottom = current.bottom


def _label_continues(row: list[str], column: int) -> bool:
    """True when an empty cell sits in the label part of a row that has a label further right.

    That is the mark of a merged label cut by the page break (``（四）无法提供`` above, an empty
    cell beside ``2.没有现成信息…`` below), not of a blank data cell.
    """
    for text in row[column + 1 :]:
        if is_number(text):
            return False
        if text:
            return True
    return False
