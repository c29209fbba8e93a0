"""Every parser path is bounded: deeply nested HTML, a 50 MB single-line page and a table of
5,000 columns each go through the crawl's chain in a child process within a time and memory bound."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.faults.pages import PAGES
from tests.helpers import PROJECT

SECONDS = 90  # generous: a loaded 2-core machine; unbounded paths took minutes (see README, Reliability)
PEAK_MB = 1024


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pathological_page_parsed_within_bounds(name):
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    done = subprocess.run([sys.executable, "-m", "tests.faults.pages", name], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=SECONDS + 30)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(figures)
    assert figures["seconds"] < SECONDS and figures["peak_mb"] < PEAK_MB
