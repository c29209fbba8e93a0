"""Helpers of the scheduled-crawl tests: a changeable copy of the demo portal, crawls on a state folder.

The sites are the demo portal's minus ``demo-ucap``, whose only attachment is a table image read by
OCR (over a minute on a loaded machine); every other behaviour of the portal is kept.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from govreports.demo.run import crawl_command
from govreports.demo.server import ATTACHMENTS, PORTAL, registry_text
from tests.helpers import DEMO_EXPECTED, PROJECT, demo_path

SKIPPED_SITES = ("demo-ucap",)
REPOSTED = {report["path"] for report in DEMO_EXPECTED["reports"] if report.get("also_at")}
TRS = Path("trs/xxgk/zfxxgknb")
CHANGED_PAGE = TRS / "202203/t20220301_1001.html"
NEW_PAGE = TRS / "202211/t20221101_3001.html"
NEW_TITLE = "演示县财政局2021年政府信息公开工作年度报告"


def site_copy(tmp: Path) -> Path:
    root = tmp / "site"
    shutil.copytree(PORTAL, root)
    return root


def files_copy(tmp: Path) -> Path:
    files = tmp / "files"
    shutil.copytree(ATTACHMENTS, files)
    return files


def change_attachment(files: Path) -> None:
    """Publish a new copy of the demo PDF (same text, different bytes) under the same URLs."""
    pdf = files / "demo-report.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% corrected copy\n")


def registry(tmp: Path, port: int) -> Path:
    path = tmp / "demo.csv"
    lines = [line for line in registry_text(port).splitlines(keepends=True) if not line.startswith(SKIPPED_SITES)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def crawl(registry_path: Path, output: Path, *arguments: str, timeout: float = 300) -> subprocess.CompletedProcess:
    command = crawl_command(registry_path, {"LOG_LEVEL": "INFO"}, [*arguments, "-O", str(output)])
    return subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=timeout)


def start_crawl(registry_path: Path, output: Path, *arguments: str) -> subprocess.Popen:
    command = crawl_command(registry_path, {"LOG_LEVEL": "INFO"}, [*arguments, "-O", str(output)])
    return subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def read_lines(path: Path) -> list[dict]:
    """Every line of a feed, each parsed (a broken line fails the test that reads it)."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    assert not text or text.endswith("\n"), f"{path} ends in a partial line"
    return [json.loads(line) for line in text.splitlines()]


PAGE_FIELDS = ("url", "published", "page_meta")


def comparable(item: dict) -> dict:
    """An item without the fields that differ between two crawls of the same pages.

    A report posted on two pages is written from whichever page reaches the sink first, and which
    one that is depends on timing: its page's own fields (``PAGE_FIELDS``) are replaced by the
    report's first page.
    """
    same = {k: v for k, v in item.items() if k not in ("crawled_at", "revision", "supersedes")}
    path = demo_path(item["url"])
    if path in REPOSTED:
        same = {k: v for k, v in same.items() if k not in PAGE_FIELDS} | {"page": path}
    return same


def change_portal(root: Path) -> None:
    """Change one report's numbers and publish one new report at the top of the TRS column."""
    page = root / CHANGED_PAGE
    html = page.read_text(encoding="utf-8")
    assert html.count("<td>135</td>") == 1
    page.write_text(html.replace("<td>135</td>", "<td>136</td>"), encoding="utf-8")
    new = root / NEW_PAGE
    new.parent.mkdir(parents=True, exist_ok=True)
    new.write_text(html.replace("演示县人民政府", "演示县财政局"), encoding="utf-8")
    index = root / TRS / "index.html"
    listing = index.read_text(encoding="utf-8")
    entry = f'<li><a href="./202211/t20221101_3001.html" title="{NEW_TITLE}">{NEW_TITLE}</a><span>2022-11-01</span></li>'
    index.write_text(listing.replace('<ul class="list">', '<ul class="list">' + entry, 1), encoding="utf-8")
