"""Every real report of ../shared/corpus: the three tables are found, or the warnings say which one is
missing and why; each real PDF's sections 三 and 四 equal ``pdftotext -layout``'s numbers cell by
cell. Prints the count of reports with all three tables and their ``validation.ok`` (skipped
without ../shared)."""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from pipelines.parse import parse_file
from pipelines.parsing import keys
from tests.helpers import SHARED, shared_path

PDFS = ("huaian-2024.pdf", "hongze-2023.pdf", "hongze-2024.pdf")
TABLES = ("active", "requests", "review_litigation")
TABLE_WARNING = {"active": "active table", "requests": "requests table", "review_litigation": "review_litigation"}


def corpus_files() -> list[Path]:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        return []
    files = [p for p in sorted(corpus.rglob("*")) if p.is_file() and p.suffix in (".pdf", ".html", ".txt", ".md")]
    return [p for p in files if p.name != "SOURCES.md"]


@lru_cache(maxsize=None)
def parsed(path: Path) -> dict:
    item, error = parse_file(path)
    assert error is None
    return item


def has_table(item: dict, table: str) -> bool:
    values = item.get(table) or {}
    return any(v is not None for columns in values.values() for v in columns.values())


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_real_report_tables_are_found_or_the_warning_says_which(path):
    item = parsed(path)
    if item["format"] not in ("2021", "2019"):
        return  # pre-2019 reports, letters and portal pages print no standard tables
    for table in TABLES:
        if not has_table(item, table):
            assert any(w.startswith(("table_not_found", "digits_", "tables_missing")) and TABLE_WARNING[table] in w
                       or w.startswith("tables_missing") for w in item["warnings"]), (table, item["warnings"])


def test_corpus_count_of_reports_with_all_three_tables():
    shared_path("corpus")
    counts = collections.Counter()
    lines = []
    for path in corpus_files():
        item = parsed(path)
        if item["format"] not in ("2021", "2019"):
            continue
        complete = all(has_table(item, table) for table in TABLES)
        ok = item["validation"]["ok"]
        counts[(complete, ok)] += 1
        lines.append(f"  {path.name}: format {item['format']}, all three tables {complete}, validation.ok {ok}")
    total = sum(counts.values())
    complete = {ok: counts[(True, ok)] for ok in (True, False, None)}
    print(f"\nreal reports in the official formats: {total}; all three tables: {sum(complete.values())} "
          f"(validation.ok true {complete[True]}, false {complete[False]}, null {complete[None]})")
    print("\n".join(lines))
    assert total >= 6
    assert sum(complete.values()) >= 6


# --- PDFs against pdftotext -layout -----------------------------------------------------------------

_NUMBER_TOKEN_RE = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")


def layout_numbers(pdf: Path, start: str, end: str) -> list[int]:
    """The standalone number tokens of ``pdftotext -layout`` between two headings, in reading order."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    region = text[text.index(start) : text.index(end, text.index(start))]
    return [int(token.replace(",", "")) for token in region.split() if _NUMBER_TOKEN_RE.match(token)]


def printed_cells(table: dict) -> list[int]:
    return [value for columns in table.values() for value in columns.values() if value is not None]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("name", PDFS)
def test_pdf_sections_three_and_four_equal_pdftotext_cell_by_cell(name):
    pdf = shared_path("corpus", name)
    item = parsed(pdf)
    requests = item["requests"]
    ordered = {row: requests[row] for row in keys.REQUEST_ROWS["2021"] if row in requests}
    if "other" in requests:  # （六） printed as one row: it stands where the three sub-rows would
        position = list(ordered).index("other_other")
        rows = list(ordered.items())
        rows.insert(position + 1, ("other", requests["other"]))
        ordered = dict(rows)
    assert printed_cells(ordered) == layout_numbers(pdf, "收到和处理政府信息公开申请情况", "行政复议、行政诉讼情况")
    assert printed_cells(item["review_litigation"]) == layout_numbers(pdf, "行政复议、行政诉讼情况", "五、")
