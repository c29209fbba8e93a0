"""The schema stage: the compiled validator (fastjsonschema) takes jsonschema's verdicts.

Good items are real ones (the offline chain on demo-portal and fixture pages); broken items are
every leaf and every top-level field of them changed to values of other types or out of range, or
removed. For each, both validators must say the same: valid or not.
"""

from __future__ import annotations

import marshal
import types

import fastjsonschema
import pytest

from pipelines.contract import public_dict
from pipelines.parse import parse_file
from pipelines.schema_check import compiled_validator, schema_errors, schema_validator
from tests.helpers import DEMO_SITE, FIXTURES

PAGES = [
    DEMO_SITE / "trs" / "xxgk" / "zfxxgknb" / "202203" / "t20220301_1001.html",
    DEMO_SITE / "hanweb" / "art" / "2023" / "1" / "1" / "art_1001_6000.html",
    FIXTURES / "parsing" / "word-2021.html",
    FIXTURES / "parsing" / "not-report.html",
    FIXTURES / "seeds" / "000_e959727a417761dd.txt",
]
REPLACEMENTS = (None, "x", -1, 1.5, True, [], {"k": 1})
LEAVES_PER_ITEM = 80


def good_items() -> list[dict]:
    items = []
    for path in PAGES:
        if path.is_file():
            item, _error = parse_file(path)
            items.append(public_dict(item))
    return items


def leaves(value, path=()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from leaves(inner, path + (key,))
    elif isinstance(value, list) and value:
        yield from leaves(value[0], path + (0,))
    yield path


def variants(item: dict):
    """The item with one field removed, or one leaf replaced (changed in place, then put back)."""
    for key in list(item):
        without = dict(item)
        del without[key]
        yield without
    paths = [path for path in leaves(item) if path]
    step = max(1, len(paths) // LEAVES_PER_ITEM)
    for path in paths[::step]:
        target = item
        for part in path[:-1]:
            target = target[part]
        original = target[path[-1]]
        for value in REPLACEMENTS:
            target[path[-1]] = value
            yield item
        target[path[-1]] = original


def compiled_says_valid(item: dict) -> bool:
    try:
        compiled_validator()(item)
        return True
    except fastjsonschema.JsonSchemaValueException:
        return False


@pytest.fixture(scope="module")
def items():
    found = good_items()
    assert len(found) >= 3
    return found


def test_real_items_are_valid_for_both(items):
    for item in items:
        assert schema_validator().is_valid(item) and compiled_says_valid(item), item.get("url")
        assert schema_errors(item) == []


def test_broken_items_get_the_same_verdict(items):
    checked = invalid = 0
    for item in items:
        for variant in variants(item):
            expected = schema_validator().is_valid(variant)
            assert compiled_says_valid(variant) == expected, variant
            checked += 1
            invalid += not expected
    assert checked > 1000 and invalid > 300  # the variants do break the schema, often


def test_an_invalid_item_lists_every_problem(items):
    broken = dict(items[0], year="二〇二一", source={"kind": "exe", "url": None, "sha256": "XYZ"})
    fields = {field for field, _message in schema_errors(broken)}
    assert {"year", "source"} <= fields


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    """``compiled_validator`` built afresh with its cache in ``tmp_path / "cache"`` (and afresh again after)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("REPORTS_CACHE_DIR", str(folder))
    compiled_validator.cache_clear()
    yield folder
    compiled_validator.cache_clear()


def verdicts(items) -> list[bool]:
    return [compiled_says_valid(variant) for item in items[:2] for variant in list(variants(dict(item)))[:200]]


def test_the_compiled_check_is_kept_and_read_back(items, cache_in):
    expected = verdicts(items)
    [kept] = cache_in.iterdir()
    data, written = kept.read_bytes(), kept.stat().st_mtime_ns
    compiled_validator.cache_clear()
    assert verdicts(items) == expected
    assert list(cache_in.iterdir()) == [kept] and kept.read_bytes() == data and kept.stat().st_mtime_ns == written


def test_a_kept_file_cut_short_is_built_again(items, cache_in):
    expected = verdicts(items)
    [kept] = cache_in.iterdir()
    whole = kept.read_bytes()
    kept.write_bytes(whole[: len(whole) // 2])
    compiled_validator.cache_clear()
    assert verdicts(items) == expected
    name, code = marshal.loads(kept.read_bytes())  # whole again (marshal's bytes may differ run to run)
    assert name.startswith("validate") and isinstance(code, types.CodeType)


def test_a_folder_that_cannot_be_written_still_checks(items, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("REPORTS_CACHE_DIR", str(blocker / "cache"))
    compiled_validator.cache_clear()
    try:
        assert all(compiled_says_valid(item) for item in items)
        assert not compiled_says_valid(dict(items[0], year="二〇二一"))
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
    finally:
        compiled_validator.cache_clear()
