"""Ucap family: <cmspro_documents> lists, lists inside HTML comments, createPageHTML pagination."""

import re

from crawler.families.detect import detect_family
from crawler.families.ucap import UcapFamily
from tests.helpers import DEMO_SITE, FIXTURES, file_response

ucap = UcapFamily()
HOST = "http://127.0.0.4:8765"
COLUMN = DEMO_SITE / "ucap" / "demo" / "c1001"


def test_real_gansu_list_inside_a_comment_every_article_found():
    path = FIXTURES / "pages" / "ucap-jyt-gansu-1.html"
    url = "https://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml"
    response = file_response(path, url=url)
    expected = set(re.findall(r'href="(/jyt/c110634/\d{6}/\d+\.shtml)"', path.read_text(encoding="utf-8")))
    found = {e.url.replace("https://jyt.gansu.gov.cn", "") for e in ucap.entries(response)}
    assert len(expected) == 20 and found == expected
    assert all(e.published for e in ucap.entries(response))
    assert detect_family(response.text, url)[0] == "ucap"


def test_real_gansu_pagination_from_the_commented_call():
    response = file_response(FIXTURES / "pages" / "ucap-jyt-gansu-1.html", url="https://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml")
    urls = [p.url for p in ucap.next_pages(response)]
    assert urls == [f"https://jyt.gansu.gov.cn/jyt/c110634/zwgklist_{n}.shtml" for n in range(2, 11)]


def test_cmspro_documents_list_excludes_navigation():
    response = file_response(COLUMN / "zwgklist.shtml", url=HOST + "/demo/c1001/zwgklist.shtml")
    titles = [e.title for e in ucap.entries(response)]
    assert "演示市交通运输局2021年政府信息公开工作年度报告" in titles
    assert "通知公告" not in titles


def test_demo_comment_page_is_read():
    response = file_response(COLUMN / "zwgklist_2.shtml", url=HOST + "/demo/c1001/zwgklist_2.shtml")
    assert "演示市住房和城乡建设局2022年政府信息公开工作年度报告" in [e.title for e in ucap.entries(response)]
    assert ucap.next_pages(response) == []
