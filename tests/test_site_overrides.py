"""A registry row's optional columns on a portal no family covers (tests/fixtures/longtail/odd-*)."""

from __future__ import annotations

from crawler.families import get_family
from crawler.registry import load_registry
from crawler.site_overrides import page_hints, site_entries, with_site_encoding
from pipelines.chain import strip_step
from tests.helpers import FIXTURES, file_response

LONGTAIL = FIXTURES / "longtail"


def site():
    (row,) = load_registry(LONGTAIL / "registry-overrides.csv")
    return row


def test_the_registry_row_carries_the_overrides():
    row = site()
    assert (row.name, row.list_selector, row.body_selector, row.encoding) == (
        "方正县宝兴乡人民政府网", "#reportList", "div[data-role=article-body]", "gbk")


def test_list_selector_and_encoding_pick_the_report_links():
    response = file_response(LONGTAIL / "odd-list.html", url="http://127.0.0.1/nb/index.html",
                             headers={"Content-Type": "text/html; charset=utf-8"})  # the server lies
    response = with_site_encoding(response, site())
    entries = site_entries(site(), get_family("generic"), response)
    assert [(e.url, e.title, e.published) for e in entries] == [
        ("http://127.0.0.1/nb/2022.html", "方正县宝兴乡人民政府2022年政府信息公开工作年度报告", "2023-01-18"),
        ("http://127.0.0.1/nb/2021b.html", "方正县宝兴乡人民政府2021年政府信息公开工作年度报告", "2022-01-20"),
    ]
    assert len(get_family("generic").entries(response)) == 3  # the family alone takes the menu link too


def test_body_selector_travels_as_a_page_hint_to_the_strip_stage():
    item = {"raw_html": (LONGTAIL / "odd-detail.html").read_bytes(), "url": "http://127.0.0.1/nb/2022.html",
            "warnings": [], "page_hints": page_hints(site())}
    strip_step(item)
    assert item["text"].startswith("本报告根据")
    assert "导航" not in item["text"] and "ICP备" not in item["text"]


def test_a_body_selector_that_misses_falls_back_with_a_warning():
    item = {"raw_html": (LONGTAIL / "odd-detail.html").read_bytes(), "url": "http://127.0.0.1/nb/2022.html",
            "warnings": [], "page_hints": {"body_selector": "#nothing-here"}}
    strip_step(item)
    assert any(w.startswith("body_selector_missed: ") for w in item["warnings"])
    assert "本报告根据" in item["text"]


def test_no_overrides_no_change():
    assert page_hints(None) == {}
