"""TRS family on frozen list pages: full titles from title=, page count from createPageHTML/countPage."""

from scrapy.http import HtmlResponse

from crawler.families.trs import TrsFamily
from tests.helpers import DEMO_SITE, file_response

COLUMN = DEMO_SITE / "trs" / "xxgk" / "zfxxgknb"
BASE = "http://127.0.0.2:8765/xxgk/zfxxgknb/"
trs = TrsFamily()


def page(name):
    return file_response(COLUMN / name, url=BASE + name)


def test_full_titles_come_from_title_attributes():
    entries = trs.entries(page("index.html"))
    titles = [e.title for e in entries]
    assert "演示县人民政府2021年政府信息公开工作年度报告" in titles
    assert not any(t.endswith("…") for t in titles)


def test_entries_have_absolute_urls_and_dates():
    entry = next(e for e in trs.entries(page("index.html")) if "2021年政府信息公开工作年度报告" in e.title)
    assert entry.url == BASE + "202203/t20220301_1001.html"
    assert entry.published == "2022-03-01"


def test_first_page_asks_for_every_other_page():
    assert [p.url for p in trs.next_pages(page("index.html"))] == [BASE + "index_1.html", BASE + "index_2.html"]


def test_later_page_asks_for_nothing_more():
    assert trs.next_pages(page("index_2.html")) == []


def test_count_page_variant():
    body = '<ul><li><a href="./a.html" title="x县2020年政府信息公开工作年度报告">x</a></li></ul><script>var countPage = 4; var dataCount = "60";</script>'
    response = HtmlResponse(BASE + "index.html", body=body.encode(), encoding="utf-8")
    assert [p.url for p in trs.next_pages(response)] == [BASE + f"index_{n}.html" for n in (1, 2, 3)]


def test_div_name_variant_numbers_from_its_current_index():
    body = "<script>createPageHTML('page_div',3, 0,'index','shtml',45);</script>"
    response = HtmlResponse(BASE + "index.shtml", body=body.encode(), encoding="utf-8")
    assert [p.url for p in trs.next_pages(response)] == [BASE + "index_1.shtml", BASE + "index_2.shtml"]


def test_first_next_page_names_the_page_to_fetch_if_it_is_missing():
    first, second = trs.next_pages(page("index.html"))
    assert first.if_missing == BASE + "index_3.html" and second.if_missing is None
