"""Every warning starts with a listed code; the README's table lists exactly those codes."""

import re

import pytest

from pipelines.parse import parse_file
from pipelines.warning_codes import WARNING_CODES, code_of, warning
from tests.helpers import DEMO_SITE, FIXTURES, PROJECT, SHARED

#: Frozen inputs the chain reads quickly (no OCR); the corpus joins when ../shared is present.
SKIP_SUFFIXES = {".json", ".md", ".py", ".png", ".csv", ".xml"}


def inputs():
    roots = [FIXTURES / "seeds", FIXTURES / "cleaning", FIXTURES / "cli", FIXTURES / "parsing", DEMO_SITE,
             FIXTURES / "attachments"]
    if (SHARED / "corpus").is_dir():
        roots.append(SHARED / "corpus")
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix not in SKIP_SUFFIXES and "scan" not in path.name:
                yield path


def test_there_are_inputs():
    found = list(inputs())
    assert len(found) >= 50, len(found)


def test_every_warning_on_the_fixtures_and_corpus_has_a_listed_code():
    unlisted = []
    seen = set()
    for path in inputs():
        item, _ = parse_file(path)
        for text in item["warnings"]:
            seen.add(code_of(text))
            if code_of(text) == "unknown":
                unlisted.append((path.name, text))
    assert not unlisted, unlisted[:10]
    assert len(seen) >= 5, seen


def test_warning_refuses_an_unlisted_code():
    assert warning("year_missing", "x") == "year_missing: x"
    with pytest.raises(KeyError):
        warning("no_such_code", "x")


def readme_codes() -> dict[str, str]:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Warning codes", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([a-z0-9_]+)` \| (.+?) \|$", section, re.M))


def test_readme_lists_exactly_the_warning_codes():
    assert readme_codes() == WARNING_CODES, "regenerate the table: python -m pipelines.warning_table"
