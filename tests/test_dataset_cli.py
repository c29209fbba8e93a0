"""``govreports export`` and ``govreports coverage`` as users run them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from govreports.cli import main
from tests.dataset_feed import feed_items, write_feed
from tests.helpers import PROJECT


@pytest.fixture(scope="module")
def feeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    items = feed_items()
    return folder, write_feed(folder / "一月.jsonl", items[:6]), write_feed(folder / "二月.jsonl", items[6:])


def test_export_two_feeds(feeds, capsys):
    folder, first, second = feeds
    assert main(["export", str(first), str(second), "--out", str(folder / "数据")]) == 0
    out = capsys.readouterr().out
    assert "13 lines, 10 reports (3 lines merged into others)" in out
    assert "1 mismatches of 2 pairs compared" in out
    for name in ("reports.parquet", "reports.csv", "cells.parquet", "cells.csv", "cross_year.csv", "README.md"):
        assert (folder / "数据" / name).is_file() and str(folder / "数据" / name) in out


def test_coverage_with_registry_and_years(feeds, tmp_path, capsys):
    _, first, second = feeds
    registry = tmp_path / "sites.csv"
    registry.write_text("name,region_code,url,family\nfangzheng,230124,http://127.0.0.2/xxgk/nb/,\n"
                        "empty-portal,230100,http://127.0.0.9/nb/,\n", encoding="utf-8")
    out_file = tmp_path / "报告" / "coverage.html"
    assert main(["coverage", str(first), str(second), "--sites", str(registry), "--years", "2019-2023",
                 "--out", str(out_file)]) == 0
    html = out_file.read_text(encoding="utf-8")
    assert "empty-portal" in html and "会发镇政府" in html
    assert "1 cross-year mismatches" in capsys.readouterr().out


def test_bad_lines_give_status_1_and_are_named(tmp_path, capsys):
    feed = write_feed(tmp_path / "a.jsonl", feed_items()[:1])
    with feed.open("a", encoding="utf-8") as handle:
        handle.write("半行\n")
    assert main(["export", str(feed), "--out", str(tmp_path / "out")]) == 1
    assert f"skipped {feed}:2: not a JSON line" in capsys.readouterr().err
    assert (tmp_path / "out" / "reports.parquet").is_file()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["export", "missing.jsonl", "--out", "x"], "no such feed: missing.jsonl"),
        (["coverage", "FEED", "--years", "20x", "--out", "x.html"], "years must look like"),
        (["coverage", "FEED", "--sites", "nope.csv", "--out", "x.html"], "registry file not found"),
    ],
)
def test_usage_errors_exit_2_without_traceback(argv, message, tmp_path):
    feed = write_feed(tmp_path / "f.jsonl", feed_items()[:1])
    argv = [str(feed) if a == "FEED" else a for a in argv]
    done = subprocess.run([sys.executable, "-m", "govreports", *argv], cwd=tmp_path, capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_out_is_required():
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "a.jsonl"])
    assert exit_info.value.code == 2


def test_publish_writes_both_products_as_the_demo_does(feeds):
    from govreports.dataset.publish import publish

    folder, first, second = feeds
    dataset, page = publish([first, second], folder / "out" / "dataset", folder / "out" / "coverage.html",
                            [("fangzheng", "230124")])
    assert (dataset / "reports.parquet").is_file() and "会发镇政府" in page.read_text(encoding="utf-8")
