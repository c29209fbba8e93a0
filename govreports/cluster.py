"""N worker processes on this machine against one Redis: seed, start, wait, merged summary.

Used by ``govreports crawl FILE --workers N``, ``govreports demo --workers N``, the benchmark and
the tests. Each worker is the real ``scrapy crawl reports -s REDIS_URL=...`` in its own process and
writes its own JSON lines: ``OUT-1.jsonl`` … ``OUT-N.jsonl`` for ``-o OUT.jsonl``, its own
``OUT-i.summary.json``, and ``cluster-summary.json`` (the whole cluster's) beside them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def worker_output(output: Path, index: int) -> Path:
    return output.with_name(f"{output.stem}-{index}{output.suffix or '.jsonl'}")


def worker_command(redis_url: str, output: Path, settings: dict | None = None) -> list[str]:
    """The command line of one worker writing ``output``."""
    command = [sys.executable, "-m", "scrapy", "crawl", "reports", "-s", f"REDIS_URL={redis_url}"]
    values = {"REPORTS_OUTPUT": str(output), "REPORTS_SUMMARY": str(output.with_suffix(".summary.json")), **(settings or {})}
    for name, value in values.items():
        command += ["-s", f"{name}={value}"]
    return command


def seed(redis_url: str, registry: str, region: str | None = None, years: str | None = None, prefix: str | None = None) -> int:
    """Put the registry's sites into Redis as a fresh crawl; the number of sites."""
    from scrapy.utils.project import get_project_settings

    from crawler.distributed import SharedWork
    from crawler.registry import load_registry
    from crawler.spiders.reports import parse_years

    parse_years(years)
    sites = load_registry(registry, region=region)
    settings = get_project_settings()
    work = SharedWork.from_url(redis_url, prefix or settings.get("REPORTS_REDIS_PREFIX"), settings.getdict("REDIS_PARAMS"))
    work.seed(sites, years)
    return len(sites)


def start_workers(redis_url: str, workers: int, output: Path, settings: dict | None = None, log_dir: Path | None = None) -> list[subprocess.Popen]:
    """Start ``workers`` processes; their logs go to ``log_dir/worker-i.log`` when given, else here."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")]))}
    output.parent.mkdir(parents=True, exist_ok=True)
    processes = []
    for index in range(1, workers + 1):
        log = open(log_dir / f"worker-{index}.log", "w") if log_dir else None  # noqa: SIM115 - closed with the process
        command = worker_command(redis_url, worker_output(output, index), settings)
        processes.append(subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT if log else None))
    return processes


def merged_summary(redis_url: str, prefix: str | None = None) -> dict:
    from scrapy.utils.project import get_project_settings

    from crawler.distributed import SharedWork

    settings = get_project_settings()
    return SharedWork.from_url(redis_url, prefix or settings.get("REPORTS_REDIS_PREFIX"), settings.getdict("REDIS_PARAMS")).summary()


def run_cluster(registry: str, workers: int, output: Path, redis_url: str | None = None, settings: dict | None = None,
                region: str | None = None, years: str | None = None, quiet: bool = False) -> int:
    """Seed, run ``workers`` processes to the end, print and write the merged summary; exit status."""
    from crawler.summary import format_table
    from govreports.localredis import LocalRedis

    local = None if redis_url else LocalRedis().start()
    url = redis_url or local.url
    try:
        count = seed(url, registry, region, years)
        if not quiet:
            print(f"seeded {count} sites into {url}; starting {workers} workers")
        statuses = [p.wait() for p in start_workers(url, workers, output, settings)]
        summary = merged_summary(url)
    finally:
        if local is not None:
            local.stop()
    path = output.with_name("cluster-summary.json")
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    if not quiet:
        print("\nper-site summary of the cluster (" + str(path) + "):")
        print(format_table(summary["sites"]))
        print(f"\n{summary['reports_written']} reports in {', '.join(str(worker_output(output, i)) for i in range(1, workers + 1))}")
    return max(statuses, default=0)
