"""The JSON-lines sink: UTF-8 Chinese as is, one flushed line per report, internal fields removed."""

import json

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import CONTRACT_FIELDS, INTERNAL_FIELDS, ReportItem
from pipelines.sink import JsonLinesSinkPipeline


def make_item():
    return ReportItem(report_id="ab", url="http://x.gov.cn/a.html", site="x", title="镕城镇2021年政府信息公开工作年度报告",
                      raw_html="<html>", attachment_files={"u": b"%PDF"}, attachments=[], warnings=[])


def sink(tmp_path, **settings):
    crawler = get_crawler(settings_dict={"REPORTS_OUTPUT": str(tmp_path / "out" / "r.jsonl"), **settings})
    crawler.stats.open_spider()
    pipeline = JsonLinesSinkPipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def test_line_is_flushed_utf8_without_internal_fields(tmp_path):
    pipeline = sink(tmp_path)
    pipeline.process_item(make_item())
    text = (tmp_path / "out" / "r.jsonl").read_text(encoding="utf-8")
    assert text.endswith("\n") and "镕城镇" in text
    data = json.loads(text)
    assert not set(data) & set(INTERNAL_FIELDS)
    assert list(data) == [k for k in CONTRACT_FIELDS if k in data]
    pipeline.close_spider()


def test_extra_public_keys_are_kept_after_contract_fields(tmp_path):
    pipeline = sink(tmp_path)
    item = dict(make_item(), extra_note="x")
    pipeline.process_item(item)
    assert list(json.loads((tmp_path / "out" / "r.jsonl").read_text(encoding="utf-8")))[-1] == "extra_note"


def test_user_feed_replaces_the_default_file_but_fields_are_still_dropped(tmp_path):
    pipeline = sink(tmp_path, FEEDS={str(tmp_path / "feed.jsonl"): {"format": "jsonlines"}})
    item = pipeline.process_item(make_item())
    assert not (tmp_path / "out" / "r.jsonl").exists()
    assert not set(item.keys()) & set(INTERNAL_FIELDS)


def test_a_report_id_is_written_once(tmp_path):
    pipeline = sink(tmp_path)
    pipeline.process_item(make_item())
    with pytest.raises(DropItem):
        pipeline.process_item(make_item())
    assert len((tmp_path / "out" / "r.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    assert pipeline.crawler.stats.get_value("dedupe/late_duplicates") == 1
