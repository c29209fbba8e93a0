"""Distributed crawl: real redis-server, real ``scrapy crawl reports`` workers, real HTTP (scale portal).

Three workers on a 20-site portal find every report exactly once, never more than the per-domain
limit of requests at once on a host (counted at the portal); a worker SIGKILLed mid-crawl loses
nothing: its sites go to the others after the lease time-out and no report is written twice.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from crawler.distributed import SharedWork
from crawler.registry import Site
from govreports.cluster import merged_summary, seed, start_workers, worker_output
from govreports.demo.scale import SCALE_SETTINGS, ScalePortal, host_of, site_name
from govreports.localredis import LocalRedis

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed (make setup)")

SITES, REPORTS, LATENCY, WORKERS = 20, 8, 0.02, 3
PER_DOMAIN = 2  # CONCURRENT_REQUESTS_PER_DOMAIN of crawler/settings.py
SETTINGS = {**SCALE_SETTINGS, "REPORTS_SITES_PER_WORKER": "2", "MAX_IDLE_TIME_BEFORE_CLOSE": "1", "REPORTS_LEASE_SECONDS": "3", "LOG_LEVEL": "INFO"}


@pytest.fixture(scope="module")
def redis_server():
    with LocalRedis() as server:
        yield server


def expected_urls(portal: ScalePortal) -> set[str]:
    urls = set()
    for site in range(SITES):
        host = host_of(site)
        urls.update(f"http://{host}:{portal.ports[host]}/xxgk/zfxxgknb/2022/t{n:05d}.html" for n in range(REPORTS))
    return urls


def written_lines(output: Path) -> list[dict]:
    lines = []
    for index in range(1, WORKERS + 1):
        path = worker_output(output, index)
        if path.is_file():
            lines += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return lines


def run_workers(tmp_path: Path, redis_url: str, portal: ScalePortal, kill_first_after: int | None = None):
    registry = tmp_path / "sites.csv"
    registry.write_text(portal.registry_text(), encoding="utf-8")
    assert seed(redis_url, str(registry)) == SITES
    output = tmp_path / "out" / "reports.jsonl"
    processes = start_workers(redis_url, WORKERS, output, SETTINGS, log_dir=tmp_path)
    killed = []

    def kill_the_first():
        first = worker_output(output, 1)
        deadline = time.monotonic() + 60
        while kill_first_after is not None and time.monotonic() < deadline and processes[0].poll() is None:
            if first.is_file() and first.read_text(encoding="utf-8").count("\n") >= kill_first_after:
                os.kill(processes[0].pid, signal.SIGKILL)
                killed.append(processes[0].pid)
                break
            time.sleep(0.05)

    statuses = wait_all(processes, kill_the_first)
    logs = "\n".join((tmp_path / f"worker-{i}.log").read_text(errors="replace")[-2000:] for i in range(1, WORKERS + 1))
    return output, statuses, bool(killed), logs


def wait_all(processes: list, before=lambda: None) -> list[int]:
    """Call ``before``, then wait for every process (2 minutes at most): their exit statuses. Any
    still running after that (an error, a time-out) is killed."""
    try:
        before()
        return [p.wait(timeout=120) for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()


def test_three_workers_write_every_report_once_within_the_per_host_limit(tmp_path, redis_server):
    with ScalePortal(SITES, REPORTS, LATENCY) as portal:
        output, statuses, _, logs = run_workers(tmp_path, redis_server.url, portal)
        stats = portal.stats()
    assert statuses == [0] * WORKERS, logs
    lines = written_lines(output)
    urls = [line["url"] for line in lines]
    assert len(urls) == len(set(urls)), "a report written twice"
    assert set(urls) == expected_urls(portal)
    assert len({line["report_id"] for line in lines}) == SITES * REPORTS
    assert sum(1 for i in range(1, WORKERS + 1) if worker_output(output, i).stat().st_size) >= 2, "the work was not shared"
    assert 0 < stats["max_peak"] <= PER_DOMAIN, stats["peak"]
    summary = merged_summary(redis_server.url)
    assert summary["done"] == SITES and summary["pending"] == 0
    assert summary["reports_written"] == SITES * REPORTS
    assert {row["site"]: row["reports"] for row in summary["sites"]} == {site_name(i): REPORTS for i in range(SITES)}
    assert summary["stats"]["cluster/workers"] == WORKERS
    cluster_file = json.loads((output.parent / "cluster-summary.json").read_text(encoding="utf-8"))
    assert cluster_file["reports_written"] == SITES * REPORTS
    errors = [line for i in range(1, WORKERS + 1) for line in (tmp_path / f"worker-{i}.log").read_text(errors="replace").splitlines() if "] ERROR:" in line]
    assert not errors, errors


def test_a_killed_workers_sites_are_taken_over_and_nothing_is_written_twice(tmp_path, redis_server):
    with ScalePortal(SITES, REPORTS, LATENCY) as portal:
        output, statuses, killed, logs = run_workers(tmp_path, redis_server.url, portal, kill_first_after=3)
    assert killed, "the first worker ended before it could be killed"
    assert statuses[0] == -signal.SIGKILL
    assert statuses[1:] == [0] * (WORKERS - 1), logs
    lines = written_lines(output)  # every line parses: no partial line
    urls = [line["url"] for line in lines]
    assert len(urls) == len(set(urls)), "a report written twice"
    assert set(urls) == expected_urls(portal)
    summary = merged_summary(redis_server.url)
    assert summary["done"] == SITES and summary["pending"] == 0
    assert summary["stats"].get("cluster/sites_taken_over", 0) >= 1


def test_leases_claims_and_seeding(redis_server):
    work = SharedWork.from_url(redis_server.url, "unit")
    sites = [Site(f"s{i}", "110101", f"http://127.0.0.{i + 2}/nb/index.html", "trs") for i in range(3)]
    work.seed(sites, "2021-2023")
    assert work.years() == "2021-2023" and work.pending() == 3
    first = work.lease("w1", 30, 2)
    assert [site.name for site, _ in first] == ["s0", "s1"]
    assert [site.name for site, _ in work.lease("w2", 30, 5)] == ["s2"]
    assert work.lease("w3", 30, 5) == []  # all held
    assert work.renew("w2", 30, ["s0", "s2"]) == ["s0"]  # s0 is w1's
    assert work.finish("w1", "s0") and not work.finish("w2", "s1")
    assert work.pending() == 2
    assert work.claim("r1", "w1", 30) == work.claim("r1", "w1", 30) == "mine"
    assert work.claim("r1", "w2", 30) == "pending"  # w1 is writing it
    work.confirm("r1", "s0")
    assert work.claim("r1", "w1", 30) == work.claim("r1", "w2", 30) == "written"
    assert work.claim("r2", "w1", 0.2) == "mine"
    time.sleep(0.3)
    assert work.claim("r2", "w2", 30) == "mine"  # w1's claim ran out with its lease
    work.seed(sites[:1])  # a fresh crawl: the previous one's state is gone
    assert work.pending() == 1 and work.claim("r1", "w1", 30) == "mine"


def test_a_worker_takes_no_more_than_its_share_of_the_sites_left(redis_server):
    work = SharedWork.from_url(redis_server.url, "share")
    sites = [Site(f"站{i}", None, f"http://127.0.0.{i + 2}/index.html", None) for i in range(10)]
    work.seed(sites)
    assert len(work.lease("w1", 30, 10)) == 10  # alone: everything
    work.seed(sites)
    assert work.lease("w2", 30, 0) == []  # w2 asks for nothing, but counts as a live worker
    assert len(work.lease("w1", 30, 10)) == 5
    assert work.lease("w1", 30, 10, held=5) == []  # its share held
    assert len(work.lease("w2", 30, 10)) == 5
    work.seed(sites)
    assert work.lease("w1", 30, 0) == [] and work.lease("w2", 30, 0) == []
    work.leave("w2")  # w2 is done: w1's share is everything again
    assert len(work.lease("w1", 30, 10)) == 10


def test_expired_lease_goes_to_another_worker(redis_server):
    work = SharedWork.from_url(redis_server.url, "expiry")
    work.seed([Site("县", None, "http://127.0.0.9/index.html", None)])
    assert [s.name for s, before in work.lease("w1", 0.2, 1)] == ["县"]
    time.sleep(0.3)
    ((site, before),) = work.lease("w2", 30, 1)
    assert (site.name, before) == ("县", "w1")
    assert work.renew("w1", 30, ["县"]) == ["县"]


def test_crawl_command_with_workers_starts_and_stops_its_own_redis(tmp_path):
    import subprocess
    import sys

    from govreports.cluster import PROJECT

    with ScalePortal(4, 3, 0.0) as portal:
        registry = tmp_path / "sites.csv"
        registry.write_text(portal.registry_text(), encoding="utf-8")
        output = tmp_path / "out.jsonl"
        settings = [arg for name, value in SETTINGS.items() for arg in ("-s", f"{name}={value}")]
        result = subprocess.run([sys.executable, "-m", "govreports", "crawl", str(registry), "--workers", "2", "-o", str(output), *settings],
                                cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "TOTAL" in result.stdout and "12 reports in" in result.stdout
    urls = [json.loads(line)["url"] for i in (1, 2) for line in worker_output(output, i).read_text(encoding="utf-8").splitlines()]
    assert len(urls) == len(set(urls)) == 12
    summary = json.loads((tmp_path / "cluster-summary.json").read_text(encoding="utf-8"))
    assert summary["reports_written"] == 12 and summary["pending"] == 0


def test_worker_command_needs_a_redis_url():
    import subprocess
    import sys

    from govreports.cluster import PROJECT

    result = subprocess.run([sys.executable, "-m", "govreports", "worker"], cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--redis" in result.stderr and "Traceback" not in result.stderr


def test_item_scraped_confirms_only_where_no_confirming_sink_did(redis_server):
    from scrapy import signals

    from crawler.distributed import CONFIRMING_SINK
    from pipelines.exactly_once import ExactlyOncePipeline
    from tests.helpers import project_crawler

    written = {}
    for prefix, pipelines in (("with-sink", {CONFIRMING_SINK: 900}), ("feed-only", {})):
        crawler = project_crawler(REDIS_URL=redis_server.url, REPORTS_REDIS_PREFIX=prefix, ITEM_PIPELINES=pipelines)
        pipeline = ExactlyOncePipeline.from_crawler(crawler)  # signals hold their receivers weakly
        crawler.signals.send_catch_log(signals.item_scraped, item={"report_id": "报告-1", "site": "甲站"}, response=None, spider=None)
        written[prefix] = bool(pipeline.work.server.sismember(f"{prefix}:written", "报告-1"))
    assert written == {"with-sink": False, "feed-only": True}


def test_a_report_another_worker_claimed_waits_for_its_claim_to_end(redis_server):
    """A taker reaching a report before the dead holder's claim expired wrote nothing (the report was
    lost); now it waits: the claim runs out and it writes the report, or it is confirmed and dropped."""
    import asyncio
    import inspect
    from types import SimpleNamespace

    from scrapy.exceptions import DropItem

    from crawler.distributed import CONFIRMING_SINK
    from pipelines.exactly_once import ExactlyOncePipeline
    from tests.helpers import project_crawler

    crawler = project_crawler(REDIS_URL=redis_server.url, REPORTS_REDIS_PREFIX="claims", REPORTS_LEASE_SECONDS=0.5,
                              ITEM_PIPELINES={CONFIRMING_SINK: 900})
    crawler.spider = SimpleNamespace(worker="taker")
    pipeline = ExactlyOncePipeline.from_crawler(crawler)
    assert pipeline.work.claim("报告-9", "dead", 0.5) == "mine"
    waiting = pipeline.process_item({"report_id": "报告-9", "site": "甲站"})
    assert inspect.iscoroutine(waiting)
    assert asyncio.run(waiting)["report_id"] == "报告-9"  # the dead worker's claim ran out

    assert pipeline.work.claim("报告-10", "live", 30) == "mine"

    async def live_worker_confirms_while_the_taker_waits():
        async def confirm():
            await asyncio.sleep(0.3)
            pipeline.work.confirm("报告-10", "甲站")

        results = await asyncio.gather(confirm(), pipeline.process_item({"report_id": "报告-10", "site": "甲站"}), return_exceptions=True)
        return results[1]

    assert isinstance(asyncio.run(live_worker_confirms_while_the_taker_waits()), DropItem)
    assert crawler.stats.get_value("cluster/claims_waited") == 2 and crawler.stats.get_value("cluster/duplicates") == 1


def test_a_hungry_worker_is_handed_sites_it_picks_up_with_its_next_lease(redis_server):
    work = SharedWork.from_url(redis_server.url, "hand")
    sites = [Site(f"乡{i}", None, f"http://127.0.0.{i + 2}/index.html", None) for i in range(4)]
    work.seed(sites)
    assert len(work.lease("busy", 30, 4)) == 4  # alone: everything
    assert work.lease("late", 30, 4) == [] and work.hungry("busy", 5) == ["late"]  # holds none, found none
    assert work.hungry("late", 5) == []  # a worker never counts itself
    assert work.hand_over("busy", "乡1", "late", 30) and work.hand_over("busy", "乡2", "late", 30)
    assert not work.hand_over("busy", "乡1", "late", 30)  # no longer its to give
    assert work.hungry("busy", 5) == []  # handed some: not hungry any more
    assert sorted((site.name, before) for site, before in work.lease("late", 30, 0)) == [("乡1", "handed:busy"), ("乡2", "handed:busy")]
    assert work.lease("late", 30, 4, held=2) == [] and work.hungry("busy", 5) == []  # holding sites, it is not hungry
    assert work.renew("busy", 30, ["乡0", "乡1"]) == ["乡1"]
    assert work.hand_over("busy", "乡3", "", 30)  # no taker: back to the shared work, free at once
    assert [(site.name, before) for site, before in work.lease("third", 30, 4)] == [("乡3", "busy")]
    work.confirm("报告-1", "乡0")
    assert work.written_of(["报告-1", "报告-2"]) == {"报告-1"}


def test_a_worker_that_joins_late_is_handed_part_of_the_sites_and_nothing_is_written_twice(tmp_path, redis_server):
    """The first worker leases every site; the second finds none free, is hungry, and the first (busy:
    the threshold is 0 here, so it does not depend on this machine's speed) hands it its share."""
    from govreports.cluster import worker_command

    sites, reports = 8, 30
    settings = {**SETTINGS, "REPORTS_SITES_PER_WORKER": "16", "REPORTS_LEASE_SECONDS": "30", "REPORTS_HAND_OVER_BUSY": "0",
                "REPORTS_HAND_OVER_MIN_REQUESTS": "2"}
    with ScalePortal(sites, reports, 0.2) as portal:
        registry = tmp_path / "sites.csv"
        registry.write_text(portal.registry_text(), encoding="utf-8")
        seed(redis_server.url, str(registry))
        work = SharedWork.from_url(redis_server.url, "reports")
        output = tmp_path / "out" / "reports.jsonl"
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        processes = []

        def start_the_second_once_the_first_holds_every_site():
            for index in (1, 2):
                log = open(tmp_path / f"worker-{index}.log", "w")  # noqa: SIM115 - closed with the process
                processes.append(subprocess.Popen(worker_command(redis_server.url, worker_output(output, index), settings),
                                                  cwd=env["PYTHONPATH"], env=env, stdout=log, stderr=subprocess.STDOUT))
                deadline = time.monotonic() + 30
                while index == 1 and work.server.hlen("reports:owner") < sites and time.monotonic() < deadline:
                    time.sleep(0.05)

        statuses = wait_all(processes, start_the_second_once_the_first_holds_every_site)
        stats = portal.stats()
    logs = "\n".join((tmp_path / f"worker-{i}.log").read_text(errors="replace") for i in (1, 2))
    assert statuses == [0, 0], logs[-4000:]
    lines = [json.loads(line) for i in (1, 2) for line in worker_output(output, i).read_text(encoding="utf-8").splitlines()]
    urls = [line["url"] for line in lines]
    assert len(urls) == len(set(urls)) == sites * reports, "a report lost or written twice"
    assert 0 < stats["max_peak"] <= PER_DOMAIN, stats["peak"]
    summary = merged_summary(redis_server.url)
    assert summary["done"] == sites and summary["pending"] == 0 and summary["reports_written"] == sites * reports
    assert summary["stats"].get("cluster/sites_handed_over", 0) >= 1
    assert summary["stats"]["cluster/sites_received"] == summary["stats"]["cluster/sites_handed_over"]
    assert worker_output(output, 2).stat().st_size > 0, "the late worker wrote nothing"
    assert "] ERROR:" not in logs
