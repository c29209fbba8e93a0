"""The long tail of real portals, each failure on a fixture of our own making (``tests/fixtures/longtail``):
old layout-table pages, section 四 one tab-led cell per paragraph, crawler text dumps with cells run
together, and the digit-split search itself."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import pytest

from pipelines.cleaning import CHROME_STRINGS, clean_page
from pipelines.parse import parse_file
from pipelines.parsing import keys
from pipelines.parsing.runs import REQUEST_TOTALS, REVIEW_TOTALS, digit_splits, is_run_together, resegment
from tests.helpers import FIXTURES

LONGTAIL = FIXTURES / "longtail"


@lru_cache(maxsize=None)
def maker():
    spec = importlib.util.spec_from_file_location("longtail_fixtures", LONGTAIL / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=None)
def parsed(name: str) -> dict:
    item, error = parse_file(LONGTAIL / name)
    assert error is None
    return item


def expected_requests() -> dict:
    values = [row for _, row in maker().REQUESTS]
    return {row: dict(zip(keys.REQUEST_COLUMNS, cells)) for row, cells in zip(keys.REQUEST_ROWS["2021"], values)}


def expected_review() -> dict:
    cells = maker().REVIEW
    return {group: dict(zip(keys.REVIEW_COLUMNS, cells[i * 5 : i * 5 + 5])) for i, group in enumerate(keys.REVIEW_GROUPS)}


def test_old_layout_table_page_reads_as_paragraphs_without_its_footer():
    item = parsed("asp-layout-table.html")
    assert item["requests"] == expected_requests()
    assert item["review_litigation"] == expected_review()
    assert item["active"]["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 9}
    assert item["validation"] == {"ok": True, "errors": []}
    assert [s for s in CHROME_STRINGS if s in item["text"]] == []
    assert "网站首页" not in item["text"] and item["text"].count("\n") > 40  # lines, not one long line
    assert (item["organ"], item["year"], item["published"]) == ("方正县宝兴乡人民政府", 2022, "2023-01-18")


def test_layout_table_is_told_from_a_data_table_by_content():
    page = clean_page((LONGTAIL / "asp-layout-table.html").read_bytes())
    assert page.body_found_by == "density"
    assert page.blocks[0].startswith("本报告根据")


def test_section_four_one_tab_led_cell_per_paragraph_with_blank_rows():
    item = parsed("review-tab-cells.html")
    assert item["review_litigation"] == {group: dict.fromkeys(keys.REVIEW_COLUMNS, 0) for group in keys.REVIEW_GROUPS}
    assert item["requests"] == expected_requests()
    assert item["validation"]["ok"] is True
    assert not [w for w in item["warnings"] if "review_litigation" in w]


def test_text_dump_header_is_metadata_and_run_together_cells_are_split():
    item = parsed("dump-run-together.txt")
    assert item["title"] == "方正县宝兴乡人民政府2022年政府信息公开工作年度报告"
    assert (item["organ"], item["year"], item["published"]) == ("方正县宝兴乡人民政府", 2022, "2023-01-18")
    assert item["requests"] == expected_requests()  # rows 一 and （七） settled by rule 2
    assert item["review_litigation"] == expected_review()
    assert item["active"]["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert item["active"]["licensing"] == {"decisions": 35}
    assert item["validation"] == {"ok": True, "errors": []}


def test_an_ambiguous_digit_run_stays_null_and_the_warning_names_the_candidates():
    item = parsed("dump-run-together.txt")
    assert item["active"]["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}
    assert "digits_ambiguous: active row normative_documents: '2109' splits 2 ways: 2 | 10 | 9 or 21 | 0 | 9; null" in item["warnings"]
    assert any(w.startswith("digits_split: ") and "requests.new" in w for w in item["warnings"])


def test_the_issue_example_splits_one_way():
    assert digit_splits("230000023", 7, REQUEST_TOTALS) == ([[23, 0, 0, 0, 0, 0, 23]], False)


@pytest.mark.parametrize(
    "digits, width, totals, expected",
    [
        ("0000000", 7, REQUEST_TOTALS, [[0] * 7]),
        ("120100013", 7, REQUEST_TOTALS, [[1, 2, 0, 10, 0, 0, 13], [12, 0, 1, 0, 0, 0, 13]]),
        ("100000001", 7, REQUEST_TOTALS, []),  # no split adds up: null, never a guess
        ("000000000000000", 15, REVIEW_TOTALS, [[0] * 15]),
        ("350", 2, (), [[3, 50], [35, 0]]),
    ],
)
def test_digit_splits_obey_the_rules_and_no_leading_zero(digits, width, totals, expected):
    splits, cut = digit_splits(digits, width, totals)
    assert (splits, cut) == (expected, False)


def test_the_search_is_bounded():
    splits, cut = digit_splits("1" * 60, 15)
    assert cut is True


def test_a_run_together_line_is_cut_into_rows():
    line = ("第二十条第（一）项信息内容本年制发件数规章000行政规范性文件219申请人情况自然人总计"
            "一、本年新收政府信息公开申请数量230 000023二、上年结转政府信息公开申请数量0000000"
            "（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000（七）总计23 0 00 0 023")
    assert is_run_together(line)
    pieces = dict((label, values) for label, values in resegment(line) if values)
    assert pieces["规章"] == ["000"]
    assert pieces["一、本年新收政府信息公开申请数量"] == ["230", "000023"]
    assert pieces["1.属于国家秘密"] == ["0000000"]
    assert pieces["2.其他法律行政法规禁止公开"] == ["0000000"]
    assert pieces["（七）总计"] == ["23", "0", "00", "0", "023"]


def test_prose_is_not_run_together():
    assert not is_run_together("本年度共收到申请23件，其中自然人申请20件。" * 10)


def test_fixtures_are_what_the_maker_writes(tmp_path):
    for name, data in {
        "asp-layout-table.html": maker().asp_layout_table(),
        "review-tab-cells.html": maker().review_tab_cells(),
        "dump-run-together.txt": maker().dump_run_together(),
    }.items():
        assert Path(LONGTAIL / name).read_bytes() == data, name
