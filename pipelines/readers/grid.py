"""Helpers shared by the readers: span-aware grid building and cell-text cleaning."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.document import MAX_SPAN, Table, normalize_space

# Han ideographs, CJK punctuation and full-width forms: text written without spaces between them.
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u201c\u201d\u2018\u2019"
_CJK_GAP_RE = re.compile(rf"(?<=[{_CJK}])[ \t\u3000\xa0]+(?=[{_CJK}])")
_CJK_CHAR_RE = re.compile(rf"[{_CJK}]")
NUMBER_RE = re.compile(r"^[-+]?\d[\d,，]*(\.\d+)?$")


def join_cjk_gaps(text: str) -> str:
    """Drop the spaces a PDF or OCR puts between two CJK characters (justified or spaced text)."""
    return _CJK_GAP_RE.sub("", text)


def clean_cell_text(text: str | None) -> str:
    """One cell's text on one line: wrapped lines joined (no space between CJK), spaces collapsed."""
    if not text:
        return ""
    lines = [line.strip() for line in re.split(r"[\r\n\v]+", text) if line.strip()]
    out = ""
    for line in lines:
        if out and not (_CJK_CHAR_RE.match(out[-1]) or _CJK_CHAR_RE.match(line[0])):
            out += " "
        out += line
    return normalize_space(join_cjk_gaps(normalize_space(out)))


def is_number(text: str) -> bool:
    return bool(NUMBER_RE.match(text.strip()))


@dataclass
class SpanCell:
    """A cell placed on a grid: top-left slot, spans, text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


def cells_to_table(cells: list[SpanCell], *, drop_empty_rows: bool = True) -> Table:
    """A :class:`Table` from placed cells, each span's text repeated with ``copied`` set.

    Slots no cell covers stay empty; rows with no text at all are dropped, as the HTML reader does.
    """
    grid: dict[tuple[int, int], tuple[str, bool]] = {}
    for cell in cells:
        rowspan = min(max(cell.rowspan, 1), MAX_SPAN)
        colspan = min(max(cell.colspan, 1), MAX_SPAN)
        for dr in range(rowspan):
            for dc in range(colspan):
                grid.setdefault((cell.row + dr, cell.col + dc), (cell.text, bool(dr or dc)))
    if not grid:
        return Table(cells=[])
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    rows = [[grid.get((r, c), ("", False)) for c in range(width)] for r in range(height)]
    if drop_empty_rows:
        rows = [row for row in rows if any(text for text, _ in row)]
    return Table(cells=[[t for t, _ in row] for row in rows], copied=[[c for _, c in row] for row in rows])


def text_lines(text: str) -> list[str]:
    """Paragraph lines of a converter's plain-text output (blank lines kept as ``""``)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n").replace("\ufeff", "")
    return [line.rstrip() for line in text.split("\n")]


def slots_to_table(grid: dict[tuple[int, int], tuple[str, bool]]) -> Table:
    """A :class:`Table` from grid slots ``{(row, column): (text, copied)}``; empty rows dropped."""
    if not grid:
        return Table(cells=[])
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    cells = [[grid.get((r, c), ("", False))[0] for c in range(width)] for r in range(height)]
    copied = [[grid.get((r, c), ("", False))[1] for c in range(width)] for r in range(height)]
    keep = [i for i, row in enumerate(cells) if any(row)]
    return Table(cells=[cells[i] for i in keep], copied=[copied[i] for i in keep])
