"""Scale mode of the demo portal: N sites x M reports, each answer after a fixed latency.

Every site is its own loopback host (``127.0.1.1``, ``127.0.1.2``, … so per-host politeness is
per site) with a TRS-style column (``index.html``, ``index_1.html`` … 20 entries a page) whose
reports are the demo portal's own 2021-format report page with the site's and the report's names
put in. One asyncio loop serves every host; an answer waits ``latency`` seconds without holding a
thread, so the portal itself costs little CPU. The server counts, per host, the requests in
progress and keeps the peak (``GET /__scale_stats`` on any host answers the counts as JSON), so a
test or a benchmark measures politeness at the portal.

    python -m govreports.demo.scale --sites 50 --reports 40 --latency 0.2 --registry sites.csv
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "site" / "trs" / "xxgk" / "zfxxgknb" / "202203" / "t20220301_1001.html"
PER_PAGE = 20
ORGANS = ("人民政府办公室", "发展和改革局", "教育局", "财政局", "自然资源局", "生态环境局", "住房和城乡建设局", "卫生健康委员会")
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
COLUMN = "/xxgk/zfxxgknb/"


def host_of(index: int) -> str:
    """The loopback address of site ``index`` (0-based): 127.0.1.1 … 127.0.1.254, 127.0.2.1 …"""
    return f"127.0.{1 + index // 254}.{1 + index % 254}"


def site_name(index: int) -> str:
    return f"scale-{index + 1:03d}"


def county_of(index: int) -> str:
    return f"规模{index + 1}县"


def report_title(site: int, report: int) -> str:
    year = 2023 - report // len(ORGANS) % 10
    return f"{county_of(site)}{ORGANS[report % len(ORGANS)]}第{report + 1}号{year}年政府信息公开工作年度报告"


FILE_LINK = re.compile(r'<a [^>]*href="[^"]*\.(?:pdf|docx?|xlsx?|zip)"[^>]*>.*?</a>', re.S | re.I)


def without_file_links(template: str) -> str:
    return FILE_LINK.sub("", template)


def filled(template: str, site: int, report: int) -> str:
    """The template with this site's county and this report's title put in."""
    return template.replace("演示县人民政府2021年政府信息公开工作年度报告", report_title(site, report)).replace("演示县", county_of(site))


def report_page(template: str, site: int, report: int) -> bytes:
    """The template report with this site's county and this report's title; links to files dropped."""
    return filled(without_file_links(template), site, report).encode("utf-8")


def list_page(site: int, reports: int, page: int) -> bytes:
    pages = max(1, -(-reports // PER_PAGE))
    first = page * PER_PAGE
    entries = "".join(
        f'<li><a href="./2022/t{n:05d}.html" title="{report_title(site, n)}">{report_title(site, n)}</a><span>2022-03-01</span></li>'
        for n in range(first, min(first + PER_PAGE, reports))
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>'
        f'<ul class="list">{entries}</ul>'
        f'<div class="page"><script>createPageHTML({pages}, {page}, "index", "html");</script></div></body></html>'
    ).encode("utf-8")


class ScalePortal:
    """``sites`` x ``reports`` on loopback, each answer after ``latency`` seconds; run in a thread."""

    def __init__(self, sites: int, reports: int, latency: float = 0.2):
        self.sites, self.reports, self.latency = sites, reports, latency
        self.template = without_file_links(TEMPLATE.read_text(encoding="utf-8"))  # once, not per answer
        self.index_of_host = {host_of(index): index for index in range(sites)}
        self.ports: dict[str, int] = {}
        self.active: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.hits: dict[str, int] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: threading.Thread | None = None
        self.servers: list = []

    # -- content --------------------------------------------------------------------------
    def answer(self, host: str, path: str) -> tuple[int, bytes, str]:
        if path == "/__scale_stats":
            return 200, json.dumps(self.stats()).encode(), "application/json"
        if path == "/robots.txt":
            return 200, ROBOTS, "text/plain"
        site = self.site_index(host)
        if site is None or not path.startswith(COLUMN):
            return 404, b"not found", "text/plain"
        rest = path[len(COLUMN):]
        listing = re.fullmatch(r"index(?:_(\d+))?\.html", rest)
        if listing:
            page = int(listing[1] or 0)
            if page * PER_PAGE >= max(self.reports, 1) and page:
                return 404, b"not found", "text/plain"
            return 200, list_page(site, self.reports, page), "text/html; charset=utf-8"
        report = re.fullmatch(r"2022/t(\d{5})\.html", rest)
        if report and int(report[1]) < self.reports:
            return 200, filled(self.template, site, int(report[1])).encode("utf-8"), "text/html; charset=utf-8"
        return 404, b"not found", "text/plain"

    def site_index(self, host: str) -> int | None:
        return self.index_of_host.get(host)

    def stats(self) -> dict:
        return {"peak": dict(self.peak), "hits": dict(self.hits), "max_peak": max(self.peak.values(), default=0)}

    def registry_text(self) -> str:
        rows = ["name,region_code,url,family"]
        for index in range(self.sites):
            host = host_of(index)
            rows.append(f"{site_name(index)},{110101 + index},http://{host}:{self.ports[host]}{COLUMN}index.html,trs")
        return "\n".join(rows) + "\n"

    # -- serving ---------------------------------------------------------------------------
    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target = lines[0].split(" ")[:2]
                headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
                if int(headers.get("content-length", 0) or 0):
                    await reader.readexactly(int(headers["content-length"]))
                path = target.split("?")[0]
                counted = path != "/__scale_stats"
                if counted:
                    self.active[host] = self.active.get(host, 0) + 1
                    self.peak[host] = max(self.peak.get(host, 0), self.active[host])
                    self.hits[host] = self.hits.get(host, 0) + 1
                    try:
                        await asyncio.sleep(self.latency)
                    finally:
                        self.active[host] -= 1
                status, body, content_type = self.answer(host, path)
                reason = {200: "OK", 404: "Not Found"}[status]
                writer.write(
                    f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                    + (body if method != "HEAD" else b"")
                )
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    async def serve(self) -> None:
        for index in range(self.sites):
            host = host_of(index)
            server = await asyncio.start_server(self.handle, host, 0)
            self.ports[host] = server.sockets[0].getsockname()[1]
            self.servers.append(server)

    def start(self) -> "ScalePortal":
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            self.loop = asyncio.new_event_loop()
            try:
                self.loop.run_until_complete(self.serve())
            except BaseException as error:  # noqa: BLE001 - reported to the starting thread
                failure.append(error)
                started.set()
                return
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, name="scale-portal", daemon=True)
        self.thread.start()
        started.wait()
        if failure:
            raise failure[0]
        return self

    def stop(self) -> None:
        if self.loop is None:
            return

        async def close() -> None:
            for server in self.servers:
                server.close()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    def __enter__(self) -> "ScalePortal":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def stats_url(registry_text: str) -> str:
    """The ``/__scale_stats`` URL of a scale portal, from its registry."""
    url = registry_text.splitlines()[1].split(",")[2]
    return url.split(COLUMN)[0] + "/__scale_stats"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govreports.demo.scale", description="serve the scale-mode demo portal until killed")
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--reports", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--registry", required=True, help="write the portal's registry CSV here")
    args = parser.parse_args(argv)
    portal = ScalePortal(args.sites, args.reports, args.latency).start()
    Path(args.registry).write_text(portal.registry_text(), encoding="utf-8")
    print("ready", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    portal.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())


# Settings of a crawl of the scale portal: politeness by concurrency alone (2 a host), no delay.
SCALE_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "WARNING"}


def run_scale_demo(sites: int, reports: int, latency: float, workers: int | None, output: str) -> int:
    """Serve the scale portal, crawl it (one process, or ``workers`` on a local Redis), print figures."""
    import subprocess
    import tempfile
    import time

    from crawler.summary import format_table
    from govreports.cluster import PROJECT, run_cluster

    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, ScalePortal(sites, reports, latency) as portal:
        registry = Path(tmp) / "scale.csv"
        registry.write_text(portal.registry_text(), encoding="utf-8")
        started = time.monotonic()
        if workers:
            status = run_cluster(str(registry), workers, out, settings=SCALE_SETTINGS)
        else:
            command = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"sites={registry}"]
            for name, value in {**SCALE_SETTINGS, "REPORTS_OUTPUT": str(out)}.items():
                command += ["-s", f"{name}={value}"]
            status = subprocess.run(command, cwd=PROJECT).returncode
            summary = out.with_name("summary.json")
            if summary.is_file():
                print(format_table(json.loads(summary.read_text(encoding="utf-8"))["sites"]))
        elapsed = time.monotonic() - started
        stats = portal.stats()
    print(f"\n{sites} sites x {reports} reports at {latency} s a request: {elapsed:.1f} s, "
          f"{sites * reports / elapsed:.1f} reports/s; peak requests at once on one host: {stats['max_peak']}")
    return status
