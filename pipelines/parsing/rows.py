"""Every source as one stream of rows of cells.

An HTML/Word grid row is a row (cells copied from a span are dropped, so each printed cell counts
once and blank cells keep their place); a text line is a row split on tabs, on ``|`` pipes, or, for
a line that ends in numbers, on the spaces before them; a long line with the table run together is
cut into rows first (:mod:`.runs`). A line holding a single cell (the "one cell
per line" layout of Word/PDF exports) is a *lone* row: the table readers join such rows to the
label before them.

Each row is split into a label (the leading text cells) and values (the number, blank or
placeholder cells after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.document import Block, Table

from .numbers import BLANK, NUMBER, TEXT, classify, is_separator, normalize
from .runs import is_run_together, resegment

MAX_SPACED_LABEL = 70

_SPACES_RE = re.compile(r"[\s\u3000\xa0]+")
_MAY_END_IN_VALUE_RE = re.compile(r"[\d０-９元件个项条次宗家/\\／\-—–－无×]$")


@dataclass
class Row:
    label: str
    """The label cells joined, normalized (NFKC, no whitespace); "" for a row of values only."""
    values: list[str]
    """The cells after the label, as printed (blank cells kept as "")."""
    grid: bool
    """From a real table grid, where cell positions can be trusted."""
    lone: bool
    """A text line holding one cell only."""
    text: str
    """The row's printed text, for anchors and format markers."""
    tabbed: bool = False
    """A tab-separated text line: blank cells keep their place, trailing ones were cut with the line's end."""
    glued: bool = False
    """Cut out of a run-together line (:mod:`.runs`): its values may be digits run together."""

    @property
    def filled(self) -> int:
        return sum(1 for value in self.values if classify(value) != BLANK)


def _split_spaced(line: str) -> list[str]:
    """``label 1 2 3`` -> [label, 1, 2, 3] when the line ends in numbers; else the line as one cell."""
    tokens = _SPACES_RE.split(line.strip())
    end = len(tokens)
    while end > 0 and classify(tokens[end - 1]) != TEXT:
        end -= 1
    numbers = tokens[end:]
    label = " ".join(tokens[:end])
    if not any(classify(token) == NUMBER for token in numbers) or len(label) > MAX_SPACED_LABEL or "。" in label:
        return [line.strip()]
    return ([label] if label else []) + numbers


def split_line(line: str) -> list[str]:
    """The cells of one text line."""
    if "\t" in line:
        return [cell.strip() for cell in line.split("\t")]
    if "|" in line:
        return [cell.strip() for cell in line.split("|")]
    return _split_spaced(line)


def make_row(cells: list[str], *, grid: bool, lone: bool = False, tabbed: bool = False) -> Row | None:
    """Split cells into label and values; None for an empty row or a rule of dashes."""
    cells = [cell.strip() for cell in cells]
    filled = [cell for cell in cells if cell]
    if not filled or all(map(is_separator, filled)):
        return None
    kinds = list(map(classify, cells))
    label_end = -1
    for index, kind in enumerate(kinds):
        if kind == TEXT:
            label_end = index
        elif kind != BLANK:
            break
    label_cells = [cell for cell in cells[: label_end + 1] if cell]
    values: list[str] = []
    for cell, kind in zip(cells[label_end + 1 :], kinds[label_end + 1 :]):
        if kind == TEXT:
            break
        values.append(cell)
    if not label_cells and not grid:
        while values and not values[0]:
            values.pop(0)
    text = " ".join(filled)
    return Row(normalize("".join(label_cells)), values, grid, lone, text, tabbed)


def blocks_to_rows(blocks: list[Block]) -> list[Row]:
    """The row stream of a document (blank lines give no row)."""
    rows: list[Row] = []
    for block in blocks:
        if isinstance(block, Table):
            for cells, copies in zip(block.cells, block.copied):
                own = [text for text, copy in zip(cells, copies) if not copy]
                row = make_row(own, grid=True)
                if row:
                    rows.append(row)
        elif block.strip():
            stripped = block.strip()
            if "\t" not in stripped and is_run_together(stripped):
                rows.extend(Row(normalize(label), values, False, False, f"{label} {' '.join(values)}", glued=True)
                            for label, values in resegment(stripped))
                continue
            if "\t" not in stripped and "|" not in stripped and not _MAY_END_IN_VALUE_RE.search(stripped):
                rows.append(Row(normalize(stripped), [], False, True, stripped))  # prose or a lone label
                continue
            cells = split_line(block)
            lone = sum(1 for cell in cells if cell.strip()) == 1
            row = make_row(cells, grid=False, lone=lone, tabbed="\t" in block)
            if row:
                rows.append(row)
    return rows
