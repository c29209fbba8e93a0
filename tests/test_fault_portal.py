"""The fault portal crawled with the real engine: the crawl ends by itself in bounded time and
memory, keeps every good report, counts every fault per site, and fetches nothing off-registry."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time

import pytest

from govreports.demo.run import crawl_command
from tests.faults.portal import GOOD, MAX_BYTES, FaultPortal
from tests.helpers import PROJECT

CRAWL_SECONDS = 300
PEAK_MEMORY_BYTES = 1024**3
LIST_PAGE_CAP = 12
SETTINGS = {
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_TIMES": "2",
    "RETRY_BACKOFF_BASE": "0.1",
    "RETRY_BACKOFF_MAX": "0.5",
    "DOWNLOAD_MAXSIZE": str(MAX_BYTES),
    "DOWNLOAD_WARNSIZE": str(MAX_BYTES // 2),
    "REPORTS_MAX_LIST_PAGES": str(LIST_PAGE_CAP),
    "LOG_LEVEL": "INFO",
}


# Runs the crawl as its child and prints the peak RSS of the crawl and everything it started
# (the reader workers, the converters): the largest of them, as the kernel counts it.
PEAK_OF_CHILDREN = (
    "import resource, subprocess, sys\n"
    "status = subprocess.run(sys.argv[1:]).returncode\n"
    "print(f'peak_kb={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}', file=sys.stderr)\n"
    "sys.exit(status)\n"
)


def _closing_brace(text: str) -> int:
    """Index of the brace that closes the one ``text`` opens with (the last index when it never closes)."""
    depth = 0
    for index, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index
    return len(text) - 1


def crawl_stats(log: str) -> dict:
    start = log.rindex("Dumping Scrapy stats:")
    text = log[log.index("{", start):]
    source = text[: _closing_brace(text) + 1]
    source = __import__("re").sub(r"datetime\.datetime\([^)]*\)", "None", source)
    return ast.literal_eval(source)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    output = tmp / "reports.jsonl"
    with FaultPortal() as portal:
        registry = tmp / "faults.csv"
        registry.write_text(portal.registry_text(), encoding="utf-8")
        env = dict(os.environ, REPORTS_READER_TIME_LIMIT="10", PYTHONPATH=str(PROJECT))
        start = time.monotonic()
        command = [sys.executable, "-c", PEAK_OF_CHILDREN, *crawl_command(registry, {**SETTINGS, "REPORTS_OUTPUT": str(output)})]
        result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=CRAWL_SECONDS)
        seconds = time.monotonic() - start
        peak_kb = int(result.stderr.strip().splitlines()[-1].removeprefix("peak_kb="))
        recorded = list(portal.recorded)
        hits = list(portal.hits)
    assert result.returncode == 0, result.stderr[-3000:]
    items = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    summary = {row["site"]: row for row in json.loads((tmp / "summary.json").read_text(encoding="utf-8"))["sites"]}
    return {"items": items, "summary": summary, "stats": crawl_stats(result.stderr), "seconds": seconds,
            "peak_kb": peak_kb, "recorded": recorded, "hits": hits, "log": result.stderr}


def site_stat(crawl, site: str, key: str) -> int:
    return crawl["stats"].get(f"site/fault-{site}/{key}", 0)


def test_crawl_ends_by_itself_in_bounded_time_and_memory(crawl):
    assert crawl["seconds"] < CRAWL_SECONDS
    assert crawl["peak_kb"] * 1024 < PEAK_MEMORY_BYTES, crawl["peak_kb"]
    print(f"fault crawl: {crawl['seconds']:.1f} s, peak RSS of a crawl process {crawl['peak_kb'] / 1024:.0f} MB")


def test_every_good_report_collected(crawl):
    urls = {item["url"].split(":", 2)[-1].split("/", 1)[-1] for item in crawl["items"]}
    missing = [(site, path) for site, paths in GOOD.items() for path in paths if path.lstrip("/") not in urls]
    assert not missing, missing


def test_off_registry_recorder_got_no_request(crawl):
    assert crawl["recorded"] == []


def test_slow_reset_and_short_answers_are_errors(crawl):
    kinds = crawl["summary"]["fault-slow"]["error_kinds"]
    assert crawl["summary"]["fault-slow"]["errors"] >= 3, kinds
    assert any("Timeout" in kind for kind in kinds), kinds


def test_storm_and_429_recovered(crawl):
    paths = {item["url"].rsplit("/", 1)[-1] for item in crawl["items"] if item["site"] == "fault-storm"}
    assert {"storm.html", "busy.html"} <= paths
    assert crawl["stats"].get("retry/count", 0) >= 3


def test_redirect_loop_and_offsite_counted(crawl):
    assert site_stat(crawl, "redirects", "entries_offsite") == 1
    assert crawl["stats"].get("offsite/filtered", 0) + crawl["stats"].get("redirect/offsite", 0) >= 1 or crawl["recorded"] == []
    assert crawl["summary"]["fault-redirects"]["errors"] >= 0


def test_endless_pagination_capped(crawl):
    assert site_stat(crawl, "endless", "list_pages_over_limit") >= 1
    assert crawl["summary"]["fault-endless"]["pages"] <= LIST_PAGE_CAP + 1


def test_oversize_and_bomb_stopped(crawl):
    assert crawl["summary"]["fault-big"]["errors"] >= 2, crawl["summary"]["fault-big"]
    assert not any(item["url"].endswith(("big.html", "bomb.html")) for item in crawl["items"])


def test_lying_charset_read(crawl):
    lying = [item for item in crawl["items"] if item["url"].endswith("lying.html")]
    assert lying and "巨大县" in (lying[0]["text"] or "") + (lying[0]["title"] or "")


@pytest.mark.parametrize("site,kind", [("jsl", "challenge_jsl"), ("acw", "waf_aliyun"), ("waf", "waf_denied")])
def test_challenge_pages_counted_not_parsed(crawl, site, kind):
    assert site_stat(crawl, site, f"blocked/{kind}") >= 1
    assert site_stat(crawl, site, "site_blocked") == 0
    assert not any(("二段" in (i["title"] or "") or "受限" in (i["title"] or "") or "acw" in (i["title"] or "")) for i in crawl["items"])


def test_hostile_attachments_end_with_warnings(crawl):
    items = {item["url"].rsplit("/", 1)[-1]: item for item in crawl["items"] if item["site"] == "fault-files"}
    assert {"loop-pdf.html", "nested-pdf.html", "xxe-docx.html", "ole-doc.html", "huge-png.html"} <= set(items)
    assert any(w.startswith("attachment_timeout") for w in items["loop-pdf.html"]["warnings"])
    names = [a.get("filename") for item in items.values() for a in item["attachments"]]
    assert "passwd" in names and all(name is None or ("/" not in name and len(name) <= 120) for name in names)
    assert "root:" not in json.dumps(list(items.values()), ensure_ascii=False)



def test_a_site_answering_only_challenges_is_reported_blocked(crawl):
    assert site_stat(crawl, "wall", "site_blocked") == 1
    assert site_stat(crawl, "wall", "blocked") >= 3
    assert crawl["summary"]["fault-wall"]["status"] == "blocked"
    wall_hits = [path for site, path in crawl["hits"] if site == "wall" and path.startswith("/a/")]
    assert len(wall_hits) < 12  # 6 pages x (1 + 1 retry) if nothing stopped it
