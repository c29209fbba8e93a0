"""The progress line's figures come from the per-site stats and the requests seen; the stats dump."""

import json

import scrapy
from scrapy.http import Request

from crawler.progress import CrawlProgress
from crawler.stats_keys import site_key
from tests.helpers import project_crawler


class Spider(scrapy.Spider):
    name = "t"
    sites = {"甲站": None, "b": None}


def progress():
    crawler = project_crawler()
    crawler.stats.open_spider()
    crawler.spider = Spider()
    return crawler, CrawlProgress(crawler, 30, on_terminal=False)


def test_figures_sum_the_site_counters():
    crawler, extension = progress()
    for key, n in (("pages", 3), ("reports_found", 4), ("errors", 1)):
        crawler.stats.inc_value(site_key("甲站", key), n)
    crawler.stats.inc_value(site_key("b", "blocked"))
    figures = extension.figures()
    assert (figures["sites"], figures["list pages"], figures["reports"], figures["errors"], figures["blocked"]) == (2, 3, 4, 1, 1)
    line = extension.line(figures)
    assert line.startswith("sites 0/2 | list pages 3 | reports 4 | errors 1 | blocked 1 |") and "reports/s" in line


def test_a_site_is_done_when_none_of_its_requests_is_pending():
    crawler, extension = progress()
    first = Request("http://127.0.0.2/a.html", meta={"site": "甲站"})
    second = Request("http://127.0.0.2/b.html", meta={"site": "甲站"})
    extension.request_scheduled(first)
    extension.request_scheduled(second)
    extension.request_scheduled(Request("http://127.0.0.3/robots.txt", meta={"site": "b"}))
    extension.request_ended(first)
    assert extension.figures()["sites done"] == 0
    crawler.stats.inc_value(site_key("甲站", "ignored"))  # the second never reached the downloader
    assert extension.figures()["sites done"] == 1


def test_no_site_at_all_gives_a_line_of_zeros():
    crawler, extension = progress()
    crawler.spider.sites = {}
    assert extension.line().startswith("sites 0/0 | list pages 0 | reports 0 | errors 0 | blocked 0 |")


def test_a_site_a_worker_finished_and_dropped_stays_counted_done():
    crawler, extension = progress()
    request = Request("http://127.0.0.2/a.html", meta={"site": "丙站"})
    extension.request_scheduled(request)
    extension.request_ended(request)
    crawler.spider.sites = {}
    figures = extension.figures()
    assert (figures["sites done"], figures["sites"]) == (1, 1)


def test_quiet_turns_progress_off():
    from scrapy.exceptions import NotConfigured

    crawler = project_crawler(REPORTS_PROGRESS=False)
    try:
        CrawlProgress.from_crawler(crawler)
    except NotConfigured:
        return
    raise AssertionError("progress was not turned off")


def test_stats_dump_is_written_as_json(tmp_path):
    target = tmp_path / "stats.json"
    crawler = project_crawler(REPORTS_STATS_FILE=str(target))
    crawler.spider = Spider()
    crawler.stats.open_spider()
    crawler.stats.inc_value(site_key("甲站", "pages"))
    crawler.stats.close_spider(reason="finished")
    assert json.loads(target.read_text(encoding="utf-8")) == {"site/甲站/pages": 1}
