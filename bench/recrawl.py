"""Recrawl against first crawl: requests (counted at the demo portal) and wall time, same portal, same run.

    python bench/recrawl.py [--skip-ocr-site]

Run 1 crawls the whole demo portal on a fresh state folder; run 2 crawls it again with nothing
changed. Printed: requests and wall time of each, their ratio, the requests of run 2 beyond each
site's robots.txt and first list page against the 10 % target, and the size of run 1's WARC
archive per 100 reports. ``--skip-ocr-site`` leaves out demo-ucap (its table image is read by OCR,
which dominates the first crawl's time). Exit status 1 when the 10 % target is missed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

TARGET = 0.10


def crawl(registry: Path, state: Path, output: Path) -> tuple[float, int]:
    from govreports.demo.run import crawl_command

    command = crawl_command(registry, {"LOG_LEVEL": "WARNING"}, ["-a", f"state={state}", "-O", str(output)])
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started, sum(1 for _ in output.open(encoding="utf-8"))


def main() -> int:
    from govreports.demo.server import SITES, Portal, registry_text

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-ocr-site", action="store_true", help="leave out demo-ucap (OCR)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-recrawl-"))
    try:
        with Portal(0) as portal:
            lines = registry_text(portal.port).splitlines(keepends=True)
            if args.skip_ocr_site:
                lines = [line for line in lines if not line.startswith("demo-ucap")]
            registry = tmp / "demo.csv"
            registry.write_text("".join(lines), encoding="utf-8")
            site_of_host = {address: site for site, address in SITES.items()}
            first_pages = {(site_of_host[urlsplit(line.split(",")[2]).hostname], urlsplit(line.split(",")[2]).path
                            + (f"?{urlsplit(line.split(',')[2]).query}" if urlsplit(line.split(",")[2]).query else "")) for line in lines[1:]}
            figures = []
            for run in (1, 2):
                start = len(portal.state.get("requests", []))
                seconds, reports = crawl(registry, tmp / "state", tmp / f"run{run}.jsonl")
                requests = portal.state["requests"][start:]
                others = [r for r in requests if not r[1].endswith("/robots.txt") and r[:2] not in first_pages]
                figures.append({"seconds": seconds, "requests": len(requests), "others": len(others), "reports": reports})
        archive = sorted((tmp / "state" / "archive").glob("*.warc.gz"))[0]
        first, second = figures
        share = second["others"] / first["others"] if first["others"] else 0.0
        print("## Recrawl against first crawl (demo portal, state folder, same run)\n")
        print(f"sites: {len(lines) - 1}\n")
        print("| run | requests | beyond robots.txt + first list pages | reports written | wall time (s) |")
        print("|---|---|---|---|---|")
        print(f"| 1: first crawl, fresh state | {first['requests']} | {first['others']} | {first['reports']} | {first['seconds']:.1f} |")
        print(f"| 2: recrawl, nothing changed | {second['requests']} | {second['others']} | {second['reports']} | {second['seconds']:.1f} |")
        print(f"\nrequests: {second['requests'] / first['requests']:.2f}x of the first crawl; wall time: {second['seconds'] / first['seconds']:.2f}x")
        print(f"requests beyond robots.txt and first list pages: {share:.0%} of the first crawl's (target <= {TARGET:.0%}): "
              f"{'PASS' if share <= TARGET else 'FAIL'}")
        size = archive.stat().st_size
        print(f"archive of run 1: {size / 1024:.0f} KiB for {first['reports']} reports = "
              f"{size / 1024 / max(first['reports'], 1) * 100:.0f} KiB per 100 reports (gzipped WARC, attachments included)\n")
        return 0 if share <= TARGET else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
