"""``make demo``: start the demo portal, crawl ``sites/demo.csv`` into ``output/reports.jsonl``,
stop the portal, print the per-site summary, and write ``output/dataset/`` and ``output/coverage.html``.

The crawl is the real ``scrapy crawl reports`` in a subprocess, with politeness kept but scaled to
loopback (``DEMO_SETTINGS``). Set ``DEMO_PORT`` to move the portal off port 8765; the registry is
then rewritten to a temporary copy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from crawler.summary import format_table
from govreports.demo.server import DEFAULT_PORT, Portal, registry_text

PROJECT = Path(__file__).resolve().parents[2]
DEMO_SETTINGS = {
    "DOWNLOAD_DELAY": "0.05",
    "AUTOTHROTTLE_START_DELAY": "0.05",
    "AUTOTHROTTLE_MAX_DELAY": "1",
    "RETRY_BACKOFF_BASE": "0.2",
    "RETRY_BACKOFF_MAX": "1",
    "DOWNLOAD_TIMEOUT": "10",
}


def crawl_command(registry: Path, extra: dict | None = None, args: list[str] | None = None) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"sites={registry}"]
    for name, value in {**DEMO_SETTINGS, **(extra or {})}.items():
        command += ["-s", f"{name}={value}"]
    return command + list(args or [])


def run_demo(port: int = DEFAULT_PORT, output: str = "output/reports.jsonl") -> int:
    registry = PROJECT / "sites" / "demo.csv"
    try:
        portal = Portal(port).start()
    except OSError as error:
        print(f"port {port} is busy ({error}); the demo portal takes a free port instead")
        portal = Portal(0).start()
    with tempfile.TemporaryDirectory() as tmp, portal:
        if portal.port != DEFAULT_PORT:
            registry = Path(tmp) / "demo.csv"
            registry.write_text(registry_text(portal.port), encoding="utf-8")
        result = subprocess.run(crawl_command(registry, {"REPORTS_OUTPUT": output}), cwd=PROJECT)
    summary_path = PROJECT / Path(output).with_name("summary.json")
    if summary_path.is_file():
        rows = json.loads(summary_path.read_text(encoding="utf-8"))["sites"]
        print("\nper-site summary (" + str(summary_path.relative_to(PROJECT)) + "):")
        print(format_table(rows))
        print(f"\nreports written to {output}")
    if result.returncode == 0:
        print_datasets(PROJECT / output)
    return result.returncode


def print_datasets(feed: Path) -> None:
    """Write the exports and the coverage page of the crawl's feed beside it, and print their paths."""
    from crawler.registry import load_registry
    from govreports.dataset.publish import publish

    sites = [(site.name, site.region_code) for site in load_registry(PROJECT / "sites" / "demo.csv")]
    dataset, coverage = publish([feed], feed.with_name("dataset"), feed.with_name("coverage.html"), sites)
    print(f"dataset written to {dataset}/ (reports, cells, cross_year, README.md)")
    print(f"coverage report written to {coverage}")


if __name__ == "__main__":
    sys.exit(run_demo(int(os.environ.get("DEMO_PORT", DEFAULT_PORT))))
