"""Acceptance: from the demo portal's home pages alone, ``discover`` writes a registry with which
``reports`` finds every report the hand-written demo registry finds, and no decoy column.

Real engine, real loopback servers: the portal runs in this process; ``scrapy crawl discover``,
``govreports discover --directory`` and ``scrapy crawl reports`` run in subprocesses. The reports
crawl keeps the dedupe and sink stages only: which reports a registry leads to is the question
here; what the chain makes of them is ``test_crawl_e2e``'s.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from crawler.registry import load_registry
from govreports.demo.build_homes import DECOYS, EXPECTED_COLUMNS, HOMES, UNCONFIRMED
from govreports.demo.run import DEMO_SETTINGS, crawl_command
from govreports.demo.server import SITES, Portal, directory_url, homes_text
from tests.helpers import DEMO_EXPECTED, PROJECT, REPOSTS

EXPECTED = DEMO_EXPECTED
CHAIN = {"pipelines.dedupe.DedupePipeline": 50, "pipelines.sink.JsonLinesSinkPipeline": 900}
MAX_PAGES = 12


def settings_arguments(extra: dict | None = None) -> list[str]:
    arguments = []
    for name, value in {**DEMO_SETTINGS, "DISCOVER_MAX_PAGES": MAX_PAGES, **(extra or {})}.items():
        arguments += ["-s", f"{name}={value}"]
    return arguments


def site_and_path(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    site = next(name for name, address in SITES.items() if address == parts.hostname)
    return site, parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("discover")
    with Portal(0) as portal:
        homes = tmp / "homes.csv"
        homes.write_text(homes_text(portal.port), encoding="utf-8")
        registry = tmp / "registry.csv"
        discover = [sys.executable, "-m", "scrapy", "crawl", "discover", "-a", f"homes={homes}", "-O", str(registry)]
        found = subprocess.run(discover + settings_arguments(), cwd=PROJECT, capture_output=True, text=True, timeout=120)
        assert found.returncode == 0, found.stderr[-3000:]
        hits_discover = dict(portal.state.get("hits", {}))
        from_directory = tmp / "by-directory" / "registry.csv"
        cli = [sys.executable, "-m", "govreports", "discover", "--directory", directory_url(portal.port), "-o", str(from_directory)]
        by_directory = subprocess.run(cli + settings_arguments(), cwd=PROJECT, capture_output=True, text=True, timeout=120)
        assert by_directory.returncode == 0, by_directory.stderr[-3000:]
        output = tmp / "reports.jsonl"
        crawl = crawl_command(registry, {"REPORTS_OUTPUT": output, "ITEM_PIPELINES": json.dumps(CHAIN), "LOG_LEVEL": "INFO"})
        reports = subprocess.run(crawl, cwd=PROJECT, capture_output=True, text=True, timeout=180)
        assert reports.returncode == 0, reports.stderr[-3000:]
    return {
        "registry": registry, "rows": list(csv.DictReader(registry.open(encoding="utf-8"))),
        "summary": {row["site"]: row for row in json.loads((tmp / "discovery.json").read_text(encoding="utf-8"))["sites"]},
        "log": found.stderr, "hits": hits_discover, "directory_rows": list(csv.DictReader(from_directory.open(encoding="utf-8"))),
        "cli_stdout": by_directory.stdout,
        "items": [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()],
    }


def test_every_expected_column_found_and_nothing_else(runs):
    found = {row["name"]: site_and_path(row["url"]) for row in runs["rows"]}
    assert found == EXPECTED_COLUMNS


def test_registry_is_one_the_reports_spider_takes_as_is(runs):
    sites = load_registry(runs["registry"])
    assert [s.name for s in sites] == [row["name"] for row in runs["rows"]]
    regions = {name: region for name, region, _, _ in HOMES}
    for site in sites:
        assert site.family in ("trs", "hanweb", "ucap", "generic")
        assert site.region_code == regions[site.name.rsplit("-", 1)[0]]


def test_no_decoy_column(runs):
    paths = {site_and_path(row["url"]) for row in runs["rows"]}
    for site, decoys in DECOYS.items():
        assert not paths & {(site, path) for path in decoys}
    fetched = " ".join(url for row in runs["summary"].values() for url in row["looked_at"])
    assert "nbjd" not in fetched and "tjnb" not in fetched  # labels 年报解读 / 统计年报 are not followed


def test_reports_from_discovered_registry_cover_the_hand_written_one(runs):
    found = {REPOSTS.get(path, path) for site, path in (site_and_path(item["url"]) for item in runs["items"])}
    expected = {report["path"] for report in EXPECTED["reports"]}
    assert expected <= found
    assert found == expected  # and nothing the hand-written registry does not find


def test_summary_lists_unconfirmed_and_not_found(runs):
    summary = runs["summary"]
    gbk = summary["演示镇人民政府网"]
    assert [site_and_path(c["url"])[1] for c in gbk["unconfirmed"]] == UNCONFIRMED["gbk"]
    assert all(c["reason"] for c in gbk["unconfirmed"])
    blocked = summary["屏蔽县人民政府网"]
    assert blocked["status"] == "not found" and blocked["columns"] == [] and blocked["errors"]
    for row in summary.values():
        assert row["pages"] <= MAX_PAGES


def test_platform_on_another_host_is_followed(runs):
    city = runs["summary"]["演示市人民政府网"]
    hosts = {urlsplit(url).hostname for url in city["looked_at"]}
    assert hosts == {SITES["www"], SITES["ucap"]}
    assert runs["hits"].get("province", 0) == 0  # no page outside the portals' scope


def test_directory_page_gives_the_same_columns(runs):
    by_directory = {site_and_path(row["url"]) for row in runs["directory_rows"]}
    assert by_directory == set(EXPECTED_COLUMNS.values())
    assert "演示县: found" in runs["cli_stdout"]
