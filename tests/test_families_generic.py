"""Generic family and auto-detection: table lists in GBK, 下一页/?page=N pagination, undetectable pages."""

from scrapy.http import HtmlResponse

from crawler.families.detect import detect_family
from crawler.families.generic import GenericFamily
from tests.helpers import DEMO_SITE, file_response

generic = GenericFamily()
HOST = "http://127.0.0.5:8765"


def gbk_page(n):
    return file_response(DEMO_SITE / "gbk" / "xxgk" / "nb" / f"list.asp@page={n}", url=f"{HOST}/xxgk/nb/list.asp?page={n}")


def test_gbk_table_list_decodes_and_dates():
    entries = generic.entries(gbk_page(1))
    entry = next(e for e in entries if e.title == "镕城镇人民政府2021年政府信息公开工作年度报告")
    assert entry.url == f"{HOST}/xxgk/nb/show.asp?id=301" and entry.published == "2022-01-25"


def test_pagination_links_are_followed_not_listed():
    pages = {p.url for p in generic.next_pages(gbk_page(1))}
    assert pages == {f"{HOST}/xxgk/nb/list.asp?page=2", f"{HOST}/xxgk/nb/list.asp?page=3"}
    assert not any(e.title in ("下一页", "2", "3") for e in generic.entries(gbk_page(1)))


def test_undetectable_page_is_reported_not_guessed():
    response = HtmlResponse("http://x.gov.cn/a.html", body="<html><body><p>欢迎</p><a href='/'>首页</a></body></html>".encode(), encoding="utf-8")
    family, reason = detect_family(response.text, response.url)
    assert family is None and "no CMS markers" in reason


def test_detects_each_demo_family():
    cases = {
        "trs": ("trs/xxgk/zfxxgknb/index.html", "http://127.0.0.2/xxgk/zfxxgknb/index.html"),
        "hanweb": ("hanweb/col/col1001/index.html", "http://127.0.0.3/col/col1001/index.html"),
        "ucap": ("ucap/demo/c1001/zwgklist.shtml", "http://127.0.0.4/demo/c1001/zwgklist.shtml"),
        "generic": ("gbk/xxgk/nb/list.asp@page=1", "http://127.0.0.5/xxgk/nb/list.asp?page=1"),
    }
    for family, (path, url) in cases.items():
        response = file_response(DEMO_SITE / path, url=url)
        assert detect_family(response.text, url)[0] == family, family
