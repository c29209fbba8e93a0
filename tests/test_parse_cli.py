"""The offline command `python -m pipelines.parse FILE...`: one JSON line per file, in order."""

import json
import subprocess
import sys

import pytest

from pipelines.schema_check import schema_errors
from tests.helpers import FIXTURES, PROJECT

SEED = FIXTURES / "seeds" / "001_486c4dbf7b9bad2b.txt"
NOTICE_GBK = FIXTURES / "cli" / "notice-gbk.txt"
MISSING = FIXTURES / "cli" / "no-such-file.html"


@pytest.fixture(scope="module")
def run():
    completed = subprocess.run(
        [sys.executable, "-m", "pipelines.parse", str(SEED), str(NOTICE_GBK), str(MISSING)],
        cwd=PROJECT, capture_output=True, text=True, timeout=120,
    )
    lines = [json.loads(line) for line in completed.stdout.splitlines()]
    return completed, lines


def test_one_line_per_file_in_order(run):
    _, lines = run
    assert [line["url"].rsplit("/", 1)[-1] for line in lines] == [SEED.name, NOTICE_GBK.name, MISSING.name]


def test_seed_text_is_parsed(run):
    _, lines = run
    seed = lines[0]
    assert (seed["format"], seed["organ"], seed["year"], seed["published"]) == ("2021", "方正县会发镇人民政府", 2021, "2022-01-20")
    assert seed["source"]["kind"] == "text"
    assert seed["validation"]["ok"] is True


def test_html_is_recognised_by_content_and_gbk_decoded(run):
    _, lines = run
    notice = lines[1]
    assert notice["source"]["kind"] == "html"
    assert notice["format"] == "unknown"
    assert "为提升政务公开工作水平" in notice["text"]
    assert "ICP备" not in notice["text"]


def test_unreadable_file_gives_error_and_a_line(run):
    completed, lines = run
    assert completed.returncode == 1
    assert "no-such-file.html" in completed.stderr and "cannot read" in completed.stderr
    assert any("cannot read" in warning for warning in lines[2]["warnings"])


def test_every_line_validates_against_the_schema(run):
    _, lines = run
    for line in lines:
        assert schema_errors(line) == []


def test_internal_fields_are_not_printed(run):
    _, lines = run
    for line in lines:
        assert not {"raw_html", "body_blocks", "attachment_files", "page_hints"} & set(line)
