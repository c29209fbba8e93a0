"""Helpers shared by the tests: where fixtures live, ``../shared`` detection, frozen responses."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT / "tests" / "fixtures"
DEMO_SITE = PROJECT / "govreports" / "demo" / "site"
SHARED = PROJECT.parent / "shared"
DEMO_EXPECTED = json.loads((DEMO_SITE / "expected.json").read_text(encoding="utf-8"))
REPOSTS = {alias: r["path"] for r in DEMO_EXPECTED["reports"] for alias in r.get("also_at", [])}


def demo_path(url: str) -> str:
    """A demo report's path on the portal; a report posted on two pages maps to its first page."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return REPOSTS.get(path, path)

requires_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared is absent (it is only on the developers' machines)"
)


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the calling test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


def file_response(path: Path | str, url: str = "http://127.0.0.1/page.html", headers=None) -> TextResponse:
    """A frozen response: the saved page's raw bytes (GBK stays GBK) as Scrapy would receive them."""
    body = Path(path).read_bytes()
    request = Request(url)
    return HtmlResponse(url=url, request=request, body=body, headers=headers or {})


def project_crawler(spidercls=None, **settings):
    """A test crawler with the project's own settings (``crawler/settings.py``) plus ``settings``."""
    from scrapy.utils.test import get_crawler

    import crawler.settings as project

    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    values.update(settings)
    return get_crawler(spidercls, settings_dict=values)
