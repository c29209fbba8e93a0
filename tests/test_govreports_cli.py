"""The ``govreports`` command: help, argparse usage errors, and ``crawl`` = ``scrapy crawl reports``."""

import json
import subprocess
import sys

import pytest

from govreports.demo.run import DEMO_SETTINGS
from govreports.demo.server import Portal, registry_text
from tests.helpers import FIXTURES, PROJECT

GOVREPORTS = [sys.executable, "-m", "govreports"]


def run(*args, timeout=120):
    return subprocess.run([*GOVREPORTS, *args], cwd=PROJECT, capture_output=True, text=True, timeout=timeout)


def test_help_lists_the_subcommands():
    from govreports.cli import COMMANDS

    done = run("--help")
    assert done.returncode == 0
    for name in COMMANDS:
        assert name in done.stdout
    for name in COMMANDS:
        sub = run(name, "--help")
        assert sub.returncode == 0 and f"govreports {name}" in sub.stdout


@pytest.mark.parametrize("args", [[], ["nosuch"], ["crawl"], ["parse"], ["crawl", "a.csv", "--nosuch"]])
def test_usage_errors_exit_2_without_traceback(args):
    done = run(*args)
    assert done.returncode == 2, done.stderr
    assert "usage:" in done.stderr and "Traceback" not in done.stderr


def test_crawl_without_a_readable_registry_is_one_line(tmp_path):
    done = run("crawl", str(tmp_path / "无此文件.csv"))
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_parse_is_the_offline_command():
    seed = FIXTURES / "seeds" / "001_486c4dbf7b9bad2b.txt"
    assert seed.is_file(), f"fixture {seed} is missing"
    ours = run("parse", str(seed))
    module = subprocess.run([sys.executable, "-m", "pipelines.parse", str(seed)], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert ours.returncode == module.returncode == 0
    assert json.loads(ours.stdout) == json.loads(module.stdout)


def items_by_id(path):
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for item in items:
        item.pop("crawled_at")
    return {item["report_id"]: item for item in items}


def test_govreports_crawl_equals_scrapy_crawl(tmp_path):
    settings = [arg for name, value in DEMO_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with Portal(0) as portal:
        registry = tmp_path / "demo.csv"
        registry.write_text(registry_text(portal.port), encoding="utf-8")
        ours = run("crawl", str(registry), "--region", "2301", "-o", str(tmp_path / "a" / "x.jsonl"), "-q", *settings, timeout=600)
        theirs = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"sites={registry}", "-a", "region=2301",
             "-O", str(tmp_path / "b" / "x.jsonl"), *settings],
            cwd=PROJECT, capture_output=True, text=True, timeout=600,
        )
    assert ours.returncode == 0, ours.stderr[-3000:]
    assert theirs.returncode == 0, theirs.stderr[-3000:]
    assert "progress:" not in ours.stderr and "progress:" in theirs.stderr
    a, b = items_by_id(tmp_path / "a" / "x.jsonl"), items_by_id(tmp_path / "b" / "x.jsonl")
    assert a and set(a) == set(b)
    assert {item["site"] for item in a.values()} == {"demo-trs", "demo-hanweb"}
    for report_id, item in a.items():
        assert item == b[report_id], item["url"]
