"""``export``: every number of reports.* and cells.* equals the JSON line it came from, and the files
load with pyarrow, pandas and DuckDB."""

from __future__ import annotations

import csv
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govreports.dataset.columns import cell_columns, report_columns, table_cells
from govreports.dataset.export import export
from govreports.dataset.records import read_feeds
from pipelines.parsing.keys import (
    ACTIVE_COLUMNS,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
)
from tests.dataset_feed import last_lines, write_feed


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    feed_path = write_feed(folder / "reports.jsonl")
    result = export(read_feeds([feed_path]).records, folder / "dataset")
    return result, last_lines(feed_path)


def json_cell(line: dict, table: str, row: str, column: str):
    return ((line.get(table) or {}).get(row) or {}).get(column)


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_files_written(exported):
    result, _ = exported
    assert all(path.is_file() for path in result.files())
    assert result.reports == 10 and result.problems == []


def test_every_contract_key_has_a_typed_labelled_column():
    cells = set(table_cells())
    for rows in REQUEST_ROWS.values():
        assert {("requests", r, c) for r in rows for c in REQUEST_COLUMNS} <= cells
    assert {("review_litigation", g, c) for g in REVIEW_GROUPS for c in REVIEW_COLUMNS} <= cells
    for rows in ACTIVE_COLUMNS.values():
        assert {("active", r, c) for r, cols in rows.items() for c in cols} <= cells
    columns = report_columns()
    assert len({c.name for c in columns}) == len(columns)
    assert all(c.label_zh and c.meaning for c in cell_columns())


def test_parquet_schema_is_explicit_and_described(exported):
    result, _ = exported
    schema = pq.read_schema(result.out / "reports.parquet")
    assert schema.field("requests__granted__total").type == pa.int64()
    assert schema.field("active__fees__amount").type == pa.decimal128(20, 6)
    assert schema.field("validation_ok").type == pa.bool_()
    assert schema.field("published").type == pa.date32()
    assert schema.field("urls").type == pa.list_(pa.string())
    meta = schema.field("requests__new__natural_person").metadata
    assert "本年新收" in meta[b"label_zh"].decode() and "自然人" in meta[b"label_zh"].decode()
    assert meta[b"description"]
    assert schema.metadata[b"dictionary"] == b"README.md"


def test_reports_parquet_round_trip(exported):
    result, lines = exported
    rows = pq.read_table(result.out / "reports.parquet").to_pylist()
    checked = 0
    for row in rows:
        line = lines[row["report_id"]]
        for column in cell_columns():
            expected = json_cell(line, column.table, column.row, column.column)
            got = row[column.name]
            if expected is None:
                assert got is None, column.name
            elif column.kind == "decimal":
                assert got == Decimal(repr(expected)), column.name
            else:
                assert got == expected and isinstance(got, int), column.name
            checked += expected is not None
        assert row["validation_ok"] == line["validation"]["ok"]
        assert row["year"] == line["year"] and row["organ"] == line["organ"]
    assert checked > 1000


def test_reports_csv_round_trip_with_bom(exported):
    result, lines = exported
    assert (result.out / "reports.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    for row in read_csv(result.out / "reports.csv"):
        line = lines[row["report_id"]]
        for column in cell_columns():
            expected = json_cell(line, column.table, column.row, column.column)
            text = row[column.name]
            if expected is None:
                assert text == "", column.name
            else:
                assert Decimal(text) == Decimal(repr(expected)), column.name
        assert row["organ"] == line["organ"]


def test_cells_round_trip(exported):
    result, lines = exported
    table = pq.read_table(result.out / "cells.parquet").to_pylist()
    seen = set()
    for cell in table:
        expected = json_cell(lines[cell["report_id"]], cell["table"], cell["row"], cell["column"])
        assert cell["value"] == expected, cell
        seen.add((cell["report_id"], cell["table"], cell["row"], cell["column"]))
    for report_id in {c["report_id"] for c in table}:
        line = lines[report_id]
        for table_name in ("requests", "review_litigation", "active"):
            for row, columns in (line.get(table_name) or {}).items():
                assert all((report_id, table_name, row, col) in seen for col in columns)
    csv_rows = read_csv(result.out / "cells.csv")
    assert len(csv_rows) == len(table)
    for cell in csv_rows:
        expected = json_cell(lines[cell["report_id"]], cell["table"], cell["row"], cell["column"])
        assert (cell["value"] == "") if expected is None else Decimal(cell["value"]) == Decimal(repr(expected))


def test_loads_in_pandas_and_duckdb(exported):
    import duckdb
    import pandas as pd

    result, lines = exported
    frame = pd.read_parquet(result.out / "reports.parquet", dtype_backend="numpy_nullable")
    huifa = frame[frame["organ_key"] == "230124:会发镇"].sort_values("year")
    assert list(huifa["year"]) == [2021, 2022, 2023]
    assert str(frame["requests__new__total"].dtype) == "Int64"
    xiling = frame[frame["organ_key"] == "410102:西岭乡"].iloc[0]
    assert xiling["active__fees__amount"] == Decimal("12.345678")
    assert pd.isna(xiling["active__rules__issued"])
    from_csv = pd.read_csv(result.out / "reports.csv", encoding="utf-8-sig")
    assert set(from_csv["organ"]) == set(frame["organ"])
    total = sum(line["requests"]["new"]["total"] or 0 for line in lines.values()
                if line.get("requests") and line["report_id"] in set(frame["report_id"]))
    con = duckdb.connect()
    folder = str(result.out)
    assert con.execute(f"select sum(requests__new__total) from '{folder}/reports.parquet'").fetchone()[0] == total
    pivot = con.execute(
        f"select sum(value) from '{folder}/cells.parquet' where \"table\"='requests' and \"row\"='new' and \"column\"='total'"
    ).fetchone()[0]
    assert pivot == total
    amount = con.execute(
        f"select active__fees__amount from '{folder}/reports.parquet' where organ_key='410102:西岭乡'"
    ).fetchone()[0]
    assert amount == Decimal("12.345678")


def test_merged_report_lists_both_urls_in_the_export(exported):
    result, _ = exported
    rows = pq.read_table(result.out / "reports.parquet").to_pylist()
    [row] = [r for r in rows if r["organ_key"] == "230124:会发镇" and r["year"] == 2022]
    assert len(row["urls"]) == 2 and sorted(row["sites"]) == ["fangzheng", "huifa"]
    [csv_row] = [r for r in read_csv(result.out / "reports.csv") if r["report_id"] == row["report_id"]]
    assert csv_row["urls"].split(" | ") == row["urls"]


def test_cross_year_csv_lists_the_mismatch_with_both_urls(exported):
    result, _ = exported
    assert result.cross_year_compared == 2 and result.cross_year_mismatches == 1
    [row] = read_csv(result.out / "cross_year.csv")
    assert row["organ_key"] == "230124:会发镇" and row["year"] == "2021" and row["next_year"] == "2022"
    assert int(row["next_carried_over_total"]) == int(row["carried_forward_total"]) + 3
    assert row["url"] == "http://127.0.0.2/xxgk/nb/2021.html"
    assert row["next_url"] in ("http://127.0.0.2/xxgk/nb/2022.html", "http://127.0.0.3/huifa/gk/2022nb.html")


def test_data_dictionary_lists_every_column_with_its_label(exported):
    result, _ = exported
    text = (result.out / "README.md").read_text(encoding="utf-8")
    for column in report_columns():
        assert f"`{column.name}`" in text
    assert "本年新收" in text and "自然人" in text and "结转下年度继续办理" in text


def test_a_number_the_type_cannot_hold_is_named_not_changed(tmp_path):
    from tests.dataset_feed import feed_items

    item = feed_items()[0]
    item["requests"]["new"]["natural_person"] = 2.5
    result = export(read_feeds([write_feed(tmp_path / "odd.jsonl", [item])]).records, tmp_path / "out")
    assert any("2.5 is not a whole number" in p for p in result.problems)
    row = pq.read_table(tmp_path / "out" / "reports.parquet").to_pylist()[0]
    assert row["requests__new__natural_person"] is None
    cells = pq.read_table(tmp_path / "out" / "cells.parquet").to_pylist()
    assert [c["value"] for c in cells if c["row"] == "new" and c["column"] == "natural_person"] == [2.5]


def test_a_key_outside_the_contract_still_reaches_the_long_form(tmp_path):
    from tests.dataset_feed import feed_items

    item = feed_items()[0]
    item["requests"]["new"]["unlisted_column"] = 4
    item["requests"]["unlisted_row"] = {"total": 6}
    export(read_feeds([write_feed(tmp_path / "extra.jsonl", [item])]).records, tmp_path / "out")
    cells = pq.read_table(tmp_path / "out" / "cells.parquet").to_pylist()
    found = {(c["row"], c["column"]): c["value"] for c in cells}
    assert found[("new", "unlisted_column")] == 4 and found[("unlisted_row", "total")] == 6
    assert [c["row"] for c in cells][:2] == ["new", "new"]
