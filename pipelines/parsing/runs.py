"""Tables whose separators were lost: lines cut back into rows, digit runs split by the arithmetic.

A crawler's text dump or a PDF text layer can print a whole table on one line with the cells run
together (``…申请数量230 000023二、上年结转…0000000``). :func:`resegment` cuts such a line before
every numbering mark (``一、`` ``（三）`` ``2.``) and official row label (``规章``, ``行政许可`` …)
and after every run of numbers, so each piece is one row: its label and its run of digits.

:func:`digit_splits` then splits a row's digits into its cells with the official arithmetic: no
cell has a leading zero, a row of section 三 has its total last (the sum of its six applicant
columns), a row of section 四 is three groups of four results and their total. The search goes
cell by cell, checks each total as soon as it is placed, and stops at ``MAX_STEPS``; the caller
narrows rows with several splits by the column rules (:func:`resolve_requests`) and leaves what is
still open null, naming the candidates. Nothing here guesses.
"""

from __future__ import annotations

import itertools
import re

from . import keys
from .numbers import normalize

MIN_RUN_LINE = 120
MIN_GLUED_LABELS = 3
MAX_CELL_DIGITS = 7
MAX_STEPS = 20000
MAX_COMBINATIONS = 20000
MAX_NAMED = 4

_ACTIVE_NAMES = "|".join(sorted(keys.ACTIVE_LABELS, key=len, reverse=True))
_REQUEST_PHRASES = "|".join(phrase.pattern for _, phrase in keys.REQUEST_PHRASES)
_LABEL_THEN_DIGITS_RE = re.compile(rf"(?:{_ACTIVE_NAMES}|{_REQUEST_PHRASES}|总计|申请数量)[^\d。，；]{{0,40}}?\s?\d")
_CUT_RE = re.compile(
    r"(?<=[\d\s])(?=[\u4e00-\u9fff（(“])"  # after a run of numbers, where text starts again
    r"|(?=[一二三四五六七八九十]、)"  # before 一、
    r"|(?=[（(][一二三四五六七八九十][)）])"  # before （一）
    r"|(?=(?<![\d.])[1-9][.、．][\u4e00-\u9fff])"  # before 2.其他 (a sub-item number, not a decimal)
    r"|(?<=\d)(?=[1-9][.、．][\u4e00-\u9fff])"  # 00000002.其他: the last digit numbers the next row
    rf"|(?<=[\u4e00-\u9fff）)])(?=(?:{_ACTIVE_NAMES})[\d\s])"  # …数量行政许可3960181
)
_PIECE_RE = re.compile(r"^(?P<label>.*?)(?P<values>[\d\s,.元万+-]*)$", re.S)
_DIGITS_RE = re.compile(r"^[\d\s]+$")


def is_run_together(line: str) -> bool:
    """A long line holding several official row labels each followed directly by numbers."""
    return len(line) >= MIN_RUN_LINE and len(_LABEL_THEN_DIGITS_RE.findall(line)) >= MIN_GLUED_LABELS


def resegment(line: str) -> list[tuple[str, list[str]]]:
    """A run-together line as (label, value tokens) pieces, in order."""
    pieces = []
    for piece in _CUT_RE.split(line):
        if not piece or not piece.strip():
            continue
        match = _PIECE_RE.match(piece.strip())
        label, values = match["label"].strip(), match["values"].strip()
        if values and not re.search(r"\d", values):
            label, values = (label + " " + values).strip(), ""
        pieces.append((label, values.split()))
    return pieces


def glued_digits(values: list[str]) -> str | None:
    """The digits of a row printed run together (spaces ignored), or None if not all digits."""
    text = "".join(normalize(v) for v in values)
    return text if text and _DIGITS_RE.match(text) else None


def _constraints(width: int, totals: tuple[tuple[range, int], ...]) -> dict[int, range]:
    return {total: parts for parts, total in totals if total < width}


def digit_splits(digits: str, width: int, totals: tuple[tuple[range, int], ...] = ()) -> tuple[list[list[int]], bool]:
    """Every split of ``digits`` into ``width`` numbers obeying ``totals`` ((parts, total index)
    pairs: the total is the sum of the parts); and whether the search was cut at ``MAX_STEPS``."""
    checks = _constraints(width, totals)
    found: list[list[int]] = []
    steps = 0
    cells: list[int] = []

    def walk(start: int) -> bool:
        nonlocal steps
        steps += 1
        if steps > MAX_STEPS:
            return False
        left = width - len(cells)
        rest = len(digits) - start
        if left == 0:
            if rest == 0:
                found.append(list(cells))
            return True
        if rest < left or rest > left * MAX_CELL_DIGITS:
            return True
        index = len(cells)
        for size in range(1, min(MAX_CELL_DIGITS, rest - (left - 1)) + 1):
            text = digits[start : start + size]
            if size > 1 and text[0] == "0":
                break
            value = int(text)
            if index in checks and value != sum(cells[i] for i in checks[index]):
                continue
            cells.append(value)
            ok = walk(start + size)
            cells.pop()
            if not ok:
                return False
        return True

    complete = walk(0)
    return found, not complete


REQUEST_TOTALS = ((range(0, 6), 6),)
REVIEW_TOTALS = tuple((range(g * 5, g * 5 + 4), g * 5 + 4) for g in range(len(keys.REVIEW_GROUPS)))


def describe(candidates: list[list[int]]) -> str:
    named = [" | ".join(str(v) for v in c) for c in candidates[:MAX_NAMED]]
    more = f" (and {len(candidates) - MAX_NAMED} more)" if len(candidates) > MAX_NAMED else ""
    return " or ".join(named) + more


def _column_rules_hold(rows: dict[str, list[int | None]], fmt: str) -> bool:
    """Rules 1 and 2 over the rows given (a rule whose rows are not all known is not checked)."""
    results = [row for row in keys.RESULT_ROWS[fmt] if row in rows]
    known = lambda row: row in rows and rows[row] is not None  # noqa: E731
    for column in range(len(keys.REQUEST_COLUMNS)):
        cell = lambda row, column=column: rows[row][column] or 0  # noqa: E731
        if all(known(row) for row in ("new", "carried_over", "total", "carried_forward")):
            if cell("new") + cell("carried_over") != cell("total") + cell("carried_forward"):
                return False
        if known("total") and len(results) == len(keys.RESULT_ROWS[fmt]) and all(known(r) for r in results):
            if sum(cell(row) for row in results) != cell("total"):
                return False
    return True


def resolve_requests(fixed: dict[str, list[int | None]], open_rows: dict[str, list[list[int]]], fmt: str) -> dict[str, list[list[int]]]:
    """Narrow the rows with several splits by the column rules; returns each open row's survivors."""
    names = list(open_rows)
    if not names:
        return {}
    sizes = [len(open_rows[name]) for name in names]
    total = 1
    for size in sizes:
        total *= size
    if total > MAX_COMBINATIONS:
        return open_rows
    survivors: dict[str, list[list[int]]] = {name: [] for name in names}
    for choice in itertools.product(*(open_rows[name] for name in names)):
        rows = dict(fixed)
        rows.update(zip(names, choice))
        if _column_rules_hold(rows, fmt):
            for name, cells in zip(names, choice):
                if cells not in survivors[name]:
                    survivors[name].append(cells)
    return survivors
