"""The chain stages (strip, parse, validate), the schema stage and the stats they keep, on real items.

Each stage runs as the crawl runs it (``process_item`` on a ``ReportItem``, the step in a worker
thread) with the project's settings; what it counts is read from the crawler's stats collector.
"""

import asyncio

import pytest

from crawler.items import ReportItem
from crawler.stats_keys import body_found_by_key, missing_field_key, warning_key
from pipelines.parse import ParsePipeline
from pipelines.schema_check import SchemaCheckPipeline
from pipelines.stage import ChainStage
from pipelines.strip import StripPipeline
from pipelines.validate import ValidatePipeline
from pipelines.warning_codes import warning
from tests.helpers import DEMO_SITE, FIXTURES, project_crawler

SEED = FIXTURES / "seeds" / "001_486c4dbf7b9bad2b.txt"
TRS_PAGE = DEMO_SITE / "trs" / "xxgk" / "zfxxgknb" / "202203" / "t20220301_1001.html"


def crawler_with(**settings):
    crawler = project_crawler(**settings)
    crawler.stats.open_spider()
    return crawler


def run(stage, item):
    return asyncio.run(stage.process_item(item))


def page_item(path=TRS_PAGE, **fields):
    from pipelines.cleaning import decode_html

    assert path.is_file(), f"fixture {path} is missing"
    item = ReportItem(url="http://127.0.0.2/" + path.name, site="demo-trs", source={"kind": "html", "url": "http://127.0.0.2/" + path.name, "sha256": None},
                      attachments=[], warnings=[], raw_html=decode_html(path.read_bytes()))
    item.update(fields)
    return item


def text_item(text):
    return ReportItem(url="http://127.0.0.1/t.txt", site="s", attachments=[], warnings=[], text=text,
                      source={"kind": "text", "url": "http://127.0.0.1/t.txt", "sha256": None})


def test_strip_stage_finds_the_body_and_counts_how():
    crawler = crawler_with()
    item = run(StripPipeline.from_crawler(crawler), page_item())
    assert "本年新收" in item["text"] and "ICP备" not in item["text"]
    stats = crawler.stats.get_stats()
    assert stats["strip/pages"] == 1
    assert [key for key in stats if key.startswith("strip/body_found_by/")] == [body_found_by_key("selector:.TRS_Editor")]


def test_parse_stage_fills_the_item_and_counts_format():
    crawler = crawler_with()
    item = run(StripPipeline.from_crawler(crawler), page_item())
    item = run(ParsePipeline.from_crawler(crawler), item)
    assert (item["format"], item["year"]) == ("2021", 2021)
    stats = crawler.stats.get_stats()
    assert stats["parse/format/2021"] == 1
    assert not [key for key in stats if key.startswith("parse/field/")]


def test_parse_stage_counts_missing_fields_and_warning_codes():
    crawler = crawler_with()
    item = text_item("关于开展政务公开培训的通知\n各乡镇：为提升政务公开水平，现将有关事项通知如下。")
    item = run(StripPipeline.from_crawler(crawler), item)
    item = run(ParsePipeline.from_crawler(crawler), item)
    stats = crawler.stats.get_stats()
    for name in ("organ", "year", "active", "requests", "review_litigation"):
        assert stats[missing_field_key(name)] == 1, name
    assert stats[body_found_by_key("text")] == 1
    counted = sum(v for k, v in stats.items() if k.startswith("parse/warning/"))
    assert counted == len(item["warnings"]) > 0


def test_validate_stage_counts_the_outcome():
    crawler = crawler_with()
    item = text_item(SEED.read_text(encoding="utf-8"))
    for stage in (StripPipeline, ParsePipeline, ValidatePipeline):
        item = run(stage.from_crawler(crawler), item)
    assert item["validation"]["ok"] is True
    assert crawler.stats.get_value("validate/ok/true") == 1


def test_warnings_brought_by_the_item_are_counted_once():
    crawler = crawler_with()
    item = page_item(warnings=[warning("attachment_not_fetched", "HTTP 404")])
    for stage in (StripPipeline, ParsePipeline, ValidatePipeline):
        item = run(stage.from_crawler(crawler), item)
    assert crawler.stats.get_value(warning_key("attachment_not_fetched")) == 1


class Broken(ChainStage):
    stats_prefix = "broken"

    @staticmethod
    def step(item):
        raise RuntimeError("a bug")


def test_a_failing_stage_is_a_counted_warning_when_not_strict():
    crawler = crawler_with(REPORTS_STRICT=False)
    item = run(Broken.from_crawler(crawler), text_item("x"))
    assert item["warnings"][0].startswith("stage_failed: broken failed: RuntimeError: a bug")
    assert crawler.stats.get_value("broken/exception") == 1
    assert crawler.stats.get_value(warning_key("stage_failed")) == 1


def test_a_failing_stage_raises_when_strict():
    crawler = crawler_with(REPORTS_STRICT=True)
    with pytest.raises(RuntimeError, match="a bug"):
        run(Broken.from_crawler(crawler), text_item("x"))


def test_the_suite_runs_strict():
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings")
    assert settings.getbool("REPORTS_STRICT")


def test_schema_stage_counts_each_invalid_field_and_keeps_the_item():
    crawler = crawler_with()
    item = text_item(SEED.read_text(encoding="utf-8"))
    for stage in (StripPipeline, ParsePipeline, ValidatePipeline):
        item = run(stage.from_crawler(crawler), item)
    item.update(report_id="a" * 40, region_code="230124", crawled_at="2026-11-29T00:00:00Z")
    item["year"] = "2021年"
    stage = SchemaCheckPipeline.from_crawler(crawler)
    assert stage.process_item(item) is item
    stats = crawler.stats.get_stats()
    assert stats["schema/field/year/invalid"] == 1 and stats["schema/items_invalid"] == 1
    assert stats[warning_key("schema")] == 1
    assert any(w.startswith("schema: year:") for w in item["warnings"])
