"""Hostile attachments: each is read in the bounded worker and ends within its bound, with a
warning and nothing read from the machine (XXE), through the offline command as in a crawl."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from pipelines.readers.sandbox import BoundedReader
from tests.faults.hostile import HOSTILE_FILES, write_all
from tests.helpers import PROJECT

READER_SECONDS = 15
#: the offline command's bound: the reader's limit plus interpreter start-up on a loaded machine
COMMAND_SECONDS = READER_SECONDS + 60


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    results = {}
    env = dict(os.environ, REPORTS_READER_TIME_LIMIT=str(READER_SECONDS), PYTHONPATH=str(PROJECT))
    for path in write_all(folder):
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pipelines.parse", str(path)], cwd=PROJECT, env=env,
                              capture_output=True, text=True, timeout=COMMAND_SECONDS)
        results[path.name] = (json.loads(done.stdout), time.monotonic() - start)
    return results


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_offline_command_ends_within_its_bound_with_a_line(parsed, name):
    item, seconds = parsed[name]
    assert seconds < COMMAND_SECONDS
    assert item["source"]["kind"] in ("pdf", "docx", "doc", "image")
    assert item["active"] is None or all(v is None for row in item["active"].values() for v in row.values())


def test_reference_loop_pdf_is_stopped_by_the_time_limit(parsed):
    item, _ = parsed["引用循环.pdf"]
    assert any(w.startswith("attachment_timeout:") for w in item["warnings"]), item["warnings"]


def test_xxe_docx_reads_no_local_file(parsed):
    item, _ = parsed["xxe.docx"]
    text = json.dumps(item, ensure_ascii=False)
    assert "root:" not in text and "/bin/" not in text


def test_huge_image_refused_before_decoding(parsed):
    item, _ = parsed["huge-20000x20000.png"]
    assert any(w.startswith("file_too_large:") for w in item["warnings"]), item["warnings"]


def test_memory_limit_stops_a_reader_and_the_next_file_is_read():
    reader = BoundedReader(time_limit=120, memory_limit_mb=200)
    try:
        big = ("第一行 1234 文字\n" * 2_000_000).encode()
        result = reader.read(big, "大.txt")
        assert result.blocks == [] and result.warnings[0].startswith("attachment_memory:")
        after = reader.read("2022年度报告\n".encode(), "小.txt")
        assert after.warnings == [] and after.blocks
    finally:
        reader.stop()


def test_bounded_read_gives_what_the_reader_gives():
    from pipelines.readers import read_attachment
    from pipelines.readers.sandbox import encode_result
    from tests.helpers import FIXTURES

    reader = BoundedReader(time_limit=120)
    try:
        for name in ("demo-report.docx", "report.doc", "report.xls", "report-2019.pdf"):
            data = (FIXTURES / "attachments" / name).read_bytes()
            assert encode_result(reader.read(data, name)) == encode_result(read_attachment(data, name)), name
    finally:
        reader.stop()


def test_worker_killed_with_its_whole_group_on_timeout():
    reader = BoundedReader(time_limit=2)
    try:
        from tests.faults.hostile import pdf_reference_loop

        result = reader.read(pdf_reference_loop(), "loop.pdf")
        assert result.warnings[0].startswith("attachment_timeout:")
        assert reader.process is None
    finally:
        reader.stop()
