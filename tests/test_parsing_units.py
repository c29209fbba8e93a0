"""Small behaviours of the parser's parts: numbers, rows, labels, dates, sections, validation rules."""

from __future__ import annotations

import pytest

from pipelines.document import Table, text_to_blocks
from pipelines.parsing import validate_report
from pipelines.parsing.keys import REQUEST_COLUMNS, REQUEST_ROWS, REVIEW_COLUMNS, REVIEW_GROUPS
from pipelines.parsing.metadata import complete_organ, find_sections, find_title, organ_from_title, parse_date
from pipelines.parsing.numbers import parse_number
from pipelines.parsing.rows import blocks_to_rows, split_line
from pipelines.parsing.tables import active_key, request_key


@pytest.mark.parametrize(
    "cell, expected",
    [("0", 0), ("12", 12), ("1,234", 1234), ("1，234", 1234), ("１２", 12), ("12.50", 12.5), ("-8", -8),
     ("+1036", 1036), ("13件", 13), ("", None), ("/", None), ("-", None), ("—", None), ("－－", None), ("无", None), ("约10", None)],
)
def test_parse_number(cell, expected):
    value = parse_number(cell)
    assert value == expected and type(value) is type(expected)


def test_yuan_in_a_ten_thousands_column():
    assert parse_number("251000元", ten_thousands=True) == 25.1
    assert parse_number("25.1万元", ten_thousands=True) == 25.1
    assert parse_number("251000元") == 251000


@pytest.mark.parametrize(
    "line, cells",
    [("规章\t0\t\t3", ["规章", "0", "", "3"]),
     ("规章 | 0 | 1 |", ["规章", "0", "1", ""]),
     ("1. 属于国家秘密 0 0 1", ["1. 属于国家秘密", "0", "0", "1"]),
     ("0 0 0", ["0", "0", "0"]),
     ("报告所列数据的统计期限为2022年", ["报告所列数据的统计期限为2022年"])],
)
def test_split_line(line, cells):
    assert split_line(line) == cells


def test_one_cell_per_line_gives_lone_rows():
    rows = blocks_to_rows(text_to_blocks("\t规章\n\t0\n\t 　0\n"))
    assert [(r.label, r.values, r.lone) for r in rows] == [("规章", [], True), ("", ["0"], True), ("", ["0"], True)]


def test_grid_rows_drop_span_copies_and_keep_blank_cells():
    table = Table(cells=[["行政许可", "0", "0", "", "5"]], copied=[[False, False, True, False, False]])
    row = blocks_to_rows([table])[0]
    assert (row.label, row.values) == ("行政许可", ["0", "", "5"])


@pytest.mark.parametrize(
    "label, key",
    [("(二)部分公开(区分处理的,只计这一情况,不计其他情形)", "partially_granted"),
     ("5.属于三类内容事务信息", "withheld_internal_affairs"),
     ("2.其他法律法规禁止公开", "withheld_prohibited_by_law"),
     ("三、本年度办理结果(一)予以公开", "granted"),
     ("(七)总计", "total"),
     ("(六)其他处理", "other"),
     ("(六)其他处理3.其他", "other_other"),
     ("四、结转下年度继续办理", "carried_forward"),
     ("自然人法人或其他组织总计", None)],
)
def test_request_labels(label, key):
    assert request_key(label, None)[0] == key


def test_numbered_sub_row_without_key_phrase_uses_its_group():
    assert request_key("3.其他", "其他处理")[0] == "other_other"
    assert request_key("2.", "不予公开")[0] is None


@pytest.mark.parametrize(
    "label, key",
    [("规章", "rules"), ("规章(设区的市、自治州人民政府应提供相关数据)", "rules"), ("规范性文件", "normative_documents"),
     ("行政事业性收费", "fees"), ("主动公开规章13件", None)],
)
def test_active_labels(label, key):
    assert active_key(label) == key


@pytest.mark.parametrize(
    "text, date",
    [("2023-01-12", "2023-01-12"), ("2023年1月12日", "2023-01-12"), ("二〇二三年一月十二日", "2023-01-12"),
     ("二〇二一年十二月三十一日", "2021-12-31"), ("2022-04-17 14:46:00", "2022-04-17"), ("发布日期：2020/1/31", "2020-01-31"),
     ("2023-02-30", None), ("无日期", None)],
)
def test_parse_date(text, date):
    assert parse_date(text) == date


def test_section_heading_variants():
    text = ("一、总体情况\n概况。\n二、主动公开政府信息的情况\n主动。\n三、收到和处理政府信息公开申请情况\n申请。\n"
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况\n复议。\n五、存在问题及改进情况\n问题。\n"
            "六、其他需要报告的事项\n无。\n")
    sections, count = find_sections(text_to_blocks(text))
    assert count == 6
    assert sections == {"overview": "概况。", "active": "主动。", "requests": "申请。", "review_litigation": "复议。",
                        "problems": "问题。", "other": "无。"}


def test_section_text_stops_at_a_site_footer():
    text = "六、其他需要报告的事项\n无。\n主办:某县人民政府 承办:某县政务服务中心\n蒙ICP备05002999号-1\n"
    assert find_sections(text_to_blocks(text))[0]["other"] == "无。"


# --- validation policy -------------------------------------------------------------------------------

def _requests(**rows):
    table = {key: dict.fromkeys(REQUEST_COLUMNS, 0) for key in REQUEST_ROWS["2021"]}
    for key, values in rows.items():
        table[key] = dict(zip(REQUEST_COLUMNS, values))
    return table


def _review(**groups):
    table = {group: dict.fromkeys(REVIEW_COLUMNS, 0) for group in REVIEW_GROUPS}
    for group, values in groups.items():
        table[group] = dict(zip(REVIEW_COLUMNS, values))
    return table


def test_all_checks_hold():
    assert validate_report({"requests": _requests(), "review_litigation": _review()}) == ({"ok": True, "errors": []}, [])


def test_rule_1_error_names_the_column_and_both_sides():
    report = {"requests": _requests(new=[5, 0, 0, 0, 0, 0, 5], total=[4, 0, 0, 0, 0, 0, 4], granted=[4, 0, 0, 0, 0, 0, 4]),
              "review_litigation": _review()}
    validation, _ = validate_report(report)
    assert validation["ok"] is False
    assert validation["errors"] == [
        "rule 1, column natural_person: new+carried_over=5 != total+carried_forward=4",
        "rule 1, column total: new+carried_over=5 != total+carried_forward=4",
    ]


def test_rule_3_error_names_the_row():
    validation, _ = validate_report({"requests": _requests(carried_over=[1, 1, 0, 0, 0, 0, 1],
                                                           carried_forward=[1, 1, 0, 0, 0, 0, 1]),
                                     "review_litigation": _review()})
    assert "rule 3, row carried_over: sum of applicants=2 != total=1" in validation["errors"]


def test_rule_4_error_names_the_group():
    validation, _ = validate_report({"requests": _requests(), "review_litigation": _review(review=[1, 1, 0, 0, 1])})
    assert validation["errors"] == ["rule 4, group review: upheld+corrected+other+pending=2 != total=1"]


def test_blank_addend_counts_as_zero():
    report = {"requests": _requests(granted=[None, 0, 0, 0, 0, 0, 0]), "review_litigation": _review()}
    assert validate_report(report)[0] == {"ok": True, "errors": []}


def test_blank_total_is_not_evaluated_and_named():
    report = {"requests": _requests(), "review_litigation": _review(review=[1, 0, 0, 0, None])}
    validation, warnings = validate_report(report)
    assert validation == {"ok": None, "errors": []}
    assert any(w.startswith("rule_not_evaluated: rule 4 not evaluated") and "group review" in w for w in warnings)


def test_failure_wins_over_unevaluated_checks():
    report = {"requests": _requests(), "review_litigation": _review(review=[1, 0, 0, 0, 0], litigation_direct=[None] * 5)}
    assert validate_report(report)[0]["ok"] is False


def test_absent_row_is_not_evaluated():
    report = {"requests": _requests(carried_forward=[None] * 7, new=[1, 0, 0, 0, 0, 0, 1], total=[0] * 7),
              "review_litigation": _review(), "warnings": ["row_missing: requests row carried_forward not found: null"]}
    validation, warnings = validate_report(report)
    assert not any(error.startswith("rule 1") for error in validation["errors"])
    assert any(w.startswith("rule_not_evaluated: rule 1 not evaluated") for w in warnings)


def test_no_tables_no_verdict():
    assert validate_report({"requests": None, "review_litigation": None}) == ({"ok": None, "errors": []}, [])


def test_single_other_row_leaves_the_three_other_rows_unchecked():
    table = _requests()
    table["other"] = dict.fromkeys(REQUEST_COLUMNS, 0)
    for key in ("other_overdue_correction", "other_unpaid_fee", "other_other"):
        table[key] = dict.fromkeys(REQUEST_COLUMNS)
    assert validate_report({"requests": table, "review_litigation": _review()}) == ({"ok": True, "errors": []}, [])


@pytest.mark.parametrize(
    "title, organ",
    [("国家税务总局青山区税务局关于2022年度政府信息公开工作的报告", "国家税务总局青山区税务局"),
     ("青山区人民政府办公室2023年政务公开工作年度报告", "青山区人民政府办公室"),
     ("集贤镇人民政府 2022 年度 信息公开工作年度报告", "集贤镇人民政府"),
     ("2022年政府信息公开工作年度报告", None),
     ("政府信息公开工作年度报告（2022年度）", None)],
)
def test_organ_from_title(title, organ):
    assert organ_from_title(title) == organ


def test_bare_place_name_is_completed_from_the_text():
    assert complete_organ("柏香镇", ["2022年，柏香镇人民政府在市委的领导下"]) == "柏香镇人民政府"
    assert complete_organ("青山区教育局", ["青山区教育局人民政府"]) == "青山区教育局"


def test_title_split_over_two_lines_is_joined():
    assert find_title(["方正县会发镇2021年政府信息公开工作", "年度报告", "本报告依据……"]) == "方正县会发镇2021年政府信息公开工作年度报告"
    assert find_title(["洪泽区人民政府", "2023 年政府信息公开工作年度报告"]) == "洪泽区人民政府2023年政府信息公开工作年度报告"
    assert find_title(["本报告依据《条例》编制。", "一、总体情况"]) is None


def test_heading_running_into_its_paragraph():
    text = "一、总体情况。2022年，本局扎实推进政务公开，成效明显，群众满意度持续提升，各项工作有序开展。\n二、主动公开政府信息情况\n表。\n"
    sections = find_sections(text_to_blocks(text))[0]
    assert sections["overview"].startswith("2022年，本局扎实推进政务公开")
    assert sections["active"] == "表。"


def test_long_label_before_spaced_numbers():
    line = "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 1 0 0 0 0 0 1"
    assert split_line(line)[1:] == ["1", "0", "0", "0", "0", "0", "1"]
    assert split_line("全年共收取信息处理费。合计 400") == ["全年共收取信息处理费。合计 400"]


def test_typesetting_spaces_in_a_title_are_closed():
    assert find_title(["集贤镇人民政府 2022 年度 信息公开工作年度报告"]) == "集贤镇人民政府2022年度信息公开工作年度报告"


def test_crossing_failed_checks_name_the_cell_in_doubt():
    from pipelines.parsing.validation import cells_in_doubt

    failed = [("rule 1", "column legal_service", -37), ("rule 2", "column other_org", 9), ("rule 3", "row new", -37),
              ("rule 3", "row partially_granted", 9), ("rule 4", "group review", 1)]
    assert cells_in_doubt(failed) == ["requests.new.legal_service", "requests.partially_granted.other_org",
                                      "review_litigation.review"]


def test_a_label_under_a_group_the_parser_does_not_know_is_no_row():
    """Found by the fuzz tests: an open group that is not one of section 三's groups raised KeyError."""
    from pipelines.parsing.tables import request_key

    assert request_key(":总计", ":") == (None, ":")
    assert request_key("1.其他", "予以公开") == (None, "予以公开")
