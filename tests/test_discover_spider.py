"""The ``discover`` spider's arguments, summary path and summary text (the crawl itself is in
``test_discover_e2e``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.spiders.discover import DiscoverSpider, discovery_summary_path, format_summary
from tests.helpers import PROJECT


def test_arguments_checked_before_the_engine_starts(tmp_path):
    settings = Settings()
    with pytest.raises(ValueError, match="-a homes=HOMES.csv"):
        DiscoverSpider.check_arguments(settings)
    with pytest.raises(ValueError, match="homes file not found"):
        DiscoverSpider.check_arguments(settings, homes=str(tmp_path / "none.csv"))
    with pytest.raises(ValueError, match="malformed directory url"):
        DiscoverSpider.check_arguments(settings, directory="www.harbin.gov.cn")
    homes = tmp_path / "homes.csv"
    homes.write_text("name,region_code,url\n方正县,230124,http://www.fangzheng.gov.cn/\n", encoding="utf-8")
    DiscoverSpider.check_arguments(settings, homes=str(homes), directory="http://www.harbin.gov.cn/xq/")


def test_scrapy_crawl_discover_without_homes_is_a_usage_error():
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "discover"], cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "give the home pages" in result.stderr and "Traceback" not in result.stderr


def test_govreports_discover_without_input_is_a_usage_error():
    from govreports.cli import main

    assert main(["discover"]) == 2


def test_summary_beside_the_output():
    settings = Settings({"FEEDS": {"out/registry.csv": {"format": "csv"}}})
    assert discovery_summary_path(settings) == Path("out/discovery.json")
    assert discovery_summary_path(Settings({"DISCOVER_SUMMARY": "x/y.json"})) == Path("x/y.json")
    assert discovery_summary_path(Settings()) == Path("output/discovery.json")


def test_summary_text_says_what_was_looked_at():
    rows = [{"site": "方正县", "status": "not found", "pages": 2, "columns": [], "unconfirmed": [],
             "errors": [{"url": "http://x/a", "reason": "HTTP 404"}], "looked_at": ["http://x/", "http://x/xxgk/"]},
            {"site": "依兰县", "status": "unconfirmed", "pages": 1, "columns": [], "errors": [], "looked_at": ["http://y/"],
             "unconfirmed": [{"label": "年报", "url": "http://y/nb/", "reason": "not a list page"}]}]
    text = format_summary(rows)
    assert "方正县: not found (2 pages looked at)" in text and "http://x/, http://x/xxgk/" in text
    assert "unconfirmed 年报  http://y/nb/  (not a list page)" in text


def test_registry_goes_to_discover_output_without_a_feed_option():
    from tests.helpers import project_crawler

    crawler = project_crawler(DiscoverSpider, DISCOVER_OUTPUT="x/registry.csv")
    assert crawler.settings.getdict("FEEDS") == {"x/registry.csv": {"format": "csv", "overwrite": True}}
    given = project_crawler(DiscoverSpider, FEEDS={"mine.csv": {"format": "csv"}})
    assert list(given.settings.getdict("FEEDS")) == ["mine.csv"]
