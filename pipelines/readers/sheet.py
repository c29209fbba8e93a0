"""Spreadsheet readers: every non-empty sheet becomes a table, merged ranges expanded.

XLSX through openpyxl (read-only is not used: merged ranges need the full workbook), XLS through
xlrd with ``formatting_info`` for merged cells. Numbers print as the sheet shows them (``5`` not
``5.0``).
"""

from __future__ import annotations

import io
import struct
from xml.etree.ElementTree import ParseError

from lxml import etree

from pipelines.document import Table
from pipelines.readers.archive import ZIP_MEMBER_ERRORS, zip_problem
from pipelines.readers.grid import SpanCell, cells_to_table, clean_cell_text
from pipelines.warning_codes import warning

MAX_CELLS = 200_000


def _value_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(round(value, 6)).rstrip("0").rstrip(".")
    return clean_cell_text(str(value))


def _sheet_blocks(title: str, values: list[list], merges: list[tuple[int, int, int, int]]) -> list:
    """Blocks of one sheet: its title line and its grid (merges as (row0, col0, row1, col1) inclusive)."""
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for merge in merges:
        r0, c0, r1, c1 = merge
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                covered[(r, c)] = merge
    cells: list[SpanCell] = []
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            merge = covered.get((r, c))
            if merge and (merge[0], merge[1]) != (r, c):
                continue
            text = _value_text(value)
            if merge:
                cells.append(SpanCell(r, c, merge[2] - merge[0] + 1, merge[3] - merge[1] + 1, text))
            elif text:
                cells.append(SpanCell(r, c, 1, 1, text))
    table = cells_to_table(cells, drop_empty_rows=False)
    return _split_sheet(table)


def _split_sheet(table) -> list:
    """A sheet's grid as blocks: a row with text in its first cell only (a title or a section
    heading) becomes a paragraph line; the runs of rows between become tables, each trimmed to
    its used columns; empty rows end a table."""
    blocks: list = []
    run: list[int] = []

    def flush() -> None:
        if run:
            keep = [c for c in range(table.width) if any(table.cells[r][c] for r in run)]
            blocks.append(
                Table(
                    cells=[[table.cells[r][c] for c in keep] for r in run],
                    copied=[[table.copied[r][c] for c in keep] for r in run],
                )
            )
            run.clear()

    for r, row in enumerate(table.cells):
        filled = [c for c, text in enumerate(row) if text]
        if not filled:
            flush()
        elif filled == [0] and not any(table.copied[r]):
            flush()
            blocks.append(row[0])
        else:
            run.append(r)
    flush()
    return blocks


def _xlsx_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl raises on a damaged workbook: its own file error, a missing part (KeyError), a part
    that is not XML, values of the wrong type or range in its typed descriptors, damaged members."""
    from openpyxl.utils.exceptions import InvalidFileException

    return (InvalidFileException, KeyError, TypeError, ValueError, ParseError, etree.XMLSyntaxError, *ZIP_MEMBER_ERRORS)


def _xls_errors() -> tuple[type[BaseException], ...]:
    """What xlrd raises on a damaged or encrypted workbook: its own and its compound-file errors, and
    records cut short or pointing outside the file (struct.error, IndexError, EOFError), bad text (ValueError),
    records naming formats that are not there (KeyError), indexes too large for xlrd's arrays (OverflowError),
    record checks written as asserts (AssertionError)."""
    from xlrd.biffh import XLRDError
    from xlrd.compdoc import CompDocError

    return (XLRDError, CompDocError, struct.error, IndexError, EOFError, ValueError, KeyError, OverflowError, AssertionError)


def read_xlsx(data: bytes, filename: str | None = None):
    import openpyxl

    from pipelines.readers import ReadResult

    label = filename or "xlsx"
    problem = zip_problem(data)
    if problem:
        return ReadResult("xlsx", [], [warning("file_corrupt", f"{label}: {problem}")])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except _xlsx_errors() as exc:
        return ReadResult("xlsx", [], [warning("file_corrupt", f"{label}: corrupt XLSX, not read ({type(exc).__name__})")])
    blocks: list = []
    warnings: list[str] = []
    for sheet in workbook.worksheets:
        if sheet.max_row * sheet.max_column > MAX_CELLS:
            warnings.append(warning("sheet_too_large", f"{label}: sheet {sheet.title!r} has {sheet.max_row}x{sheet.max_column} cells; skipped"))
            continue
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
        blocks.extend(_sheet_blocks(sheet.title, values, merges))
    return ReadResult("xlsx", blocks, warnings)


def read_xls(data: bytes, filename: str | None = None):
    import xlrd

    from pipelines.readers import ReadResult

    label = filename or "xls"
    try:
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
        except NotImplementedError:
            book = xlrd.open_workbook(file_contents=data)
    except _xls_errors() as exc:
        return ReadResult("xls", [], [warning("file_corrupt", f"{label}: corrupt or encrypted XLS, not read ({type(exc).__name__})")])
    blocks: list = []
    warnings: list[str] = []
    for sheet in book.sheets():
        if sheet.nrows * sheet.ncols > MAX_CELLS:
            warnings.append(warning("sheet_too_large", f"{label}: sheet {sheet.name!r} has {sheet.nrows}x{sheet.ncols} cells; skipped"))
            continue
        values = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                row.append(cell.value if cell.ctype not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) else None)
            values.append(row)
        merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in getattr(sheet, "merged_cells", [])]
        blocks.extend(_sheet_blocks(sheet.name, values, merges))
    return ReadResult("xls", blocks, warnings)
