"""An unwritable output folder or a full disk stops the crawl with one clear message, not a
traceback for every item (the real crawl against the demo portal; ``/dev/full`` is a disk that is
always full)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from govreports.demo.run import crawl_command
from govreports.demo.server import Portal, registry_text
from tests.helpers import PROJECT


def crawl_into(tmp_path: Path, output: str) -> subprocess.CompletedProcess:
    with Portal(0) as portal:
        registry = tmp_path / "demo.csv"
        registry.write_text(registry_text(portal.port), encoding="utf-8")
        extra = {"REPORTS_OUTPUT": output, "REPORTS_SUMMARY": str(tmp_path / "summary.json")}
        return subprocess.run(crawl_command(registry, extra), cwd=PROJECT, capture_output=True, text=True, timeout=300)


def test_unwritable_output_folder_stops_before_the_crawl(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = crawl_into(tmp_path, str(blocker / "输出" / "reports.jsonl"))
    assert result.returncode == 2
    assert "cannot write the output folder" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_stops_the_crawl_with_one_message(tmp_path):
    result = crawl_into(tmp_path, "/dev/full")
    assert result.returncode == 1
    assert result.stderr.count("the crawl stops") == 1
    assert "No space left on device" in result.stderr
    assert "output_unwritable" in result.stderr
    # only the items already in flight when the crawl closed may fail after the message
    assert result.stderr.count("Traceback") <= 12
