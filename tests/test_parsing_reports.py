"""Whole reports from frozen fixtures: both formats, HTML grids, Word exports and text layouts."""

from __future__ import annotations

import json
from functools import lru_cache

import jsonschema
import pytest

from pipelines.document import Table, html_to_blocks, text_to_blocks
from pipelines.parsing import PARSER_VERSION, parse_report, validate_report
from pipelines.parsing.keys import REQUEST_COLUMNS, REQUEST_ROWS
from pipelines.parsing.rows import blocks_to_rows
from pipelines.parsing.tables import scan
from tests.helpers import FIXTURES, PROJECT, shared_path

PARSING = FIXTURES / "parsing"
RESULT_KEYS = {"format", "organ", "year", "published", "title", "sections", "active", "requests",
               "review_litigation", "warnings"}


@lru_cache(maxsize=None)
def parse_fixture(name: str) -> dict:
    text = (PARSING / name).read_text(encoding="utf-8")
    blocks = html_to_blocks(text) if name.endswith(".html") else text_to_blocks(text)
    return parse_report(blocks)


def rows(report: dict, key: str) -> dict:
    return {row: list(values.values()) for row, values in report[key].items()}


# --- the Shanghai 2019 page (real document, expected values read by eye) --------------------------

def test_shanghai_2019_matches_the_values_read_by_eye():
    expected = json.loads((PARSING / "shanghai-office-2019.expected.json").read_text(encoding="utf-8"))
    report = parse_fixture("shanghai-office-2019.html")
    for key in ("format", "organ", "year", "published", "title", "active", "requests", "review_litigation"):
        assert report[key] == expected[key], key
    assert validate_report(report)[0]["ok"] == expected["consistent"]


def test_shanghai_2019_amount_in_yuan_becomes_ten_thousands():
    assert parse_fixture("shanghai-office-2019.html")["active"]["procurement"] == {"items": 6, "amount": 25.1}


def test_shared_shanghai_page_is_the_fixture_copy():
    path = shared_path("corpus", "shanghai-office-2019.html")
    assert path.read_bytes() == (PARSING / "shanghai-office-2019.html").read_bytes()


# --- 2021 format from a Word-exported HTML page -----------------------------------------------------

def test_word_html_2021_reads_all_three_tables():
    report = parse_fixture("word-2021.html")
    assert report["format"] == "2021"
    assert report["active"]["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 15}
    assert report["requests"]["new"] == dict(zip(REQUEST_COLUMNS, [10, 2, 0, 0, 1, 0, 13]))
    assert report["review_litigation"]["litigation_after_review"] == {
        "upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1}
    assert validate_report(report) == ({"ok": True, "errors": []}, [])


def test_word_html_table_split_in_two_keeps_rows_of_both_parts():
    report = parse_fixture("word-2021.html")
    assert report["requests"]["withheld_third_party"]["natural_person"] == 1
    assert report["requests"]["unavailable_not_held"] == dict(zip(REQUEST_COLUMNS, [2, 1, 0, 0, 1, 0, 4]))
    assert report["requests"]["other_other"]["total"] == 1


def test_word_html_thousands_separator_and_decimal_fee():
    report = parse_fixture("word-2021.html")
    assert report["active"]["licensing"] == {"decisions": 1234}
    assert report["active"]["fees"] == {"amount": 12.5}


def test_word_html_metadata_from_title_and_signature():
    report = parse_fixture("word-2021.html")
    assert report["title"] == "青石镇人民政府2022年政府信息公开工作年度报告"
    assert (report["organ"], report["year"], report["published"]) == ("青石镇人民政府", 2022, "2023-01-16")


def test_word_html_sections_by_heading():
    sections = parse_fixture("word-2021.html")["sections"]
    assert sections["problems"] == "公开内容还需丰富。"
    assert sections["other"].startswith("本年度未收取信息处理费。")
    assert "自然人" in sections["requests"]


# --- grids without their header rows, label typos, full-width digits --------------------------------

def test_grid_without_header_rows_and_with_caption_rows():
    report = parse_fixture("grid-headers.html")
    assert report["format"] == "2021"
    assert report["review_litigation"]["review"] == {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1}
    assert report["warnings"] == []


def test_label_typos_and_spacing_map_to_their_rows():
    report = parse_fixture("grid-headers.html")
    assert report["requests"]["partially_granted"]["total"] == 1  # 只计这一情况
    assert report["requests"]["withheld_internal_affairs"]["total"] == 1  # 内容事务, "5. 属于"
    assert report["active"]["normative_documents"] == {"issued": 12, "repealed": 3, "in_force": 1208}  # 本年度止件数


def test_full_width_digits_and_comma_separators():
    active = parse_fixture("grid-headers.html")["active"]
    assert active["licensing"] == {"decisions": 3456}
    assert active["fees"] == {"amount": 0}


def test_visible_publication_date_line():
    assert parse_fixture("grid-headers.html")["published"] == "2022-01-25"


# --- 2019 format in space-separated text -------------------------------------------------------------

def test_spaced_2019_reads_the_trial_format():
    report = parse_fixture("spaced-2019.txt")
    assert report["format"] == "2019"
    assert set(report["requests"]) == set(REQUEST_ROWS["2019"])
    assert report["requests"]["other"] == dict(zip(REQUEST_COLUMNS, [2, 0, 0, 0, 0, 0, 2]))
    assert validate_report(report)[0] == {"ok": True, "errors": []}


def test_spaced_2019_signed_and_negative_changes():
    active = parse_fixture("spaced-2019.txt")["active"]
    assert active["licensing"] == {"previous_year_items": 12, "change": -2, "decisions": 1024}
    assert active["other_services"] == {"previous_year_items": 4, "change": 1, "decisions": 30}
    assert active["procurement"] == {"items": 3, "amount": 120.5}


def test_rows_broken_across_lines():
    requests = parse_fixture("spaced-2019.txt")["requests"]
    assert requests["partially_granted"] == dict(zip(REQUEST_COLUMNS, [200, 1, 0, 0, 0, 0, 201]))
    assert requests["not_processed_confirmation"] == dict.fromkeys(REQUEST_COLUMNS, 0)


def test_fifteen_numbers_without_headers_are_section_four():
    review = parse_fixture("spaced-2019.txt")["review_litigation"]
    assert review["review"] == {"upheld": 2, "corrected": 1, "other": 0, "pending": 0, "total": 3}
    assert review["litigation_direct"]["total"] == 1


def test_chinese_numeral_signature_date():
    report = parse_fixture("spaced-2019.txt")
    assert (report["organ"], report["published"]) == ("青山区财政局", "2021-01-20")


# --- placeholders, missing numbers, （六） as one row ------------------------------------------------

def test_placeholders_are_null_with_a_warning():
    report = parse_fixture("placeholders-2021.txt")
    assert report["active"]["rules"] == {"issued": None, "repealed": None, "in_force": None}
    assert report["active"]["licensing"] == {"decisions": None}  # —
    assert report["active"]["enforcement"] == {"decisions": None}  # -
    assert any(w.startswith("cells_blank: active: blank or placeholder cells read as null") for w in report["warnings"])


def test_missing_number_is_null_never_zero():
    report = parse_fixture("placeholders-2021.txt")
    assert report["active"]["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": None}
    assert "normative_documents" in next(w for w in report["warnings"] if w.startswith("cells_blank: active: blank"))


def test_single_other_row_in_2021_format():
    report = parse_fixture("placeholders-2021.txt")
    requests = report["requests"]
    assert requests["other"] == dict(zip(REQUEST_COLUMNS, [1, None, None, None, None, None, 1]))
    for key in ("other_overdue_correction", "other_unpaid_fee", "other_other"):
        assert requests[key] == dict.fromkeys(REQUEST_COLUMNS)
    assert not any("other_" in w for w in report["warnings"])


def test_text_row_with_fewer_numbers_than_columns_reads_left_to_right():
    blocks = text_to_blocks("二、主动公开政府信息情况\n信息内容 本年制发件数 本年废止件数 现行有效件数\n"
                            "规章 1 2\n行政规范性文件 3 0 7\n行政许可 4\n行政处罚 5\n")
    report = parse_report(blocks)
    assert report["active"]["rules"] == {"issued": 1, "repealed": 2, "in_force": None}
    assert "row_too_few_values: active row rules: 2 values for 3 columns, read left to right, the rest null" in report["warnings"]


# --- printed arithmetic error ------------------------------------------------------------------------

def test_printed_arithmetic_error_fails_rule_2_and_keeps_the_numbers():
    report = parse_fixture("arithmetic-error-2021.txt")
    validation, _ = validate_report(report)
    assert validation["ok"] is False
    assert "rule 2, column natural_person: sum of results=8 != total=9" in validation["errors"]
    assert report["requests"]["total"]["natural_person"] == 9


# --- pre-2019 and non-report pages -------------------------------------------------------------------

def test_pre2019_report_has_metadata_and_text_but_no_tables():
    report = parse_fixture("pre2019.txt")
    assert report["format"] == "pre2019"
    assert (report["organ"], report["year"], report["published"]) == ("白河县人民政府", 2017, "2018-03-20")
    assert report["active"] is report["requests"] is report["review_litigation"] is None
    assert report["sections"]["overview"].startswith("2017年，我县")
    assert report["sections"]["review_litigation"].startswith("全年未发生")
    assert validate_report(report) == ({"ok": None, "errors": []}, [])


def test_page_that_is_not_a_report_is_unknown():
    report = parse_fixture("not-report.html")
    assert report["format"] == "unknown"
    assert report["active"] is report["requests"] is report["review_litigation"] is None
    assert report["published"] == "2023-02-14"
    assert report["year"] is None


# --- hints, page metadata, fallbacks -----------------------------------------------------------------

def test_hints_take_priority_over_the_text():
    blocks = html_to_blocks((PARSING / "word-2021.html").read_text(encoding="utf-8"))
    report = parse_report(blocks, title="青石镇2022年度政府信息公开工作年度报告", published="2023-01-20 10:11:12")
    assert report["title"] == "青石镇2022年度政府信息公开工作年度报告"
    assert report["published"] == "2023-01-20"
    assert report["organ"] == "青石镇人民政府"


def test_organ_from_page_meta_when_the_title_names_none():
    blocks = text_to_blocks("2022年政府信息公开工作年度报告\n一、总体情况\n全年工作平稳。\n")
    report = parse_report(blocks, page_meta={"发布机构": "红旗区民政局"})
    assert report["organ"] == "红旗区民政局"


def test_year_from_publication_date_minus_one_with_a_warning():
    blocks = text_to_blocks("政府信息公开工作年度报告\n一、总体情况\n全年工作平稳。\n")
    report = parse_report(blocks, published="2023-02-01")
    assert report["year"] == 2022
    assert any(w.startswith("year_inferred: year not printed") for w in report["warnings"])


def test_result_has_exactly_the_interface_keys():
    for name in ("word-2021.html", "pre2019.txt", "not-report.html"):
        report = parse_fixture(name)
        assert set(report) == RESULT_KEYS
        assert set(report["sections"]) == {"overview", "active", "requests", "review_litigation", "problems", "other"}


# --- every parse gives a contract-valid item ---------------------------------------------------------

ALL_FIXTURES = sorted(p.name for p in PARSING.iterdir() if p.suffix in (".html", ".txt"))


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_parsed_fixture_validates_against_the_item_schema(name):
    schema = json.loads((PROJECT / "schema" / "report-item.schema.json").read_text(encoding="utf-8"))
    report = dict(parse_fixture(name))
    validation, warnings = validate_report(report)
    item = {
        "report_id": "0" * 40, "url": "http://127.0.0.1/report.html", "site": "demo", "region_code": None,
        "source": {"kind": "html", "url": None, "sha256": None}, "attachments": [], "text": "",
        "validation": validation, "crawled_at": "2026-01-01T00:00:00Z", "parser_version": PARSER_VERSION,
        **report, "warnings": report["warnings"] + warnings,
    }
    jsonschema.validate(item, schema)


# --- robustness: real pages and degenerate input never raise -----------------------------------------

def test_empty_document():
    report = parse_report([])
    assert report["format"] == "unknown"
    assert report["sections"] == dict.fromkeys(report["sections"])


def test_degenerate_tables_and_lines():
    blocks = [Table(cells=[]), Table(cells=[["规章"]]), Table(cells=[["", ""], ["0", "—"]]), "|||", "\t\t", "---", "0 0 0"]
    report = parse_report(blocks)
    assert report["format"] == "unknown"


@pytest.mark.parametrize("name", ["hanweb-fgw-zj-1.html", "trs-cmse-2.html", "trs-shanxi-1.html", "unknown-nfra-1.html",
                                  "ucap-jyt-gansu-1.html", "other-kepu-1.html"])
def test_real_pages_that_are_not_reports_parse_as_unknown(name):
    html = shared_path("corpus", "pages", name).read_text(encoding="utf-8")
    report = parse_report(html_to_blocks(html))
    assert report["format"] == "unknown"
    assert validate_report(report)[0]["ok"] is None


def test_tab_row_of_section_four_with_blank_cells_cut_at_the_end():
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议\t\t\t\t\t行政诉讼\n"
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
            "5\t\t\t2\t7\t8\t\t\t1\t9\t\t\t\t\t\n")
    found = scan(blocks_to_rows(text_to_blocks(text)), "2021")
    assert found.review == ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""]
