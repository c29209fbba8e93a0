"""The five seed reports parse to exactly their gold values (text layouts: tabs, one cell per line, pipes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.document import text_to_blocks
from pipelines.parsing import parse_report, validate_report
from tests.helpers import FIXTURES, shared_path

SEEDS = FIXTURES / "seeds"
SEED_NAMES = sorted(path.stem for path in SEEDS.glob("*.txt"))
GOLD_KEYS = ("format", "organ", "year", "published", "requests", "review_litigation", "active")


def _check_seed(text_path: Path) -> None:
    gold = json.loads(text_path.with_name(text_path.stem + ".gold.json").read_text(encoding="utf-8"))
    report = parse_report(text_to_blocks(text_path.read_text(encoding="utf-8")))
    validation, _ = validate_report(report)
    for key in GOLD_KEYS:
        assert report[key] == gold[key], key
    assert validation["ok"] == gold["consistent"]


def test_five_seed_fixtures_are_present():
    assert len(SEED_NAMES) == 5


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_fixture_parses_to_gold(name):
    _check_seed(SEEDS / f"{name}.txt")


@pytest.mark.parametrize("name", SEED_NAMES)
def test_shared_seed_parses_to_gold(name):
    path = shared_path("seeds", f"{name}.txt")
    _check_seed(path)


def test_shared_seeds_match_the_fixture_copies():
    seeds = shared_path("seeds")
    shared_names = sorted(path.stem for path in seeds.glob("*.txt"))
    assert shared_names == SEED_NAMES
    for name in shared_names:
        assert (seeds / f"{name}.txt").read_bytes() == (SEEDS / f"{name}.txt").read_bytes()


def test_seed_000_warns_about_its_missing_rows():
    report = parse_report(text_to_blocks((SEEDS / f"{SEED_NAMES[0]}.txt").read_text(encoding="utf-8")))
    assert "row_missing: requests row total not found: null" in report["warnings"]
    assert "row_missing: requests row carried_forward not found: null" in report["warnings"]


def test_seed_002_warns_about_rows_printed_without_numbers():
    report = parse_report(text_to_blocks((SEEDS / f"{SEED_NAMES[2]}.txt").read_text(encoding="utf-8")))
    assert "row_blank: requests row granted printed without numbers: null" in report["warnings"]
