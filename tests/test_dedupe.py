"""A report reachable under two URLs is written once; the duplicate is counted."""

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import report_id_for
from pipelines.dedupe import DedupePipeline


def test_second_copy_is_dropped_and_counted():
    crawler = get_crawler()
    crawler.stats.open_spider()
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.process_item({"report_id": "a", "site": "s"})
    with pytest.raises(DropItem):
        pipeline.process_item({"report_id": "a", "site": "s"})
    assert crawler.stats.get_value("dedupe/duplicates") == 1
    assert crawler.stats.get_value("site/s/duplicates") == 1


def test_report_id_ignores_fragment_and_query_order():
    assert report_id_for("http://a.gov.cn/x.html?b=2&a=1#top") == report_id_for("http://a.gov.cn/x.html?a=1&b=2")
    assert len(report_id_for("http://a.gov.cn/x.html")) == 40
