"""The reports spider's callbacks on frozen portal pages: which links it follows, what an item holds."""

import re

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.spiders.reports import ReportsSpider, parse_years
from govreports.demo.server import registry_text
from tests.helpers import DEMO_SITE, file_response, project_crawler

TRS = "http://127.0.0.2:8765/xxgk/zfxxgknb/"


@pytest.fixture
def spider(tmp_path, request):
    registry = tmp_path / "demo.csv"
    registry.write_text(registry_text(8765), encoding="utf-8")
    crawler = project_crawler(ReportsSpider)
    crawler.stats.open_spider()
    args = getattr(request, "param", {})
    return ReportsSpider.from_crawler(crawler, sites=str(registry), **args)


def trs_page(name, meta):
    response = file_response(DEMO_SITE / "trs" / "xxgk" / "zfxxgknb" / name, url=TRS + name)
    response.request.meta.update(meta)
    return response.replace(request=response.request)


def test_list_page_follows_reports_and_next_pages_only(spider):
    results = list(spider.parse_list(trs_page("index.html", {"site": "demo-trs"})))
    details = [r.url for r in results if r.callback == spider.parse_detail]
    lists = [r.url for r in results if r.callback == spider.parse_list]
    assert details == [TRS + "202203/t20220301_1001.html"]
    assert lists == [TRS + "index_1.html", TRS + "index_2.html"]
    assert spider.crawler.stats.get_value("site/demo-trs/entries_skipped") == 3


@pytest.mark.parametrize("spider", [{"years": "2019-2020"}], indirect=True)
def test_years_keep_reports_of_those_years(spider):
    results = list(spider.parse_list(trs_page("index_1.html", {"site": "demo-trs"})))
    titles = [r.meta["list_title"] for r in results if r.callback == spider.parse_detail]
    assert titles and all(re.search("20(19|20)年", t) for t in titles)
    first = list(spider.parse_list(trs_page("index.html", {"site": "demo-trs"})))
    assert not [r for r in first if r.callback == spider.parse_detail]


@pytest.mark.parametrize("spider", [{"region": "2301"}], indirect=True)
def test_region_prefix_keeps_sites(spider):
    assert sorted(spider.sites) == ["demo-hanweb", "demo-trs"]
    assert spider.allowed_domains == ["127.0.0.2", "127.0.0.3"]


def test_detail_item_holds_the_crawl_fields(spider):
    meta = {"site": "demo-trs", "list_title": "演示县人民政府2021年政府信息公开工作年度报告", "list_date": "2022-03-01"}
    (item,) = spider.parse_detail(trs_page("202203/t20220301_1001.html", meta))
    assert item["title"] == meta["list_title"] and item["published"] == "2022-03-01"
    assert item["region_code"] == "230124" and item["site"] == "demo-trs"
    assert item["source"]["kind"] == "html" and re.fullmatch(r"[0-9a-f]{40}", item["report_id"])
    assert [a["kind"] for a in item["attachments"]] == ["pdf"]
    assert "镕" not in item["raw_html"] and "信息内容" in item["raw_html"]


def test_attachment_only_page_names_the_file_as_source(spider):
    meta = {"site": "demo-trs", "list_title": "演示县水务局2018年政府信息公开工作年度报告"}
    (item,) = spider.parse_detail(trs_page("201901/t20190125_1005.html", meta))
    assert item["source"] == {"kind": "pdf", "url": "http://127.0.0.2:8765/files/demo-report.pdf", "sha256": None}


def test_years_argument():
    assert parse_years("2021-2023") == (2021, 2023)
    assert parse_years("2022") == (2022, 2022)
    with pytest.raises(ValueError):
        parse_years("21")


def test_registry_is_required():
    with pytest.raises(ValueError, match="sites=FILE.csv"):
        ReportsSpider()



def test_undetectable_site_is_reported_not_guessed(spider):
    url = "http://127.0.0.4:8765/demo/c1001/zwgklist.shtml"
    body = "<html><body><p>欢迎访问</p><a href='/'>首页</a></body></html>".encode()
    response = HtmlResponse(url, body=body, encoding="utf-8", request=Request(url, meta={"site": "demo-ucap"}))
    assert list(spider.parse_list(response)) == []
    assert spider.crawler.stats.get_value("site/demo-ucap/undetected") == 1


def http_failure(request, status):
    failure = Failure(HttpError(HtmlResponse(request.url, status=status, request=request), "ignored"))
    failure.request = request
    return failure


def test_missing_index_1_falls_back_to_the_page_after_the_last(spider):
    request = Request(TRS + "index_1.html", meta={"site": "demo-trs", "list_if_missing": TRS + "index_3.html"})
    (fallback,) = list(spider.on_error(http_failure(request, 404)))
    assert fallback.url == TRS + "index_3.html" and fallback.callback == spider.parse_list
    assert spider.crawler.stats.get_value("site/demo-trs/errors") is None


def test_404_report_link_is_counted_not_followed(spider):
    request = Request(TRS + "202102/t20210201_1404.html", meta={"site": "demo-trs"})
    assert list(spider.on_error(http_failure(request, 404))) == []
    assert spider.crawler.stats.get_value("site/demo-trs/errors/http_404") == 1


def test_report_link_answering_with_a_file_becomes_a_file_report(spider):
    url = TRS + "202001/nb2019"
    request = Request(url, meta={"site": "demo-trs", "list_title": "演示县2019年政府信息公开工作年度报告"}, headers={"Referer": TRS + "index.html"})
    response = Response(url, body=b"%PDF-1.4 ...", headers={"Content-Type": "application/pdf"}, request=request)
    (item,) = spider.parse_detail(response)
    assert item["url"] == TRS + "index.html" and item["source"]["kind"] == "pdf"
    assert item["attachment_files"] == {url: b"%PDF-1.4 ..."} and item["title"] == "演示县2019年政府信息公开工作年度报告"


def test_list_entry_linking_a_file_is_a_report_without_a_detail_page(spider):
    body = '<table><tr><td><a href="/files/a.pdf">演示县2018年政府信息公开工作年度报告</a></td><td>2019-01-02</td></tr></table>'
    request = Request(TRS + "index.html", meta={"site": "demo-trs"})
    response = HtmlResponse(TRS + "index.html", body=body.encode(), encoding="utf-8", request=request)
    spider.site_family["demo-trs"] = "generic"
    (item,) = [r for r in spider.parse_list(response) if not isinstance(r, Request)]
    assert item["source"] == {"kind": "pdf", "url": "http://127.0.0.2:8765/files/a.pdf", "sha256": None}
    assert item["url"] == TRS + "index.html" and item["published"] == "2019-01-02"
