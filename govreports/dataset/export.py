"""Write the typed exports: ``reports.*`` (one row per report), ``cells.*`` (long form),
``cross_year.csv`` and the data dictionary ``README.md``.

Parquet files carry an explicit schema with each column's meaning and Chinese label in its field
metadata; CSV files are UTF-8 with a BOM so Excel reads the Chinese text. Numbers are never
changed: a count that is not a whole number, or an amount finer than the decimal scale, is left
null in ``reports.*`` (``cells.*`` keeps it as printed) and named in the problems.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from govreports.dataset.columns import (
    AMOUNT_PRECISION,
    AMOUNT_SCALE,
    CELL_FORM_COLUMNS,
    TABLES,
    Column,
    cell_columns,
    data_dictionary,
    is_amount,
    report_columns,
    table_cells,
)
from govreports.dataset.cross_year import FIELDS as CROSS_YEAR_FIELDS
from govreports.dataset.cross_year import cross_year_checks
from pipelines.warning_codes import code_of

LIST_SEPARATOR = " | "
_QUANTUM = Decimal(1).scaleb(-AMOUNT_SCALE)
_TYPES = {
    "string": pa.string(),
    "int": pa.int64(),
    "decimal": pa.decimal128(AMOUNT_PRECISION, AMOUNT_SCALE),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("s", tz="UTC"),
    "list": pa.list_(pa.string()),
    "float": pa.float64(),
}


CELLS = cell_columns()


def _table_order() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """table -> [(row, its columns)] in the printed tables' order."""
    order: dict[str, dict[str, tuple[str, ...]]] = {}
    for table, row, column in table_cells():
        rows = order.setdefault(table, {})
        rows[row] = (*rows.get(row, ()), column)
    return {table: list(rows.items()) for table, rows in order.items()}


_TABLE_ORDER = _table_order()


@dataclass
class Export:
    """What ``export`` wrote and what it had to leave out."""

    out: Path
    reports: int = 0
    cells: int = 0
    cross_year_mismatches: int = 0
    cross_year_compared: int = 0
    problems: list[str] = field(default_factory=list)

    def files(self) -> list[Path]:
        names = ("reports.parquet", "reports.csv", "cells.parquet", "cells.csv", "cross_year.csv", "README.md")
        return [self.out / name for name in names]


def schema_of(columns: list[Column], description: str) -> pa.Schema:
    fields = [
        pa.field(
            c.name,
            _TYPES[c.kind],
            metadata={"description": c.meaning, "label_zh": c.label_zh, **({"unit": c.unit} if c.unit else {})},
        )
        for c in columns
    ]
    return pa.schema(fields, metadata={"description": description, "dictionary": "README.md"})


def _number(value):
    return value if type(value) in (int, float) else None  # bool is not a number here


def _whole(value, where: str, problems: list[str]):
    value = _number(value)
    if value is None or isinstance(value, int):
        return value
    if value.is_integer():
        return int(value)
    problems.append(f"{where}: {value!r} is not a whole number; left null in reports.* (kept in cells.*)")
    return None


def _amount(value, where: str, problems: list[str]):
    value = _number(value)
    if value is None:
        return None
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    rounded = exact.quantize(_QUANTUM)
    if rounded != exact:
        problems.append(f"{where}: {value!r} has more than {AMOUNT_SCALE} decimals; left null in reports.*")
        return None
    return rounded


def _date(value, where: str, problems: list[str]):
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        problems.append(f"{where}: published {value!r} is not a YYYY-MM-DD date; left null")
        return None


def _timestamp(value, where: str, problems: list[str]):
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        problems.append(f"{where}: crawled_at {value!r} is not an ISO time; left null")
        return None


def tables_read(record: dict) -> bool:
    rows = record.get("requests") or {}
    return any(_number(v) is not None for row in rows.values() if isinstance(row, dict) for v in row.values())


def report_row(record: dict, problems: list[str]) -> dict:
    """One row of ``reports.*``: metadata and every table cell, typed."""
    where = record.get("url", "?")
    source = record.get("source") or {}
    validation = record.get("validation") or {}
    warnings = [str(w) for w in record.get("warnings") or []]
    row = {
        "report_id": record.get("report_id"),
        "organ_key": record.get("organ_key"),
        "organ": record.get("organ"),
        "year": record.get("year") if isinstance(record.get("year"), int) else None,
        "published": _date(record.get("published"), where, problems),
        "title": record.get("title"),
        "format": record.get("format"),
        "site": record.get("site"),
        "region_code": record.get("region_code"),
        "url": record.get("url"),
        "urls": list(record.get("urls") or [record.get("url")]),
        "sites": list(record.get("sites") or []),
        "source_kind": source.get("kind"),
        "source_url": source.get("url"),
        "source_sha256": source.get("sha256"),
        "attachment_urls": [a.get("url") for a in record.get("attachments") or [] if a.get("url")],
        "tables_read": tables_read(record),
        "validation_ok": validation.get("ok"),
        "validation_errors": [str(e) for e in validation.get("errors") or []],
        "warning_codes": list(dict.fromkeys(code_of(w) for w in warnings)),
        "warnings": warnings,
        "crawled_at": _timestamp(record.get("crawled_at"), where, problems),
        "parser_version": record.get("parser_version"),
    }
    for column in CELLS:
        value = ((record.get(column.table) or {}).get(column.row) or {}).get(column.column)
        cell_where = f"{where} {column.name}"
        if column.kind == "decimal":
            row[column.name] = _amount(value, cell_where, problems)
        else:
            row[column.name] = _whole(value, cell_where, problems)
    return row




def _ordered_cells(record: dict) -> list[tuple]:
    """(table, row, column, value) of every cell the record's tables hold: the printed tables' order,
    then any key the contract does not list."""
    cells = []
    for table in TABLES:
        rows = record.get(table)
        if not isinstance(rows, dict):
            continue
        known = _TABLE_ORDER[table]
        for row, columns in known:
            values = rows.get(row)
            if isinstance(values, dict):
                cells.extend((table, row, column, values[column]) for column in columns if column in values)
                cells.extend((table, row, c, v) for c, v in values.items() if c not in columns)
        known_rows = {row for row, _ in known}
        for row, values in rows.items():
            if row not in known_rows and isinstance(values, dict):
                cells.extend((table, row, column, value) for column, value in values.items())
    return cells


def add_cells(record: dict, columns: dict[str, list]) -> int:
    """Append the long form of one record to ``columns`` (name -> values). Returns the cells added."""
    cells = _ordered_cells(record)
    if not cells:
        return 0
    year = record.get("year") if isinstance(record.get("year"), int) else None
    for name, value in (("report_id", record.get("report_id")), ("organ_key", record.get("organ_key")),
                        ("year", year), ("format", record.get("format"))):
        columns[name].extend([value] * len(cells))
    tables, rows, names, values = zip(*cells)
    columns["table"].extend(tables)
    columns["row"].extend(rows)
    columns["column"].extend(names)
    columns["value"].extend([float(v) if type(v) in (int, float) else None for v in values])
    columns["unit"].extend(["万元" if is_amount(*cell[:3]) else "件" for cell in cells])
    return len(cells)


def _csv_text(value) -> str:
    """A cross_year.csv field: whole numbers without a decimal point, blanks empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_table(columns: dict[str, list], schema: pa.Schema, parquet: Path, csv_path: Path) -> None:
    """Parquet with ``schema``; CSV (BOM first) with list columns joined by ``LIST_SEPARATOR``."""
    arrays = [pa.array(columns[name], type=schema.field(name).type) for name in schema.names]
    table = pa.Table.from_arrays(arrays, schema=schema)
    pq.write_table(table, parquet)
    flat = [
        pc.binary_join(column, LIST_SEPARATOR) if pa.types.is_list(column.type) else column
        for column in table.columns
    ]
    with csv_path.open("wb") as handle:
        handle.write(codecs.BOM_UTF8)
        pacsv.write_csv(pa.table(flat, names=table.column_names), handle)


def export(records: list[dict], out: str | Path) -> Export:
    """Write every export of ``records`` (merged feed records, see ``records.read_feeds``) into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result = Export(out=out)
    columns = report_columns()
    rows = [report_row(record, result.problems) for record in records]
    write_table(
        {c.name: [row[c.name] for row in rows] for c in columns},
        schema_of(columns, "One row per government information-disclosure annual report (政府信息公开工作年度报告)"),
        out / "reports.parquet",
        out / "reports.csv",
    )
    cells: dict[str, list] = {c.name: [] for c in CELL_FORM_COLUMNS}
    result.cells = sum(add_cells(record, cells) for record in records)
    write_table(
        cells,
        schema_of(list(CELL_FORM_COLUMNS), "Table cells in long form: one row per report x table x row x column"),
        out / "cells.parquet",
        out / "cells.csv",
    )
    mismatches, compared = cross_year_checks(records)
    with (out / "cross_year.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CROSS_YEAR_FIELDS)
        for mismatch in mismatches:
            writer.writerow([_csv_text(v) for v in mismatch.row().values()])
    (out / "README.md").write_text(data_dictionary(), encoding="utf-8")
    result.reports = len(rows)
    result.cross_year_mismatches, result.cross_year_compared = len(mismatches), compared
    return result
