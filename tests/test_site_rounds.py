"""A worker's duplicate filter is afresh for each lease of a site (``SiteRoundDupeFilter``)."""

from __future__ import annotations

from scrapy import Request

from crawler.distributed import SiteRoundDupeFilter


def request(url: str, site: str | None = None, round_: int | None = None) -> Request:
    meta = {} if site is None else {"site": site, "site_round": round_}
    return Request(url, meta=meta)


def test_a_page_seen_under_one_lease_is_asked_again_under_the_next():
    seen = SiteRoundDupeFilter()
    assert not seen.request_seen(request("http://127.0.0.2/nb/index.html", "甲县", 1))
    assert seen.request_seen(request("http://127.0.0.2/nb/index.html", "甲县", 1))
    assert not seen.request_seen(request("http://127.0.0.2/nb/index.html", "甲县", 7))  # the site taken again


def test_requests_of_no_site_are_filtered_as_scrapy_does():
    seen = SiteRoundDupeFilter()
    assert not seen.request_seen(request("http://127.0.0.2/robots.txt"))
    assert seen.request_seen(request("http://127.0.0.2/robots.txt"))
