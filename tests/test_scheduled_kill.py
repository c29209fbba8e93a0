"""Kills for real: SIGKILL at random moments, then resume; every line of every output must parse.

1. A crawl on a state folder is SIGKILLed at a random moment 10 times in a row, each kill followed
   by a resumed run on the same state (itself the next one killed), then one last run finishes:
   the union of the feeds equals the one-off crawl, with no report twice and no broken line (a
   line a kill cut short is cut by the resumed run, and that report written again).
2. A one-off crawl (no state folder, nothing to repair its output afterwards) is SIGKILLed at a random
   moment 20 times: every output, as the kill left it, holds whole JSON lines only.
3. The sink's line writer alone (``pipelines.linefile``), writing lines of 24 to 96 KB to one file as a
   ``-o`` feed (append), is SIGKILLed 20 times at random moments: after each kill the file, as the
   kill left it, holds whole JSON lines only (its keeper finished the line being written).
4. A second crawl on a state folder another process holds stops with one clear line.

The moments come from a seeded generator; the seed is in every assertion message.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from govreports.demo.server import Portal
from tests.helpers import PROJECT
from tests.scheduled import comparable, crawl, read_lines, registry, site_copy, start_crawl

SEED = int(os.environ.get("KILL_TEST_SEED", str(int(time.time()))))


def timed_one_off_crawl(tmp_path, portal, output):
    """The registry of the portal and the seconds a whole one-off crawl of it takes (into ``output``)."""
    sites = registry(tmp_path, portal.port)
    started = time.monotonic()
    result = crawl(sites, output)
    assert result.returncode == 0, result.stderr[-3000:]
    return sites, time.monotonic() - started


def crawl_killed_after(seconds: float, sites, feed, *arguments: str) -> None:
    process = start_crawl(sites, feed, *arguments)
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def test_crawl_killed_ten_times_and_resumed_equals_the_one_off_crawl(tmp_path):
    rng = random.Random(SEED)
    state = tmp_path / "state"
    with Portal(0, root=site_copy(tmp_path)) as portal:
        sites, one_off_seconds = timed_one_off_crawl(tmp_path, portal, tmp_path / "oneoff.jsonl")
        feeds = []
        for kill in range(10):
            feeds.append(tmp_path / f"run{kill}.jsonl")
            crawl_killed_after(rng.uniform(0.3, 0.7) * one_off_seconds, sites, feeds[-1], "-a", f"state={state}")  # spread the work over runs
        feeds.append(tmp_path / "last.jsonl")
        result = crawl(sites, feeds[-1], "-a", f"state={state}")
        assert result.returncode == 0, result.stderr[-3000:]
    one_off = {item["report_id"]: comparable(item) for item in read_lines(tmp_path / "oneoff.jsonl")}
    written = [item for feed in feeds for item in read_lines(feed)]
    ids = [item["report_id"] for item in written]
    assert len(ids) == len(set(ids)), f"seed {SEED}: a report written twice"
    assert {item["report_id"]: comparable(item) for item in written} == one_off, f"seed {SEED}"
    assert all(item["revision"] == 1 for item in written)
    print(f"seed {SEED}: one-off crawl {one_off_seconds:.1f} s, lines per run {[len(read_lines(feed)) for feed in feeds]}")


def test_one_off_crawl_killed_twenty_times_leaves_whole_lines(tmp_path):
    from pipelines.linefile import wait_for_writers

    rng = random.Random(SEED)
    with Portal(0, root=site_copy(tmp_path)) as portal:
        sites, one_off_seconds = timed_one_off_crawl(tmp_path, portal, tmp_path / "whole.jsonl")
        counts = []
        for kill in range(20):
            feed = tmp_path / f"killed{kill}.jsonl"
            crawl_killed_after(rng.uniform(0.2, 1.0) * one_off_seconds, sites, feed)
            wait_for_writers(feed)
            counts.append(len(read_lines(feed)))  # asserts the file ends with a newline and each line parses
    whole = len(read_lines(tmp_path / "whole.jsonl"))
    assert all(count <= whole for count in counts), f"seed {SEED}: {counts}"
    print(f"seed {SEED}: one-off crawl {one_off_seconds:.1f} s ({whole} lines); lines left by each of 20 kills: {counts}")


WRITER = r"""
import json, sys, time
from pathlib import Path
from pipelines.linefile import LineFile

path, start = Path(sys.argv[1]), int(sys.argv[2])
feed = LineFile(path, overwrite=False)  # as the sink opens a -o feed: a partial last line is cut first
print("ready", flush=True)
last_sync = time.monotonic()
for n in range(start, start + 100000):
    item = {"report_id": f"id-{n}", "site": "演示", "title": "演示县人民政府2021年政府信息公开工作年度报告", "text": "第一条　" * (2000 + n % 6000)}
    feed.write((json.dumps(item, ensure_ascii=False) + "\n").encode("utf-8"))
    if time.monotonic() - last_sync > 0.05:
        feed.sync()
        last_sync = time.monotonic()
"""


def test_sink_killed_twenty_times_leaves_whole_lines(tmp_path):
    from pipelines.linefile import cut_partial_line, wait_for_writers

    rng = random.Random(SEED)
    path = tmp_path / "feed.jsonl"
    cut = 0
    for kill in range(20):
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(kill * 100000)], cwd=PROJECT,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert process.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.2))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        wait_for_writers(path)
        data = path.read_bytes()
        assert data.endswith(b"\n"), f"seed {SEED}, kill {kill}: a partial line left"
        cut += cut_partial_line(path)
        assert data.endswith(b"\n") and json.loads(data[data.rfind(b"\n", 0, -1) + 1:])["site"] == "演示", f"seed {SEED}, kill {kill}"
    lines = read_lines(path)
    assert len(lines) >= 20 and all(line["site"] == "演示" for line in lines), f"seed {SEED}: {len(lines)} lines"
    assert cut == 0, f"seed {SEED}: {cut} partial line(s)"
    print(f"seed {SEED}: {len(lines)} whole lines after 20 kills, none partial")


HOLDER = r"""
import sys, time
from crawler.state import acquire_lock
acquire_lock(sys.argv[1])
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_crawl_on_the_same_state_refuses(tmp_path):
    state = tmp_path / "state"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(state)], cwd=PROJECT, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"held"
        sites = registry(tmp_path, 9)
        result = crawl(sites, tmp_path / "out.jsonl", "-a", f"state={state}", timeout=60)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2
    assert f"state {state} is in use by another crawl (pid {holder.pid}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (state / "state.sqlite").exists()


@pytest.mark.parametrize("tail", [b'{"report_id": "a"}\n{"report_', b'{"report_id": "a"}\n'])
def test_an_appended_feed_loses_its_partial_last_line_only(tmp_path, tail):
    from pipelines.linefile import cut_partial_line

    path = tmp_path / "feed.jsonl"
    path.write_bytes(tail)
    assert cut_partial_line(path) == (not tail.endswith(b"\n"))
    assert path.read_bytes() == b'{"report_id": "a"}\n'
