"""The labelled cleaning set: every page loses no body paragraph and keeps no chrome."""

from __future__ import annotations

import json
import re

import pytest

from pipelines.cleaning import CHROME_STRINGS, clean_page
from tests.helpers import FIXTURES

LABELLED = FIXTURES / "cleaning"
PAGES = sorted(path.stem for path in LABELLED.glob("*.html"))


def _norm(text: str) -> str:
    return re.sub(r"[ \u3000\xa0]+", " ", text).strip()


def _load(name: str):
    label = json.loads((LABELLED / f"{name}.json").read_text(encoding="utf-8"))
    page = clean_page((LABELLED / f"{name}.html").read_bytes(), url=label["url"])
    return label, page


def test_labelled_set_is_large_and_covers_every_family():
    labels = [json.loads((LABELLED / f"{n}.json").read_text(encoding="utf-8")) for n in PAGES]
    assert len(PAGES) >= 30
    assert {"hanweb", "trs", "ucap", "generic"} <= {label["family"] for label in labels}
    assert any(label["encoding"] == "gbk" for label in labels)
    assert sum(1 for label in labels if label.get("real")) >= 10


@pytest.mark.parametrize("name", PAGES)
def test_no_chrome_string_in_text(name):
    _, page = _load(name)
    leaked = [s for s in CHROME_STRINGS if s in page.text]
    assert not leaked, leaked


@pytest.mark.parametrize("name", PAGES)
def test_no_body_paragraph_lost(name):
    label, page = _load(name)
    text = _norm(page.text)
    lost = [p for p in label["paragraphs"] if _norm(p) not in text]
    assert not lost, lost


@pytest.mark.parametrize("name", PAGES)
def test_text_runs_from_first_to_last_body_paragraph(name):
    label, page = _load(name)
    text = _norm(page.text)
    assert text.startswith(_norm(label["first"]))
    assert text.endswith(_norm(label["last"]))


@pytest.mark.parametrize("name", [n for n in PAGES if not n.startswith("real-")])
def test_page_meta_is_structured(name):
    label, page = _load(name)
    assert page.page_meta == label["page_meta"]
    for value in label["page_meta"].values():
        assert f"索引号：{value}" not in page.text


@pytest.mark.parametrize("name", PAGES)
def test_hints(name):
    label, page = _load(name)
    if label["title"]:
        assert page.hints["title"] == label["title"]
    if label["published"]:
        assert page.hints["published"] == label["published"]


def test_gbk_page_decodes_gbk_only_characters():
    label, page = _load("hanweb-gbk")
    assert "镕基大厦" in page.text
    assert "\ufffd" not in page.text


@pytest.mark.parametrize("name", [n for n in PAGES if n.startswith("real-") and "shanghai" not in n])
def test_density_fallback_alone_finds_every_real_body(name, monkeypatch):
    """With markers and containers switched off, the text-density fallback still finds the body."""
    import pipelines.cleaning as cleaning
    from pipelines.cleaning import body

    monkeypatch.setattr(cleaning, "body_by_markers", lambda markup: None)
    monkeypatch.setattr(body, "_CONTAINER_XPATHS", ())
    label, page = _load(name)
    assert page.body_found_by == "density"
    text = _norm(page.text)
    assert not [p for p in label["paragraphs"] if _norm(p) not in text]
    assert not [s for s in CHROME_STRINGS if s in page.text]
