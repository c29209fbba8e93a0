"""The fault portal: sites that misbehave, each next to well-behaved reports that must still be
collected, and an off-registry recorder that must receive no request. Loopback only.

Every site is a plain ``generic`` column (``/list.html?page=1``) on its own 127.0.0.x address;
``GOOD`` lists the report pages that must reach the output, ``FAULTS`` what each site does wrong.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.faults.hostile import docx_xxe, ole_sector_loop, pdf_nested_objects, pdf_reference_loop, png_huge

DEMO_FILES = Path(__file__).resolve().parents[2] / "govreports" / "demo" / "files"
RECORDER = "127.0.0.99"
SITES = {
    "slow": "127.0.0.20",
    "storm": "127.0.0.21",
    "redirects": "127.0.0.22",
    "endless": "127.0.0.23",
    "big": "127.0.0.24",
    "jsl": "127.0.0.25",
    "acw": "127.0.0.26",
    "waf": "127.0.0.27",
    "files": "127.0.0.28",
    "wall": "127.0.0.29",
}
#: the portal's download time-out is set by the test; the slow page answers later than that
SLOW_SECONDS = 6
MAX_BYTES = 2 * 1024 * 1024
STORM_FAILURES = 2

ORGAN = {"slow": "慢县", "storm": "风暴县", "redirects": "转向县", "endless": "无尽县", "big": "巨大县",
         "jsl": "加速县", "acw": "阿里县", "waf": "拦截县", "files": "附件县", "wall": "高墙县"}

# Per site: the list entries (path, title, kind) where kind says how the page answers.
ENTRIES = {
    "slow": [("/a/slow.html", "2022年政府信息公开工作年度报告（慢）", "slow"), ("/a/reset.html", "2022年政府信息公开工作年度报告（中断）", "reset"),
             ("/a/short.html", "2022年政府信息公开工作年度报告（短）", "short")],
    "storm": [("/a/storm.html", "2022年政府信息公开工作年度报告", "storm"), ("/a/busy.html", "2021年政府信息公开工作年度报告", "busy")],
    "redirects": [("/a/loop1.html", "2022年政府信息公开工作年度报告（循环）", "loop"), ("/a/away302.html", "2021年政府信息公开工作年度报告（外跳）", "away302"),
                  ("/a/away301.html", "2020年政府信息公开工作年度报告（外跳）", "away301"), ("/a/meta.html", "2019年政府信息公开工作年度报告（meta）", "meta"),
                  ("/a/js.html", "2018年政府信息公开工作年度报告（js）", "js"), (f"http://{RECORDER}:PORT/offsite.html", "2017年政府信息公开工作年度报告（站外）", "offsite")],
    "endless": [],
    "big": [("/a/big.html", "2022年政府信息公开工作年度报告（大）", "big"), ("/a/bomb.html", "2021年政府信息公开工作年度报告（炸弹）", "bomb"),
            ("/a/lying.html", "2020年政府信息公开工作年度报告", "lying")],
    "jsl": [("/a/jsl2.html", "2022年政府信息公开工作年度报告（二段）", "jsl200")],
    "acw": [("/a/acw.html", "2022年政府信息公开工作年度报告（acw）", "acw")],
    "waf": [("/a/waf.html", "2022年政府信息公开工作年度报告（受限）", "waf")],
    "wall": [(f"/a/w{i}.html", f"{2020 + i}年政府信息公开工作年度报告", "waf") for i in range(1, 7)],
    "files": [(f"/a/{name}.html", f"{year}年政府信息公开工作年度报告（{name}）", "attachment") for year, name in
              [(2022, "loop-pdf"), (2021, "nested-pdf"), (2020, "xxe-docx"), (2019, "ole-doc"), (2018, "huge-png"),
               (2017, "passwd-name"), (2016, "long-name")]],
}
ATTACHMENTS = {
    "loop-pdf": ("/f/loop.pdf", pdf_reference_loop, None),
    "nested-pdf": ("/f/nested.pdf", pdf_nested_objects, None),
    "xxe-docx": ("/f/xxe.docx", docx_xxe, None),
    "ole-doc": ("/f/ole.doc", ole_sector_loop, None),
    "huge-png": ("/f/huge.pdf", png_huge, None),
    "passwd-name": ("/f/passwd.pdf", lambda: (DEMO_FILES / "demo-report.pdf").read_bytes(), "../../etc/passwd"),
    "long-name": ("/f/long.pdf", lambda: (DEMO_FILES / "demo-report.pdf").read_bytes(), "年" * 296 + ".pdf"),
}
#: every site has two good reports: on the first list page, and on the second where there is one
GOOD = {site: [f"/good/{site}-1.html", f"/good/{site}-2.html"] for site in SITES if site != "wall"}
FAULTS = {
    "slow": "an answer slower than the download time-out; a reset mid-body; a body shorter than its Content-Length",
    "storm": "503 twice then 200; 429 with Retry-After then 200",
    "redirects": "a redirect loop; 302, protocol-relative 301, <meta refresh>, window.location and a list link to an off-registry host",
    "endless": "list pages N -> N+1 forever and a calendar trap (next day forever)",
    "big": "an answer over DOWNLOAD_MAXSIZE; a gzip bomb; a declared charset that lies",
    "jsl": "HTTP 521 on the first list page (then content); an HTTP-200 second stage with __jsl_clearance_s after 12 KB of script",
    "acw": "an HTTP-200 acw_sc__v2 cookie challenge",
    "waf": "an HTTP-200 WAF page: 访问受限",
    "wall": "every report page answers 访问受限: the site is reported blocked after REPORTS_BLOCKED_AFTER in a row",
    "files": "PDF reference loop, nested PDF, XXE DOCX, looping OLE, 20000x20000 PNG, Content-Disposition ../../etc/passwd and 300 characters",
}


def report_page(site: str, title: str, year: int = 2022) -> bytes:
    organ = ORGAN[site]
    return (
        f"<html><head><meta charset='utf-8'><title>{organ}{title}</title></head><body><div id='zoom'>"
        f"<h1>{organ}{year}年政府信息公开工作年度报告</h1><p>本报告由{organ}人民政府办公室编制。</p>"
        "<p>一、总体情况</p><p>本年度主动公开政府信息。</p></div></body></html>"
    ).encode("utf-8")


def list_page(site: str, page: int, port: int, entries: list, next_href: str | None) -> bytes:
    rows = "".join(
        f"<tr><td><a href=\"{path.replace('PORT', str(port))}\">{ORGAN[site]}{title}</a></td><td>2023-01-{10 + i:02d}</td></tr>"
        for i, (path, title) in enumerate(entries)
    )
    pages = f'<div class="pages"><a href="{next_href}">下一页</a></div>' if next_href else ""
    return f"<html><head><meta charset='utf-8'><title>{ORGAN[site]}年报</title></head><body><table>{rows}</table>{pages}</body></html>".encode("utf-8")


def gzip_bomb(size: int = 200 * 1024 * 1024) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1024 * 1024)
    return b"".join(compressor.compress(chunk) for _ in range(size // len(chunk))) + compressor.flush()


class FaultHandler(BaseHTTPRequestHandler):
    site = ""
    portal: "FaultPortal" = None  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", headers: dict | None = None, length: int | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def handle(self):
        try:
            super().handle()
        except OSError:  # the crawler gave up on a slow or cut answer: expected here
            pass

    def do_GET(self):
        self.portal.hit(self.site, self.path)
        try:
            self.answer()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def answer(self):
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        port = self.portal.port
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path.startswith("/good/"):
            return self.send(200, report_page(self.site, path.rsplit("/", 1)[-1]))
        if path == "/list.html":
            return self.list(int((query.get("page") or ["1"])[0]), port)
        if path.startswith("/cal/"):
            day = int(path.split("/")[-1].split(".")[0])
            return self.send(200, list_page(self.site, 0, port, [], f"/cal/{day + 1}.html"))
        kind = next((k for p, _, k in ENTRIES.get(self.site, []) if p == path), None)
        if kind is None:
            for file_path, build, disposition in ATTACHMENTS.values():
                if path == file_path:
                    headers = {"Content-Disposition": f'attachment; filename="{disposition}"'.encode("utf-8").decode("latin-1")} if disposition else {}
                    return self.send(200, build(), "application/octet-stream", headers)
            return self.send(404, b"<html><body>404</body></html>")
        return getattr(self, f"fault_{kind}")(path, port)

    def list(self, page: int, port: int):
        site = self.site
        if site == "jsl" and page == 1 and self.portal.count(site, "list521") == 1:
            return self.send(521, b"<html><script>document.cookie=('_')+('_jsl_clearance_s=1');location.href=location.pathname</script></html>")
        if site == "endless":
            entries = [(GOOD[site][page - 1], f"{2023 - page}年政府信息公开工作年度报告")] if page <= 2 else []
            if page == 1:
                entries.append(("/cal/1.html", "日历"))
                return self.send(200, list_page(site, page, port, entries, "/list.html?page=2") + b'<a href="/cal/1.html">1</a>')
            return self.send(200, list_page(site, page, port, entries, f"/list.html?page={page + 1}"))
        if site == "wall":
            return self.send(200, list_page(site, 1, port, [(p, t) for p, t, _ in ENTRIES[site]], None))
        if page == 1:
            entries = [(GOOD[site][0], "2023年政府信息公开工作年度报告")] + [(p, t) for p, t, _ in ENTRIES[site]]
            return self.send(200, list_page(site, 1, port, entries, "/list.html?page=2"))
        if page == 2:
            return self.send(200, list_page(site, 2, port, [(GOOD[site][1], "2015年政府信息公开工作年度报告")], None))
        return self.send(404, b"<html><body>404</body></html>")

    # --- the faults -------------------------------------------------------------------------
    def fault_slow(self, path, port):
        time.sleep(SLOW_SECONDS)
        return self.send(200, report_page(self.site, "slow"))

    def _cut(self, rst: bool):
        body = report_page(self.site, "cut")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body) + 5000))
        self.end_headers()
        self.wfile.write(body[:100])
        self.wfile.flush()
        if rst:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.shutdown(socket.SHUT_RDWR) if not rst else None
        self.connection.close()
        self.close_connection = True

    def fault_reset(self, path, port):
        self._cut(rst=True)

    def fault_short(self, path, port):
        self._cut(rst=False)

    def fault_storm(self, path, port):
        if self.portal.count(self.site, path) <= STORM_FAILURES:
            return self.send(503, b"<html><body>503 Service Unavailable</body></html>")
        return self.send(200, report_page(self.site, "storm"))

    def fault_busy(self, path, port):
        if self.portal.count(self.site, path) == 1:
            return self.send(429, b"<html><body>Too Many Requests</body></html>", headers={"Retry-After": "1"})
        return self.send(200, report_page(self.site, "busy", 2021))

    def fault_loop(self, path, port):
        return self.send(302, b"", headers={"Location": "/a/loop2.html" if path == "/a/loop1.html" else "/a/loop1.html"})

    def fault_away302(self, path, port):
        return self.send(302, b"", headers={"Location": f"http://{RECORDER}:{port}/from-302.html"})

    def fault_away301(self, path, port):
        return self.send(301, b"", headers={"Location": f"//{RECORDER}:{port}/from-301.html"})

    def fault_meta(self, path, port):
        return self.send(200, f'<html><head><meta http-equiv="refresh" content="0;url=http://{RECORDER}:{port}/from-meta.html"></head><body></body></html>'.encode())

    def fault_js(self, path, port):
        return self.send(200, f'<html><head><script>window.location.href="http://{RECORDER}:{port}/from-js.html";</script></head><body>正在跳转</body></html>'.encode())

    def fault_big(self, path, port):
        return self.send(200, b"<html><body><p>" + b"x" * (MAX_BYTES + 1024 * 1024) + b"</p></body></html>")

    def fault_bomb(self, path, port):
        return self.send(200, self.portal.bomb, headers={"Content-Encoding": "gzip"})

    def fault_lying(self, path, port):
        return self.send(200, report_page(self.site, "lying").decode("utf-8").replace("utf-8", "gb2312").encode("gb18030"), "text/html; charset=ISO-8859-1")

    def fault_jsl200(self, path, port):
        script = "var _0x=" + "".join(f"'{i:06x}'," for i in range(2200)) + "0;"
        return self.send(200, f"<html><head><script>{script}document.cookie='__jsl_clearance_s=1669;max-age=3600';location.href=location.pathname+location.search</script></head></html>".encode())

    def fault_acw(self, path, port):
        return self.send(200, b"<html><script>var arg1='3F0B1C9A';</script><script src='/acw_sc__v2.js'></script></html>", headers={"Set-Cookie": "acw_tc=1; path=/"})

    def fault_waf(self, path, port):
        return self.send(200, "<html><head><title>访问受限</title></head><body><h2>访问受限</h2><p>您的请求存在风险，已被拦截。事件ID：8d1c</p></body></html>".encode("utf-8"))

    def fault_attachment(self, path, port):
        name = path.rsplit("/", 1)[-1].removesuffix(".html")
        link = ATTACHMENTS[name][0]
        return self.send(200, f"<html><head><meta charset='utf-8'><title>{ORGAN[self.site]}年报</title></head><body><div id='zoom'><p>{ORGAN[self.site]}政府信息公开工作年度报告详见附件。</p><p>附件：<a href=\"{link}\">年度报告{link[-4:]}</a></p></div></body></html>".encode("utf-8"))


class RecorderHandler(BaseHTTPRequestHandler):
    portal: "FaultPortal" = None  # type: ignore[assignment]

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_GET(self):
        self.portal.recorded.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


class FaultPortal:
    """``with FaultPortal() as portal``: every fault site and the recorder, on one free port."""

    def __init__(self):
        self.port = 0
        self.servers: list[ThreadingHTTPServer] = []
        self.recorded: list[str] = []
        self.counts: dict[tuple[str, str], int] = {}
        self.hits: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.bomb = gzip_bomb()

    def hit(self, site: str, path: str) -> None:
        with self.lock:
            self.hits.append((site, path))

    def count(self, site: str, key: str) -> int:
        with self.lock:
            self.counts[(site, key)] = self.counts.get((site, key), 0) + 1
            return self.counts[(site, key)]

    def _serve(self, address: str, handler) -> None:
        server = ThreadingHTTPServer((address, self.port), handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self.servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def __enter__(self) -> "FaultPortal":
        self._serve(RECORDER, type("Recorder", (RecorderHandler,), {"portal": self}))
        for site, address in SITES.items():
            self._serve(address, type(f"{site}Handler", (FaultHandler,), {"site": site, "portal": self}))
        return self

    def __exit__(self, *exc) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def registry_text(self) -> str:
        rows = [f"fault-{site},1100{i:02d},http://{address}:{self.port}/list.html?page=1,generic\n" for i, (site, address) in enumerate(SITES.items())]
        return "name,region_code,url,family\n" + "".join(rows)
