"""The state store (``crawler.state``), the -O/-o feed split and the sink's feed targets, offline."""

from __future__ import annotations

import json
import sqlite3

import pytest
from scrapy.utils.test import get_crawler

from crawler.commands.crawl import split_feeds
from crawler.state import SCHEMA_VERSION, StateStore, read_versions
from pipelines.sink import JsonLinesSinkPipeline, sink_targets


def version(report_id: str, revision: int = 1, sha: str = "s1", **extra) -> dict:
    return {"report_id": report_id, "revision": revision, "fingerprint": f"f-{sha}", "source_sha256": sha,
            "supersedes": None, "site": "demo", "organ": "演示县人民政府", "year": 2021, "url": f"http://x/{report_id}", **extra}


@pytest.fixture
def store(tmp_path):
    opened = StateStore(tmp_path / "状态")
    yield opened
    opened.close()


def test_schema_version_is_recorded(store):
    assert store.db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    tables = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"schema_version", "urls", "revisions", "runs", "sites"} <= tables


def test_a_url_is_known_once_its_report_is_written(store, tmp_path):
    store.start_run([str(tmp_path / "feed.jsonl")], None)
    store.mark_pending(version("a"))
    assert store.latest("a") is None and not store.is_known("http://x/a")
    store.mark_written("a", 1, {"http://x/a": {"etag": '"e1"', "last_modified": None, "sha256": "s1", "fetched_at": "t", "status": 200}})
    assert store.latest("a")["fingerprint"] == "f-s1"
    assert store.is_known("http://x/a") and store.validators("http://x/a") == ('"e1"', None)


def test_dead_links_are_known_and_have_no_validators(store):
    store.record_url("http://x/gone", None, status=404)
    assert store.is_known("http://x/gone") and store.validators("http://x/gone") == (None, None)


def test_same_organ_and_year_of_an_earlier_run_is_the_previous_version(store, tmp_path):
    store.start_run([], None)
    store.mark_pending(version("a"))
    store.mark_written("a", 1, {})
    store.finish_run("finished", ["demo"])
    store.start_run([], None)
    assert store.latest("b", "demo", "演示县人民政府", 2021)["report_id"] == "a"
    assert store.latest("b", "demo", "演示县人民政府", 2022) is None
    assert store.walk_finished_before("demo") and not store.walk_finished_before("other")


def test_pending_versions_of_an_interrupted_run_are_settled_by_its_feed(tmp_path):
    feed = tmp_path / "run1.jsonl"
    store = StateStore(tmp_path / "state")
    store.start_run([str(feed)], None)
    store.mark_pending(version("in-feed"))
    store.mark_pending(version("lost"))
    feed.write_text(json.dumps({"report_id": "in-feed", "source": {"sha256": "s1"}}) + "\n" + '{"report_id": "lo', encoding="utf-8")
    store.start_run([str(tmp_path / "run2.jsonl")], None)  # the next run, without finish_run
    assert feed.read_text(encoding="utf-8").endswith("}\n")
    assert store.cut_lines == 1
    assert store.latest("in-feed") is not None and store.latest("lost") is None
    assert store.db.execute("SELECT reason FROM runs WHERE run_id = 1").fetchone() == ("interrupted",)
    store.close()
    assert list(read_versions(tmp_path / "state")) == ["in-feed"]


def test_a_newer_schema_is_refused(tmp_path):
    StateStore(tmp_path / "s").close()
    db = sqlite3.connect(tmp_path / "s" / "state.sqlite")
    db.execute("UPDATE schema_version SET version = 99")
    db.commit()
    db.close()
    with pytest.raises(ValueError, match="schema version 99"):
        StateStore(tmp_path / "s")


def test_json_lines_feeds_go_to_the_sink_others_to_scrapy():
    sink, other = split_feeds({
        "out.jsonl": {"format": "jsonl", "overwrite": True},
        "年报.jsonl": {"format": "jsonlines"},
        "out.csv": {"format": "csv"},
        "s3://bucket/x.jsonl": {"format": "jsonlines"},
    })
    assert sink == {"out.jsonl": {"overwrite": True}, "年报.jsonl": {"overwrite": False}}
    assert set(other) == {"out.csv", "s3://bucket/x.jsonl"}


def test_sink_writes_every_feed_it_is_given(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    second.write_text('{"report_id": "old"}\n{"rep', encoding="utf-8")
    settings = {"REPORTS_FEEDS": {str(first): {"overwrite": True}, str(second): {"overwrite": False}}, "REPORTS_SINK_FSYNC_SECONDS": 1.0}
    assert [path.name for path, _ in sink_targets(get_crawler(settings_dict=settings).settings)] == ["a.jsonl", "b.jsonl"]
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    pipeline = JsonLinesSinkPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item({"report_id": "new", "title": "镕城镇2021年政府信息公开工作年度报告"})
    pipeline.close_spider()
    assert [json.loads(line)["report_id"] for line in first.read_text(encoding="utf-8").splitlines()] == ["new"]
    assert [json.loads(line)["report_id"] for line in second.read_text(encoding="utf-8").splitlines()] == ["old", "new"]
    assert crawler.stats.get_value("sink/partial_lines_cut") == 1
