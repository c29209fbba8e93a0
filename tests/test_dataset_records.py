"""Reading feeds: later lines win, one record per report across portals and revisions, the organ key."""

from __future__ import annotations

import pytest

from govreports.dataset.organs import organ_core, organ_key
from govreports.dataset.records import read_feeds
from tests.dataset_feed import feed_items, write_feed


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    return read_feeds([write_feed(tmp_path_factory.mktemp("feed") / "reports.jsonl")])


def by_key(feed, key, year):
    [record] = [r for r in feed.records if r["organ_key"] == key and r["year"] == year]
    return record


@pytest.mark.parametrize(
    "name, core",
    [
        ("红星镇人民政府", "红星镇"),
        ("方正县红星镇人民政府", "红星镇"),
        ("红星镇政府", "红星镇"),
        ("方正县 红星镇 人民政府", "红星镇"),
        ("鄂伦春自治旗诺敏镇人民政府", "诺敏镇"),
        ("东湖街道办事处", "东湖街道"),
        ("城区街道", "城区街道"),
        ("方正县财政局", "方正县财政局"),
        ("演示县人民政府办公室", "演示县政府办公室"),
        ("上海市人民政府办公厅", "上海市政府办公厅"),
    ],
)
def test_organ_core_groups_spellings(name, core):
    assert organ_core(name) == core


def test_organ_key_carries_the_county_level_region():
    assert organ_key("方正县红星镇人民政府", "230124") == organ_key("红星镇政府", "230124100") == "230124:红星镇"
    assert organ_key("红星镇人民政府", "230124") != organ_key("红星镇人民政府", "411424")
    assert organ_key("红星镇人民政府", None) == "红星镇"
    assert organ_key(None, "230124") is None


def test_three_spellings_are_one_organ_over_three_years(feed):
    years = sorted(r["year"] for r in feed.records if r["organ_key"] == "230124:会发镇")
    assert years == [2021, 2022, 2023]


def test_later_line_of_the_same_report_wins(feed):
    xiling = by_key(feed, "410102:西岭乡", 2022)
    assert xiling["crawled_at"] == "2026-11-02T08:00:00Z"
    assert xiling["active"]["fees"]["amount"] == 12.345678
    assert xiling["urls"] == ["http://127.0.0.4/nb/2022.html"]


def test_same_document_on_two_portals_is_one_record_with_both_urls(feed):
    record = by_key(feed, "230124:会发镇", 2022)
    assert sorted(record["urls"]) == ["http://127.0.0.2/xxgk/nb/2022.html", "http://127.0.0.3/huifa/gk/2022nb.html"]
    assert sorted(record["sites"]) == ["fangzheng", "huifa"]


def test_a_revision_replaces_the_earlier_report(feed):
    record = by_key(feed, "420106:东湖街道", 2023)
    assert record["published"] == "2024-03-01"
    assert record["url"] == "http://127.0.0.5/nb/2023-revised.html"
    assert record["urls"][1] == "http://127.0.0.5/nb/2023.html"


def test_counts(feed):
    assert feed.lines == len(feed_items()) == 13
    assert len(feed.records) == 10 and feed.merged == 3 and feed.problems == []


def test_bad_lines_are_named_and_the_rest_is_kept(tmp_path):
    path = write_feed(tmp_path / "a.jsonl", feed_items()[:2])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n\n[1, 2]\n")
    feed = read_feeds([path])
    assert len(feed.records) == 2
    assert feed.problems == [f"{path}:3: not a JSON line (Expecting property name enclosed in double quotes)",
                             f"{path}:5: not a report item (needs report_id and url)"]


def test_later_feed_files_win(tmp_path):
    first = feed_items()[0]
    second = dict(first, crawled_at="2026-11-20T00:00:00Z", title="改过的标题")
    feed = read_feeds([write_feed(tmp_path / "1.jsonl", [first]), write_feed(tmp_path / "2.jsonl", [second])])
    assert [r["title"] for r in feed.records] == ["改过的标题"]
