"""The two downloader middlewares on real requests and responses, with the project's settings."""

import asyncio

import pytest
import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request

from crawler.middlewares import BlockedPageMiddleware, RetryBackoffMiddleware
from crawler.stats_keys import site_key
from govreports.demo.server import RS_STUB
from tests.helpers import project_crawler

SITE = "演示-被拦"


class Spider(scrapy.Spider):
    name = "t"
    blocked_sites: set


def crawler_with(**settings):
    crawler = project_crawler(**settings)
    crawler.stats.open_spider()
    crawler.spider = Spider()
    crawler.spider.blocked_sites = set()
    return crawler


def challenge(url: str, retries: int = 0):
    request = Request(url, meta={"site": SITE, "challenge_retries": retries})
    return request, HtmlResponse(request.url, status=412, body=RS_STUB, request=request)


def test_a_challenge_page_is_counted_and_asked_again_later():
    crawler = crawler_with()
    middleware = BlockedPageMiddleware.from_crawler(crawler)
    request, response = challenge("http://127.0.0.6/xxgk/index.html")
    again = middleware.process_response(request, response)
    assert isinstance(again, Request) and again.url == request.url
    assert again.priority < request.priority and again.dont_filter
    stats = crawler.stats.get_stats()
    assert stats[site_key(SITE, "blocked")] == 1 and stats[site_key(SITE, "blocked/challenge_rs")] == 1
    assert stats[site_key(SITE, "challenge_retries")] == 1
    assert SITE not in crawler.spider.blocked_sites


def test_a_page_that_keeps_answering_challenges_is_dropped_not_parsed():
    crawler = crawler_with(REPORTS_BLOCKED_AFTER=10)
    middleware = BlockedPageMiddleware.from_crawler(crawler)
    request, response = challenge("http://127.0.0.6/xxgk/index.html", retries=crawler.settings.getint("REPORTS_CHALLENGE_RETRIES"))
    with pytest.raises(IgnoreRequest):
        middleware.process_response(request, response)
    assert SITE not in crawler.spider.blocked_sites


def test_a_site_is_blocked_after_challenges_in_a_row_and_its_other_pages_are_skipped():
    crawler = crawler_with()
    middleware = BlockedPageMiddleware.from_crawler(crawler)
    in_a_row = crawler.settings.getint("REPORTS_BLOCKED_AFTER")
    for n in range(in_a_row - 1):
        request, response = challenge(f"http://127.0.0.6/p{n}.html")
        assert isinstance(middleware.process_response(request, response), Request)
    request, response = challenge("http://127.0.0.6/last.html")
    with pytest.raises(IgnoreRequest):
        middleware.process_response(request, response)
    assert SITE in crawler.spider.blocked_sites
    assert crawler.stats.get_value(site_key(SITE, "site_blocked")) == 1
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("http://127.0.0.6/other.html", meta={"site": SITE}))
    assert crawler.stats.get_value(site_key(SITE, "skipped_after_block")) == 1
    assert middleware.process_request(Request("http://127.0.0.6/robots.txt", meta={"site": SITE})) is None


def test_an_ordinary_answer_resets_the_count():
    crawler = crawler_with()
    middleware = BlockedPageMiddleware.from_crawler(crawler)
    body = "<html><body><p>演示县人民政府2022年政府信息公开工作年度报告</p></body></html>".encode()
    for n in range(3 * crawler.settings.getint("REPORTS_BLOCKED_AFTER")):
        request, response = challenge(f"http://127.0.0.6/p{n}.html")
        middleware.process_response(request, response)
        ok = Request(f"http://127.0.0.6/ok{n}.html", meta={"site": SITE})
        middleware.process_response(ok, HtmlResponse(ok.url, status=200, body=body, request=ok, headers={"Content-Type": "text/html"}))
    assert SITE not in crawler.spider.blocked_sites


def test_an_ordinary_page_passes():
    crawler = crawler_with()
    middleware = BlockedPageMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.2/a.html", meta={"site": "a"})
    body = "<html><body><p>演示县人民政府2022年政府信息公开工作年度报告</p></body></html>".encode()
    response = HtmlResponse(request.url, status=200, body=body, request=request, headers={"Content-Type": "text/html"})
    assert middleware.process_request(request) is None
    assert middleware.process_response(request, response) is response
    assert not crawler.stats.get_stats()


def test_backoff_reads_the_project_settings():
    crawler = crawler_with()
    middleware = RetryBackoffMiddleware.from_crawler(crawler)
    assert (middleware.base, middleware.cap) == (crawler.settings.getfloat("RETRY_BACKOFF_BASE"), crawler.settings.getfloat("RETRY_BACKOFF_MAX"))
    assert middleware.base > 0 and middleware.cap >= middleware.base


def test_backoff_waits_only_before_a_retry():
    crawler = crawler_with(RETRY_BACKOFF_BASE=0.001, RETRY_BACKOFF_MAX=0.002)
    middleware = RetryBackoffMiddleware.from_crawler(crawler)
    assert asyncio.run(middleware.process_request(Request("http://127.0.0.2/a.html"))) is None
    assert crawler.stats.get_value("retry/backoff_waits") is None
    asyncio.run(middleware.process_request(Request("http://127.0.0.2/a.html", meta={"retry_times": 3})))
    assert crawler.stats.get_value("retry/backoff_waits") == 1
