"""Both products from one feed at once, as ``make demo`` ends: the exports and the coverage page."""

from __future__ import annotations

from pathlib import Path

from govreports.dataset.coverage import build_coverage, render_html
from govreports.dataset.export import export
from govreports.dataset.records import read_feeds


def publish(feeds, dataset_dir: Path, coverage_html: Path, sites=None) -> tuple[Path, Path]:
    """Write ``dataset_dir`` (see ``export``) and ``coverage_html``; ``sites``: (name, region) pairs."""
    records = read_feeds(feeds).records
    export(records, dataset_dir)
    coverage_html.parent.mkdir(parents=True, exist_ok=True)
    coverage_html.write_text(render_html(build_coverage(records, sites=sites)), encoding="utf-8")
    return dataset_dir, coverage_html
