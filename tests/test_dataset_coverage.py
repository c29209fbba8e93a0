"""The coverage report: what it counts, and how it renders in real headless Chromium."""

from __future__ import annotations

import json
import re

import pytest

from govreports.dataset.coverage import build_coverage, render_html
from govreports.dataset.records import read_feeds
from tests.browser import chromium_binary, open_page, png_size
from tests.dataset_feed import write_feed

needs_chromium = pytest.mark.skipif(
    chromium_binary() is None, reason="chromium is not installed (make setup installs the Debian package)"
)
MEASURE = """JSON.stringify({
  grid: (r => ({w: r.width, h: r.height}))(document.querySelector('#grid').getBoundingClientRect()),
  gridCells: document.querySelectorAll('#grid td.cell').length,
  charts: [...document.querySelectorAll('img.chart')].map(i => ({
    natural: [i.naturalWidth, i.naturalHeight], shown: [i.getBoundingClientRect().width, i.getBoundingClientRect().height],
    complete: i.complete})),
  links: document.querySelectorAll('#cross-year a').length,
  external: [...document.querySelectorAll('[src]')].map(e => e.getAttribute('src')).filter(s => !s.startsWith('data:')),
})"""


@pytest.fixture(scope="module")
def coverage(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coverage")
    records = read_feeds([write_feed(folder / "reports.jsonl")]).records
    sites = [("fangzheng", "230124"), ("huifa", "230124100"), ("empty-portal", "230100")]
    return build_coverage(records, sites=sites, years=(2019, 2023)), folder


def test_grid_statuses_missing_and_mismatches(coverage):
    cov, _ = coverage
    assert cov.years == [2019, 2020, 2021, 2022, 2023]
    assert cov.cells[("230124:会发镇", 2021)][0] == "ok"
    assert cov.cells[("420106:东湖街道", 2023)][0] == "failed"
    assert ("230124:会发镇", 2019) not in cov.cells
    assert ("fangzheng", "230124:会发镇", 2019) in cov.missing  # grouped under its latest report's site
    assert [(m.organ_key, m.year) for m in cov.mismatches] == [("230124:会发镇", 2021)]
    assert cov.empty_sites == [("empty-portal", "230100")]  # huifa carried a report found on two portals
    assert cov.not_reports == 2  # the news page, and the 2017 report outside the years asked


def test_html_is_self_contained_and_escaped(coverage):
    cov, _ = coverage
    html = render_html(cov)
    assert "<script" not in html
    assert not re.search(r'(?:src|href)="(?!data:|http://127\.)', html)
    assert html.count('class="chart"') == 3
    assert "empty-portal" in html and "no reports found" in html
    assert "http://127.0.0.2/xxgk/nb/2021.html" in html  # the mismatch links to both reports


@needs_chromium
def test_renders_in_headless_chromium(coverage):
    cov, folder = coverage
    page = folder / "coverage.html"
    page.write_text(render_html(cov), encoding="utf-8")
    shot = folder / "coverage.png"
    errors, measured = open_page(page, MEASURE, shot)
    assert errors == []
    facts = json.loads(measured)
    assert facts["gridCells"] == sum(len(keys) for _, _, keys in cov.groups) * len(cov.years)
    assert facts["grid"]["w"] > 300 and facts["grid"]["h"] > 150
    assert len(facts["charts"]) == 3
    for chart in facts["charts"]:
        assert chart["complete"] and chart["natural"][0] >= 600 and chart["natural"][1] >= 200
        assert chart["shown"][0] >= 600 and chart["shown"][1] >= 200
    assert facts["links"] == 2 and facts["external"] == []
    assert png_size(shot.read_bytes()) == (1400, 3000)


@needs_chromium
def test_the_browser_check_sees_console_errors(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text('<html><body><p>页</p><script>console.error("坏了"); nothing();</script></body></html>', encoding="utf-8")
    errors, count = open_page(page, "document.querySelectorAll('p').length", tmp_path / "broken.png")
    assert count == 1
    assert any("坏了" in e for e in errors) and any("nothing is not defined" in e for e in errors)
