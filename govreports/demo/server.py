"""The demo portal: one small HTTP server per site, each on its own loopback address.

Sites (folders under ``govreports/demo/site/``) and their behaviours:

* ``trs`` 127.0.0.2: TRS column, ``index.html``/``index_1``/``index_2`` (createPageHTML), a
  redirect from an old URL, a 404 report link, an HTML report with a PDF attachment, and an
  attachment-only PDF report;
* ``hanweb`` 127.0.0.3: Hanweb column with a ``<datastore>`` island and ``dataproxy.jsp`` POST
  pagination (``<totalrecord>``), and an attachment-only DOCX behind ``downfile.jsp``;
* ``ucap`` 127.0.0.4: ``<cmspro_documents>`` lists, one page with its list inside a comment, and an
  attachment-only PNG table image;
* ``gbk`` 127.0.0.5: a table-layout list with ``下一页``/``?page=N``, pages in GBK (one detail page
  sent with a lying ``charset=ISO-8859-1`` header), a detail page that fails once with 500 then
  succeeds, and a link robots.txt forbids;
* ``blocked`` 127.0.0.6: answers everything with a 瑞数-style HTTP 412 ``$_ts`` stub;
* ``www`` 127.0.0.7: the home page of the ``ucap`` city, whose 信息公开 platform is the ``ucap`` host;
* ``province`` 127.0.0.8: a directory page linking every site's home page.

Home pages and 信息公开 pages (for ``scrapy crawl discover``) are written by ``build_homes``; a
path ending in ``/`` serves its ``index.html``, and ``{{portal:SITE}}`` in a served page becomes
that site's address on the running portal.

Attachment files come from ``govreports/demo/files/`` (a missing one is a 404).

Every 200 carries an ``ETag`` (and static pages a ``Last-Modified``); a request with a matching
``If-None-Match`` (or ``If-Modified-Since`` not older than the page) gets ``304 Not Modified``.
``Portal(root=DIR, files=DIR)`` serves copies of the site and attachment folders (a test can
change them between crawls);
``state["hits"]`` counts requests per site, ``state["requests"]`` lists ``(site, path, status)``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

HERE = Path(__file__).resolve().parent
PORTAL = HERE / "site"
ATTACHMENTS = HERE / "files"
DEFAULT_PORT = 8765

SITES = {
    "trs": "127.0.0.2",
    "hanweb": "127.0.0.3",
    "ucap": "127.0.0.4",
    "gbk": "127.0.0.5",
    "blocked": "127.0.0.6",
    "www": "127.0.0.7",
    "province": "127.0.0.8",
}
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
REDIRECTS = {("trs", "/xxgk/zfxxgknb/old/t20210301_1002.html"): "/xxgk/zfxxgknb/202103/t20210301_1002.html"}
FILES = {
    ("trs", "/xxgk/zfxxgknb/202203/P020220301000001.pdf"): ("demo-report.pdf", None),
    ("trs", "/files/demo-report.pdf"): ("demo-report.pdf", None),
    ("ucap", "/files/demo-table.png"): ("demo-table.png", None),
    ("gbk", "/files/baisha-2019.pdf"): ("report-2019.pdf", None),
    ("hanweb", "/module/download/downfile.jsp"): ("demo-report.docx", "临江县教育局2023年政府信息公开工作年度报告.docx"),
}
CHARSET_HEADERS = {("gbk", "/xxgk/nb/show.asp?id=301"): "text/html; charset=ISO-8859-1"}
FLAKY = {("gbk", "/xxgk/nb/show.asp?id=302")}
RS_STUB = (
    b"<html><head><meta id=\"9DhefwqGPrzGxEp9hPaoag\" content=\"x3N2k\" r='m'>"
    b"<script type=\"text/javascript\" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=84296;$_ts.cd=\"qEvrrAl\";</script>"
    b"<script type=\"text/javascript\" charset=\"utf-8\" src=\"/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js\" r='m'></script>"
    b"</head><body></body></html>"
)
CONTENT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".docx": "application/octet-stream"}


class PortalHandler(BaseHTTPRequestHandler):
    site = ""
    state: dict = {}
    root = PORTAL
    files = ATTACHMENTS
    server_version = "DemoPortal/1.0"

    def log_message(self, format, *args):  # noqa: A002 - quiet: the crawl log tells the story
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", headers: dict | None = None):
        if status == 200:
            headers = {"ETag": '"' + hashlib.sha1(body).hexdigest()[:20] + '"', **(headers or {})}
            if self.not_modified(headers):
                status, body = 304, b""
        with LOCK:
            self.state.setdefault("requests", []).append((self.site, self.path, status))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def not_modified(self, headers: dict) -> bool:
        """Whether a conditional request's copy is still current (ETag first, else the date)."""
        if self.headers.get("If-None-Match"):
            return self.headers["If-None-Match"] == headers["ETag"]
        since, modified = self.headers.get("If-Modified-Since"), headers.get("Last-Modified")
        try:
            return bool(since and modified) and parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8")) if length else {}
        self.count()
        if self.site == "blocked":
            return self.send(412, RS_STUB)
        parts = urlsplit(self.path)
        if self.site == "hanweb" and parts.path == "/module/web/jpage/dataproxy.jsp" and form.get("columnid") == ["1001"]:
            return self.dataproxy(parts.query)
        return self.send(404, b"<html><body>not found</body></html>")

    def do_GET(self):
        self.count()
        parts = urlsplit(self.path)
        key = parts.path + (f"?{parts.query}" if parts.query else "")
        if self.site == "blocked":
            return self.send(412, RS_STUB)
        if parts.path == "/robots.txt":
            return self.send(200, ROBOTS, "text/plain")
        if (self.site, key) in REDIRECTS:
            return self.send(302, b"", headers={"Location": REDIRECTS[(self.site, key)]})
        if (self.site, key) in FLAKY and (self.site, key) not in self.state.setdefault("failed", set()):
            self.state["failed"].add((self.site, key))
            return self.send(500, b"<html><body>Internal Server Error</body></html>")
        if (self.site, parts.path) in FILES:
            return self.attachment(*FILES[(self.site, parts.path)])
        key = key + "index.html" if parts.path.endswith("/") and not parts.query else key
        target = self.root / self.site / key.lstrip("/").replace("?", "@")
        if not target.is_file() or (self.root / self.site).resolve() not in target.resolve().parents:
            return self.send(404, b"<html><body>404 Not Found</body></html>")
        default_type = "text/html" if self.site == "gbk" else "text/html; charset=utf-8"
        body = with_portal_urls(target.read_bytes(), self.server.server_address[1])
        last_modified = {"Last-Modified": formatdate(target.stat().st_mtime, usegmt=True)}
        return self.send(200, body, CHARSET_HEADERS.get((self.site, key), default_type), last_modified)

    def attachment(self, filename: str, download_name: str | None):
        path = self.files / filename
        if not path.is_file():
            return self.send(404, b"<html><body>404 Not Found</body></html>")
        headers = {}
        if download_name:
            headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(download_name)}"
        return self.send(200, path.read_bytes(), CONTENT_TYPES.get(path.suffix, "application/octet-stream"), headers)

    def dataproxy(self, query: str):
        records = json.loads((self.root / "hanweb" / "dataproxy.json").read_text(encoding="utf-8"))
        params = {k: int(v[0]) for k, v in parse_qs(query).items() if v[0].isdigit()}
        start, end = params.get("startrecord", 1), params.get("endrecord", len(records))
        chosen = records[start - 1 : end]
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><datastore>'
            f"<totalrecord>{len(records)}</totalrecord><totalpage>{-(-len(records) // 3)}</totalpage><recordset>"
            + "".join(f"<record><![CDATA[{r}]]></record>" for r in chosen)
            + "</recordset></datastore>"
        )
        return self.send(200, body.encode("utf-8"), "text/xml; charset=utf-8")

    def count(self):
        with LOCK:
            hits = self.state.setdefault("hits", {})
            hits[self.site] = hits.get(self.site, 0) + 1


LOCK = threading.Lock()
PORTAL_URL = re.compile(rb"\{\{portal:(\w+)\}\}")


def with_portal_urls(body: bytes, port: int) -> bytes:
    """``{{portal:SITE}}`` in a page -> ``http://ADDRESS:PORT`` of that demo site."""
    return PORTAL_URL.sub(lambda m: f"http://{SITES[m.group(1).decode()]}:{port}".encode(), body)


class Portal:
    """The running demo portal: ``with Portal(port) as portal: portal.url("trs")``."""

    def __init__(self, port: int = DEFAULT_PORT, root: Path | str = PORTAL, files: Path | str = ATTACHMENTS):
        self.port = port
        self.root = Path(root)
        self.files = Path(files)
        self.state: dict = {}
        self.servers: list[ThreadingHTTPServer] = []

    def url(self, site: str) -> str:
        return f"http://{SITES[site]}:{self.port}"

    def start(self) -> "Portal":
        """Bind every site's address (all on one port; port 0 picks a free one) and serve."""
        for site, address in SITES.items():
            handler = type(f"{site.title()}Handler", (PortalHandler,), {"site": site, "state": self.state, "root": self.root, "files": self.files})
            server = ThreadingHTTPServer((address, self.port), handler)
            server.daemon_threads = True
            if self.port == 0:
                self.port = server.server_address[1]
            self.servers.append(server)
            threading.Thread(target=server.serve_forever, name=f"portal-{site}", daemon=True).start()
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
        self.servers.clear()

    def __enter__(self) -> "Portal":
        return self if self.servers else self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def registry_text(port: int) -> str:
    """The demo registry (``sites/demo.csv``) for a portal on ``port``."""
    rows = [
        ("demo-trs", "230124", f"http://127.0.0.2:{port}/xxgk/zfxxgknb/index.html", "trs"),
        ("demo-hanweb", "230184", f"http://127.0.0.3:{port}/col/col1001/index.html", "hanweb"),
        ("demo-ucap", "620000", f"http://127.0.0.4:{port}/demo/c1001/zwgklist.shtml", ""),
        ("demo-gbk", "230521", f"http://127.0.0.5:{port}/xxgk/nb/list.asp?page=1", ""),
        ("demo-blocked", "110000", f"http://127.0.0.6:{port}/xxgk/zfxxgknb/index.html", ""),
    ]
    return "name,region_code,url,family\n" + "".join(",".join(row) + "\n" for row in rows)


def homes_text(port: int) -> str:
    """The demo portal's home pages (``sites/demo-homes.csv``) for a portal on ``port``."""
    from govreports.demo.build_homes import HOMES

    rows = [(name, region, f"http://{SITES[site]}:{port}{path}") for name, region, site, path in HOMES]
    return "name,region_code,url\n" + "".join(",".join(row) + "\n" for row in rows)


def directory_url(port: int) -> str:
    """The demo province's directory page of county portals."""
    return f"http://{SITES['province']}:{port}/index.html"
