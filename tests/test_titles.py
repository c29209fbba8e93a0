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


def test_no_entry_of_the_real_list_pages_is_taken_for_a_report():
    """The 70 titles of two real portal columns (news, notices, one 年度报告解读) hold no report."""
    from crawler.families import get_family
    from tests.helpers import FIXTURES, file_response

    pages = (("hanweb-sthjt-jiangxi-1.html", "hanweb", "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html"),
             ("ucap-jyt-gansu-1.html", "ucap", "https://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml"))
    titles = [entry.title for name, family, url in pages
              for entry in get_family(family).entries(file_response(FIXTURES / "pages" / name, url=url))]
    assert len(titles) == 70
    assert [title for title in titles if is_annual_report(title)] == []
