"""The title classifier: precision and recall on a labelled list of real-shaped titles."""

import csv

from crawler.titles import is_annual_report, title_year
from tests.helpers import FIXTURES

LABELLED = list(csv.DictReader((FIXTURES / "pages" / "titles.csv").open(encoding="utf-8")))


def test_labelled_list_is_large_enough():
    assert len(LABELLED) >= 60
    assert {row["is_report"] for row in LABELLED} == {"0", "1"}


def test_precision_and_recall():
    tp = fp = fn = 0
    for row in LABELLED:
        predicted, actual = is_annual_report(row["title"]), row["is_report"] == "1"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"title classifier: precision={precision:.3f} recall={recall:.3f} on {len(LABELLED)} titles")
    assert precision >= 0.95 and recall >= 0.95


def test_years_from_report_titles():
    for row in LABELLED:
        if row["is_report"] == "1":
            assert title_year(row["title"]) == int(row["year"]), row["title"]


def test_interpretation_of_a_report_is_not_a_report():
    assert not is_annual_report("江西省生态环境厅2024年政府信息公开工作年度报告解读")


def test_inner_spaces_do_not_hide_a_report():
    assert is_annual_report("集贤镇人民政府 2022 年度 信息公开工作年度报告")
