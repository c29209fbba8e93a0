"""The three standard tables, read from the row stream by labels rather than by position.

One pass over the rows: a row whose label names a table row (``规章``, ``（一）予以公开``,
``2.重复申请`` …) opens a record and takes the row's values; rows of values only (one cell per
line, rows broken across lines) fill the open record up to its column count; a row of 15 values
without a known label is the data row of section 四, with or without its header rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from pipelines.warning_codes import warning

from . import keys, runs
from .numbers import BLANK, PLACEHOLDER, classify, parse_number
from .rows import Row

REVIEW_WIDTH = len(keys.REVIEW_GROUPS) * len(keys.REVIEW_COLUMNS)
MIN_REVIEW_CELLS = 6  # a tab row of section 四 cut short: its last cells were blank


@dataclass
class Record:
    table: str  # "requests" or "active"
    key: str
    expected: int
    values: list[str] = field(default_factory=list)
    grid: bool = False
    glued: bool = False
    """From a run-together line: the values may be digits run together (see :mod:`.runs`)."""
    unread: bool = False
    """Run-together digits no split could be settled for: null, the warning says why."""

    @property
    def full(self) -> bool:
        return len(self.values) >= self.expected


@dataclass
class Found:
    """What the pass found: row records per table and the section 四 data row."""

    requests: dict[str, Record] = field(default_factory=dict)
    active: dict[str, Record] = field(default_factory=dict)
    review: list[str] | None = None
    review_header: bool = False
    review_problem: str | None = None
    """Why a run-together section 四 row was not split (a warning)."""

    markers: int = 0
    has_requests: bool = False
    """Enough section 三 rows with numbers to be the table (a menu entry named 信访 is not)."""
    has_active: bool = False

    def settle(self) -> None:
        """Decide, once the pass is over, which tables the records amount to."""
        self.has_requests = sum(1 for r in self.requests.values() if _filled(r.values)) >= MIN_ROWS
        filled = sum(1 for r in self.active.values() if _filled(r.values))
        self.has_active = filled >= MIN_ROWS or bool(filled and self.markers)

    @property
    def any_table(self) -> bool:
        """Enough evidence of a report table."""
        return self.has_requests or self.has_active or (self.review is not None and self.review_header)


MIN_ROWS = 2


def _filled_rows(records: dict[str, Record]) -> int:
    return sum(1 for record in records.values() if _filled(record.values))


def _filled(values: list[str]) -> int:
    return sum(1 for value in values if classify(value) != BLANK)


def detect_format(rows: list[Row]) -> str | None:
    """``2021`` or ``2019`` by section 二's header labels (then section 三's （六） rows); None if silent."""
    score = {"2021": 0, "2019": 0}
    for row in rows:
        text = row.label
        if not keys.FORMAT_ANY_RE.search(text):
            continue
        for fmt, marker in keys.FORMAT_MARKERS.items():
            if marker.search(text):
                score[fmt] += 1
    if score["2021"] != score["2019"]:
        return max(score, key=score.get)
    return None


MAX_LABEL = 70
MAX_SUB_LABEL = 30


@lru_cache(maxsize=4096)
def request_key(label: str, group: str | None) -> tuple[str | None, str | None]:
    """The row key of a section 三 label and the group it leaves open (for unnumbered sub-rows).

    Cached: the official labels recur in every report."""
    if len(label) > MAX_LABEL or "。" in label:
        return None, None
    if not keys.REQUEST_ANY_RE.search(label):
        return None, group
    for key, phrase in keys.REQUEST_PHRASES:
        if phrase.search(label):
            return key, _group_of(key) or group
    if keys.REQUEST_TOTAL_RE.match(label):
        return "total", None
    if keys.REQUEST_OTHER_OTHER_RE.match(label) or (group == "其他处理" and label.endswith("其他") and "处理" not in label):
        return "other_other", "其他处理"
    for name, sub_rows in keys.REQUEST_GROUPS:
        if name in label:
            sub = keys.SUB_ITEM_RE.search(label.split(name, 1)[1])
            if sub and int(sub.group(1)) <= len(sub_rows):
                return sub_rows[int(sub.group(1)) - 1], name
            return ("other" if name == "其他处理" else None), name
    sub_rows = dict(keys.REQUEST_GROUPS).get(group or "")
    if sub_rows and len(label) <= MAX_SUB_LABEL:
        sub = keys.SUB_ITEM_RE.match(label)
        if sub and label[sub.end() :] and int(sub.group(1)) <= len(sub_rows):
            return sub_rows[int(sub.group(1)) - 1], group
    return None, group


def _group_of(key: str) -> str | None:
    for name, sub_rows in keys.REQUEST_GROUPS:
        if key in sub_rows:
            return name
    return None


@lru_cache(maxsize=4096)
def active_key(label: str) -> str | None:
    """The row key of a section 二 label (guidance in brackets ignored)."""
    bare = label
    while "(" in bare and ")" in bare:
        start = bare.index("(")
        end = bare.find(")", start)
        if end < 0:
            break
        bare = bare[:start] + bare[end + 1 :]
    return keys.ACTIVE_LABELS.get(bare)


def scan(rows: list[Row], fmt: str) -> Found:
    """Walk the rows once and collect the records of all three tables."""
    scanner = _Scanner(fmt)
    for row in rows:
        scanner.read(row)
    scanner.close()
    scanner.flush_run()
    scanner.found.settle()
    return scanner.found


class _Scanner:
    """The state of one pass: the record being filled, the open section 三 group, a run of lone values."""

    def __init__(self, fmt: str):
        self.found = Found()
        self.active_columns = keys.ACTIVE_COLUMNS[fmt]
        self.current: Record | None = None
        self.group: str | None = None
        self.run: list[str] = []

    def read(self, row: Row) -> None:
        if "未经复议" in row.label or "复议后起诉" in row.label:
            self.found.review_header = True
        if keys.FORMAT_ANY_RE.search(row.label):
            self.found.markers += 1
        table, key = self.row_key(row)
        if key:
            self.open(table, key, row)
        elif not row.label:
            self.values_only(row)
        elif row.values:
            self.unknown_label_with_values(row)
        else:
            if self.current is not None and self.current.values:
                self.close()
            self.flush_run()

    def row_key(self, row: Row) -> tuple[str | None, str | None]:
        """(table, row key) a row's label names, or (None, None)."""
        if not row.label:
            return None, None
        key = active_key(row.label)
        if key in self.active_columns:
            table = "active"
        else:
            key, self.group = request_key(row.label, self.group)
            table = "requests" if key else None
        if key and self.found.review_header and _filled_rows(self.found.requests) >= MIN_ROWS:
            return None, None  # section 四 follows section 三: its header words (总计, 其他结果) open no row
        return table, key

    def open(self, table: str, key: str, row: Row) -> None:
        self.close()
        self.flush_run()
        expected = len(self.active_columns[key]) if table == "active" else len(keys.REQUEST_COLUMNS)
        self.current = Record(table, key, expected, list(row.values), row.grid, row.glued)
        if self.current.full or ((row.grid or row.glued) and self.current.values):
            self.close()

    def values_only(self, row: Row) -> None:
        """A row of values: the open record's next cells, a lone cell of a run, or section 四's row."""
        current = self.current
        if current is not None and not current.full and len(current.values) + len(row.values) <= current.expected:
            current.values.extend(row.values)
            if current.full:
                self.close()
            return
        self.close()
        if row.lone:
            self.run.extend(row.values)
            return
        self.flush_run()
        values = row.values
        if row.tabbed and self.found.review_header and MIN_REVIEW_CELLS <= len(values) < REVIEW_WIDTH:
            values = values + [""] * (REVIEW_WIDTH - len(values))  # blank cells cut at the line's end
        _review_candidate(self.found, values)

    def unknown_label_with_values(self, row: Row) -> None:
        """A label that names no table row, followed by values."""
        current = self.current
        if current is not None and not current.values and len(row.values) <= current.expected:
            current.values.extend(row.values)  # the label was broken across lines
            self.close()
            return
        self.close()
        self.flush_run()
        if row.glued:
            _glued_review(self.found, row.values)
        else:
            _review_candidate(self.found, row.values)

    def close(self) -> None:
        current, self.current = self.current, None
        if current is None:
            return
        if current.glued and sum(ch.isdigit() for ch in "".join(current.values)) < current.expected:
            return  # a label in run-together prose (…规范性文件5件…): too few digits for the row
        store = self.found.requests if current.table == "requests" else self.found.active
        previous = store.get(current.key)
        if previous is None or _filled(current.values) > _filled(previous.values):
            store[current.key] = current

    def flush_run(self) -> None:
        if len(self.run) == REVIEW_WIDTH and self.found.review is None:
            self.found.review = list(self.run)
        self.run.clear()


def _review_candidate(found: Found, values: list[str]) -> None:
    fitted = _trim(values, REVIEW_WIDTH)
    if found.review is None and len(fitted) == REVIEW_WIDTH and any(classify(v) != BLANK for v in fitted):
        found.review = fitted


def _glued_review(found: Found, values: list[str]) -> None:
    """A section 四 row cut from a run-together line: its 15 cells, split by rule 4 if need be."""
    if found.review is not None or not found.review_header:
        return
    if len(values) == REVIEW_WIDTH:
        _review_candidate(found, values)
        return
    digits = runs.glued_digits(values)
    if digits is None or len(digits) < REVIEW_WIDTH:
        return
    splits, cut = runs.digit_splits(digits, REVIEW_WIDTH, runs.REVIEW_TOTALS)
    if len(splits) == 1 and not cut:
        found.review = [str(value) for value in splits[0]]
    elif splits:
        found.review_problem = warning(
            "digits_ambiguous", f"review_litigation: {digits!r} splits {len(splits)}{'+' if cut else ''} ways: {runs.describe(splits)}; null"
        )
    else:
        found.review_problem = warning(
            "digits_unsplit", f"review_litigation: {digits!r} has no split obeying rule 4{' within the search bound' if cut else ''}; null"
        )


def _trim(values: list[str], expected: int) -> list[str]:
    """Drop blank cells left by spans at either end until the count fits."""
    values = list(values)
    while len(values) > expected and classify(values[0]) == BLANK:
        values.pop(0)
    while len(values) > expected and classify(values[-1]) == BLANK:
        values.pop()
    return values


class Collector:
    """Numbers out of records, with one warning per table for blanks and placeholders."""

    def __init__(self, table: str, warnings: list[str]):
        self.table = table
        self.warnings = warnings
        self.blank_rows: list[str] = []

    def numbers(self, row_key: str, record: Record | None, columns: tuple[str, ...]) -> dict:
        empty = {column: None for column in columns}
        if record is None:
            self.warnings.append(warning("row_missing", f"{self.table} row {row_key} not found: null"))
            return empty
        if record.unread:
            return empty
        if not any(classify(v) != BLANK for v in record.values):
            if record.values and record.grid:
                self.blank_rows.append(row_key)
            else:
                self.warnings.append(warning("row_blank", f"{self.table} row {row_key} printed without numbers: null"))
            return empty
        values = _trim(record.values, len(columns))
        if len(values) > len(columns):
            self.warnings.append(
                warning("row_too_many_values", f"{self.table} row {row_key}: {len(values)} values for {len(columns)} columns, not mapped: null")
            )
            return empty
        if len(values) < len(columns):
            self.warnings.append(
                warning(
                    "row_too_few_values",
                    f"{self.table} row {row_key}: {len(values)} values for {len(columns)} columns, read left to right, the rest null",
                )
            )
        out = {}
        blank = False
        for index, column in enumerate(columns):
            cell = values[index] if index < len(values) else ""
            kind = classify(cell)
            if kind in (BLANK, PLACEHOLDER):
                blank = blank or index < len(values)
                out[column] = None
                continue
            number = parse_number(cell, ten_thousands=(row_key, column) in keys.TEN_THOUSANDS)
            out[column] = number
        if blank:
            self.blank_rows.append(row_key)
        return out

    def finish(self) -> None:
        if self.blank_rows:
            rows = ", ".join(dict.fromkeys(self.blank_rows))
            self.warnings.append(warning("cells_blank", f"{self.table}: blank or placeholder cells read as null in rows {rows}"))


def build_tables(found: Found, fmt: str, warnings: list[str]) -> tuple[dict, dict, dict]:
    """The contract's ``active``, ``requests`` and ``review_litigation`` objects for format ``fmt``."""
    has_active, has_requests = found.has_active, found.has_requests
    split_glued(found, fmt, warnings)
    if not has_active:
        warnings.append(warning("table_not_found", "active table (section 二) not found: null"))
    collector = Collector("active", warnings)
    active = {}
    for row_key, columns in keys.ACTIVE_COLUMNS[fmt].items():
        if not has_active:
            active[row_key] = {column: None for column in columns}
        else:
            active[row_key] = collector.numbers(row_key, found.active.get(row_key), columns)
    collector.finish()

    requests = {}
    rows = list(keys.REQUEST_ROWS[fmt])
    single_other = fmt == "2021" and "other" in found.requests and not any(
        key in found.requests and found.requests[key].values for key in keys.OTHER_ROWS_2021
    )
    if single_other:
        rows.insert(rows.index("other_other") + 1, "other")
    if not has_requests:
        warnings.append(warning("table_not_found", "requests table (section 三) not found: null"))
    collector = Collector("requests", warnings)
    for row_key in rows:
        if not has_requests or (single_other and row_key in keys.OTHER_ROWS_2021):
            requests[row_key] = {column: None for column in keys.REQUEST_COLUMNS}
        else:
            requests[row_key] = collector.numbers(row_key, found.requests.get(row_key), keys.REQUEST_COLUMNS)
    collector.finish()

    review = {}
    if found.review is None and found.review_problem:
        warnings.append(found.review_problem)
    elif found.review is None:
        warnings.append(warning("table_not_found", "review_litigation table (section 四): data row of 15 numbers not found: null"))
    collector = Collector("review_litigation", warnings)
    width = len(keys.REVIEW_COLUMNS)
    for index, group in enumerate(keys.REVIEW_GROUPS):
        if found.review is None:
            review[group] = {column: None for column in keys.REVIEW_COLUMNS}
            continue
        record = Record("review", group, width, found.review[index * width : (index + 1) * width], True)
        review[group] = collector.numbers(group, record, keys.REVIEW_COLUMNS)
    collector.finish()
    return active, requests, review


def _ints(values: list[str]) -> list[int | None] | None:
    numbers = [parse_number(v) for v in values]
    if any(isinstance(n, float) for n in numbers):
        return None
    return numbers


def _row_rule_holds(values: list[int | None]) -> bool:
    return sum(v or 0 for v in values[:-1]) == (values[-1] or 0)


def split_glued(found: Found, fmt: str, warnings: list[str]) -> None:
    """Give run-together rows their cells: the one split the rules allow, else null and a warning."""
    done: list[str] = []
    for record in found.active.values():
        if record.glued and len(record.values) != record.expected:
            splits, cut = _splits(record, ())
            _settle(record, "active", splits, cut, done, warnings)
    fixed: dict[str, list[int | None]] = {}
    open_rows: dict[str, list[list[int]]] = {}
    width = len(keys.REQUEST_COLUMNS)
    for key, record in found.requests.items():
        numbers = _ints(record.values) if len(record.values) == width else None
        if numbers is not None and (not record.glued or _row_rule_holds(numbers)):
            fixed[key] = numbers
            continue
        if not record.glued:
            continue
        splits, cut = _splits(record, runs.REQUEST_TOTALS)
        if len(splits) == 1 and not cut:
            fixed[key] = splits[0]
            _settle(record, "requests", splits, cut, done, warnings)
        elif len(splits) > 1 and not cut:
            open_rows[key] = splits
        else:
            _settle(record, "requests", splits, cut, done, warnings)
    survivors = runs.resolve_requests(fixed, open_rows, fmt)
    for key, splits in open_rows.items():
        narrowed = survivors.get(key) or splits
        _settle(found.requests[key], "requests", narrowed, False, done, warnings)
    if done:
        warnings.append(warning("digits_split", f"cells run together, split by the official arithmetic in rows {', '.join(done)}"))


def _splits(record: Record, totals) -> tuple[list[list[int]], bool]:
    digits = runs.glued_digits(record.values)
    if digits is None:
        return [], False
    return runs.digit_splits(digits, record.expected, totals)


def _settle(record: Record, table: str, splits: list[list[int]], cut: bool, done: list[str], warnings: list[str]) -> None:
    printed = " ".join(record.values)
    if len(splits) == 1 and not cut:
        record.values = [str(value) for value in splits[0]]
        done.append(f"{table}.{record.key}")
        return
    record.values, record.unread = [], True
    if splits:
        warnings.append(
            warning("digits_ambiguous", f"{table} row {record.key}: {printed!r} splits {len(splits)}{'+' if cut else ''} ways: {runs.describe(splits)}; null")
        )
    else:
        why = "the search bound was hit" if cut else "no split obeys the rules" if runs.glued_digits(record.values or [printed]) else "not digits only"
        warnings.append(warning("digits_unsplit", f"{table} row {record.key}: {printed!r}: {why}; null"))
