"""大汉 Hanweb JCMS / JPaaS columns (``/col/col{id}/index.html``).

* JCMS: the first records sit in ``<script type="text/xml"><datastore><recordset><record>
  <![CDATA[<li>…</li>]]></record>…``, which an HTML parser sees as raw text; the rest come from
  ``/module/web/jpage/dataproxy.jsp`` (POST, query ``startrecord``/``endrecord``/``perpage``,
  form ``col, appid, webid, path, columnid, sourceContentType, unitid, webname, permissiontype``)
  whose XML reply carries ``<totalrecord>``. That XML is parsed with entity resolution and
  network access off. A page with several jpage units (one ``<div id=unitid>`` each) pages each.
* JPaaS: ``var listData = {articleList: [{"title", "pubDate", "urls": "{\\"pc\\": …}"}…]}`` rendered by
  handlebars; no link is in the DOM. Its pagination is script-driven and not followed.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from lxml import etree

from pipelines.cleaning.meta import iso_date

from .base import Family, ListEntry, PageRequest, anchors_to_entries, parse_fragment, unique_entries

DATAPROXY = "/module/web/jpage/dataproxy.jsp"
RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S)
PERPAGE = re.compile(r"perpage\s*[:=]\s*[\"']?(\d+)", re.I)
LIST_DATA = re.compile(r"var\s+listData\s*=\s*\{\s*articleList\s*:\s*")
GROUP_PAGES = 3
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def _records_to_entries(records: list[str], base_url: str) -> list[ListEntry]:
    entries: list[ListEntry] = []
    for record in records:
        entries.extend(anchors_to_entries(parse_fragment(record), base_url))
    return entries


def list_data_entries(text: str, base_url: str) -> list[ListEntry]:
    """Entries of a JPaaS page's inline ``var listData = {articleList: [...]}``."""
    match = LIST_DATA.search(text)
    if not match:
        return []
    try:
        articles, _ = json.JSONDecoder().raw_decode(text, match.end())
    except ValueError:
        return []
    entries = []
    for article in articles if isinstance(articles, list) else []:
        urls = article.get("urls") or "{}"
        try:
            href = (json.loads(urls) if isinstance(urls, str) else urls).get("pc")
        except (ValueError, AttributeError):
            href = None
        href = href or article.get("url") or article.get("link")
        title = re.sub(r"<[^>]+>", "", article.get("title") or article.get("showTitle") or "").strip()
        if href and title:
            entries.append(ListEntry(urljoin(base_url, href), title, iso_date(article.get("pubDate"))))
    return entries


def dataproxy_forms(text: str) -> list[dict]:
    """The dataproxy form of each jpage unit on the page, from its ``nextgroup`` link."""
    perpage = PERPAGE.search(text)
    forms = []
    for match in NEXTGROUP.finditer(text):
        href = re.search(r"href=[\"']([^\"']+)", match.group(1))
        query = _query_of(href.group(1).replace("&amp;", "&")) if href else {}
        if "columnid" in query:
            forms.append(_form(query, perpage.group(1) if perpage else "15"))
    return forms


def _query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def _form(query: dict, perpage: str) -> dict:
    return {
        "col": "1",
        "appid": query.get("appid", "1"),
        "webid": query.get("webid", ""),
        "path": query.get("path", "/"),
        "columnid": query["columnid"],
        "sourceContentType": "1",
        "unitid": query.get("unitid", ""),
        "webname": query.get("webname", ""),
        "permissiontype": "0",
        "perpage": perpage,
    }


def dataproxy_request(base_url: str, form: dict, start: int, end: int) -> PageRequest:
    query = urlencode({"startrecord": start, "endrecord": end, "perpage": form["perpage"]})
    data = {k: v for k, v in form.items() if k != "perpage"}
    return PageRequest(urljoin(base_url, f"{DATAPROXY}?{query}"), method="POST", formdata=data)


def parse_dataproxy(body: bytes) -> tuple[int | None, list[str]]:
    """``(totalrecord, record fragments)`` of a dataproxy XML reply."""
    try:
        root = etree.fromstring(body, XML_PARSER)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        return None, RECORD.findall(body.decode("utf-8", "replace"))
    total = root.findtext(".//totalrecord")
    records = [r.text or "" for r in root.iter("record")]
    return (int(total) if total and total.strip().isdigit() else None), records


class HanwebFamily(Family):
    name = "hanweb"
    markers = (
        (r"<datastore>", 3), (r"dataproxy\.jsp", 3), (r"var\s+listData\s*=\s*\{\s*articleList", 3),
        (r"/jpage/", 1), (r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html", 1), (r"大汉", 1),
    )

    def entries(self, response):
        if DATAPROXY in response.url:
            _, records = parse_dataproxy(response.body)
            return unique_entries(_records_to_entries(records, response.url))
        text = response.text
        records = RECORD.findall(text)
        entries = _records_to_entries(records, response.url) + list_data_entries(text, response.url)
        return unique_entries(entries)

    def next_pages(self, response):
        if DATAPROXY in response.url:
            return self._later_groups(response)
        requests = []
        for form in dataproxy_forms(response.text):
            group = int(form["perpage"]) * GROUP_PAGES
            requests.append(dataproxy_request(response.url, form, 1, group))
        return requests

    def _later_groups(self, response) -> list[PageRequest]:
        total, _ = parse_dataproxy(response.body)
        query = {k: v[0] for k, v in parse_qs(urlsplit(response.url).query).items()}
        start, end = int(query.get("startrecord", 1)), int(query.get("endrecord", 0))
        if total is None or start != 1 or end >= total:
            return []
        form = _form_of(response)
        form["perpage"] = query.get("perpage", "15")
        size = end - start + 1
        return [dataproxy_request(response.url, form, s, min(s + size - 1, total)) for s in range(end + 1, total + 1, size)]


def _form_of(response) -> dict:
    """The form the dataproxy request was sent with (repeated for the later groups)."""
    body = response.request.body if response.request is not None else b""
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
